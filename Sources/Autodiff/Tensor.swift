import Synchronization

/// Every tensor gets an id larger than the ids of the tensors it was computed from,
/// so sorting a graph by descending id is a valid order for the backward pass.
private let nextID = Atomic<Int>(0)

/// A Float32 array with a shape, stored contiguously in row-major order, that remembers
/// how it was computed so that `backward()` can propagate gradients to its inputs.
///
/// The last axis is the feature axis; all leading axes together are "rows". Ops that
/// broadcast or reduce do so over rows, which is all a sequence model needs.
public final class Tensor {
    public let shape: [Int]
    public var data: [Float]
    /// The gradient of the last `backward()` root with respect to this tensor, once one exists.
    public var grad: [Float]?
    /// Whether gradients flow to (and through) this tensor. Switching it off on a model's
    /// parameters makes decoding build no graph at all.
    public var requiresGrad: Bool
    let id: Int
    /// The tensors this one was computed from.
    var inputs: [Tensor]
    /// Adds this tensor's contribution to each input's gradient, given this tensor's
    /// gradient. It receives the gradient as an argument instead of reading `self.grad`
    /// so that the closure never captures its own output (a reference cycle under ARC).
    var pullback: (([Float]) -> Void)?

    /// A leaf tensor: a constant, or a parameter when `requiresGrad` is true.
    public init(shape: [Int], data: [Float], requiresGrad: Bool = false) {
        precondition(shape.reduce(1, *) == data.count,
                     "Tensor: shape \(shape) needs \(shape.reduce(1, *)) values, got \(data.count)")
        self.shape = shape
        self.data = data
        self.requiresGrad = requiresGrad
        self.id = nextID.add(1, ordering: .relaxed).newValue
        self.inputs = []
    }

    /// The result of an op. It records `pullback` only when some input needs a gradient,
    /// so inference builds no graph at all.
    init(shape: [Int], data: [Float], inputs: [Tensor], pullback: @escaping ([Float]) -> Void) {
        let needsGrad = inputs.contains { $0.requiresGrad }
        self.shape = shape
        self.data = data
        self.requiresGrad = needsGrad
        self.id = nextID.add(1, ordering: .relaxed).newValue
        self.inputs = needsGrad ? inputs : []
        self.pullback = needsGrad ? pullback : nil
    }

    /// Releases a graph that was never differentiated (say, a loss computed only to be
    /// printed) without recursion: under ARC, freeing a chain of ten thousand tensors one
    /// inside the other's `deinit` would overflow the stack. Each tensor that only this
    /// walk still holds hands its inputs over before it goes.
    deinit {
        var pending = inputs
        inputs = []
        pullback = nil
        while !pending.isEmpty {
            var node = pending.removeLast()
            if isKnownUniquelyReferenced(&node) {
                pending.append(contentsOf: node.inputs)
                node.inputs = []
                node.pullback = nil
            }
        }
    }

    public convenience init(zeros shape: [Int], requiresGrad: Bool = false) {
        self.init(shape: shape, data: [Float](repeating: 0, count: shape.reduce(1, *)),
                  requiresGrad: requiresGrad)
    }

    public convenience init(scalar: Float) {
        self.init(shape: [], data: [scalar])
    }

    public var count: Int { data.count }
    /// Size of the feature (last) axis.
    public var columns: Int { shape.last ?? 1 }
    /// Product of all leading axes.
    public var rows: Int { shape.dropLast().reduce(1, *) }
    public var scalar: Float {
        precondition(count == 1, "scalar: tensor of shape \(shape) has \(count) values")
        return data[0]
    }

    /// Adds `g` into this tensor's gradient, allocating it on first use.
    func accumulate(_ g: [Float]) {
        precondition(g.count == count, "gradient of \(g.count) values for tensor of shape \(shape)")
        if grad == nil {
            grad = g
        } else {
            grad!.withUnsafeMutableBufferPointer { acc in
                g.withUnsafeBufferPointer { g in
                    for i in 0..<acc.count { acc[i] += g[i] }
                }
            }
        }
    }

    /// Adds `g` into the gradient's values from `offset` on (a block of rows that one op
    /// read), allocating the gradient, zero elsewhere, on first use.
    func accumulate(_ g: [Float], at offset: Int) {
        precondition(offset >= 0 && offset + g.count <= count,
                     "gradient of \(g.count) values at \(offset) for tensor of shape \(shape)")
        if grad == nil { grad = [Float](repeating: 0, count: count) }
        guard !g.isEmpty else { return }
        grad!.withUnsafeMutableBufferPointer { acc in
            g.withUnsafeBufferPointer { g in
                let acc = acc.baseAddress! + offset  // a plain counter below, so the loop vectorises
                for i in 0..<g.count { acc[i] += g[i] }
            }
        }
    }

    /// Adds `g` into the gradient if this tensor takes part in differentiation.
    func accumulateIfNeeded(_ g: @autoclosure () -> [Float]) {
        if requiresGrad { accumulate(g()) }
    }

    public func zeroGrad() { grad = nil }
}

extension Tensor: CustomStringConvertible {
    public var description: String {
        let preview = data.prefix(8).map { String($0) }.joined(separator: ", ")
        return "Tensor(shape: \(shape), data: [\(preview)\(count > 8 ? ", …" : "")])"
    }
}
