extension Tensor {
    /// Reverse-mode differentiation from a scalar: fills `.grad` of every leaf tensor
    /// (parameter) in the graph that requires one, with `d self / d leaf`.
    ///
    /// The graph is collected with an explicit stack (an unrolled LSTM is thousands of
    /// nodes deep, too deep for recursion) and walked in descending id order, which puts
    /// every tensor after all the tensors computed from it. Gradients accumulate, so a
    /// value used twice receives both contributions.
    ///
    /// Once the walk has passed a tensor, nothing still to run can need it: every tensor
    /// computed from it came earlier in the walk. So the walk lets go of each one as it
    /// leaves it, with its pullback and the inputs it holds, and the forward values are
    /// freed while gradients are being allocated instead of after: the step's peak memory
    /// is not the whole forward graph plus the gradients of the first ops walked.
    /// Releasing one tensor at a time also avoids a deep recursive release.
    public func backward() {
        precondition(count == 1, "backward() needs a scalar, got shape \(shape)")
        guard requiresGrad else { return }
        var order: [Tensor?] = []
        var seen: Set<Int> = []
        var stack: [Tensor] = [self]
        while let node = stack.popLast() {
            guard seen.insert(node.id).inserted else { continue }
            order.append(node)
            stack.append(contentsOf: node.inputs)
        }
        order.sort { $0!.id > $1!.id }

        accumulate([1])
        for i in order.indices {
            let node = order[i]!
            order[i] = nil
            if let pullback = node.pullback, let g = node.grad {
                node.grad = nil  // an intermediate gradient is needed only once
                pullback(g)
            }
            node.pullback = nil
            node.inputs = []
        }
    }
}
