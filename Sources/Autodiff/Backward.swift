extension Tensor {
    /// Reverse-mode differentiation from a scalar: fills `.grad` of every leaf tensor
    /// (parameter) in the graph that requires one, with `d self / d leaf`.
    ///
    /// The graph is collected with an explicit stack (an unrolled LSTM is thousands of
    /// nodes deep, too deep for recursion) and walked in descending id order, which puts
    /// every tensor after all the tensors computed from it. Gradients accumulate, so a
    /// value used twice receives both contributions. Afterwards the graph is taken apart,
    /// which frees the step's intermediate values (and avoids a deep recursive release).
    public func backward() {
        precondition(count == 1, "backward() needs a scalar, got shape \(shape)")
        guard requiresGrad else { return }
        var order: [Tensor] = []
        var seen: Set<Int> = []
        var stack: [Tensor] = [self]
        while let node = stack.popLast() {
            guard seen.insert(node.id).inserted else { continue }
            order.append(node)
            stack.append(contentsOf: node.inputs)
        }
        order.sort { $0.id > $1.id }

        accumulate([1])
        for node in order {
            if let pullback = node.pullback, let g = node.grad {
                pullback(g)
                node.grad = nil  // an intermediate gradient is needed only once
            }
        }
        for node in order {
            node.pullback = nil
            node.inputs = []
        }
    }
}
