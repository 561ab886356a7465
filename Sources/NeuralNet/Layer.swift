/// What every layer shares: named parameters, and initial values drawn from a seed.
import Autodiff

/// A part of a model that owns trainable tensors. Names are the checkpoint's tensor
/// names (PyTorch's, so that a checkpoint loads in either).
public protocol Layer {
    /// Every trainable tensor, with its name relative to the layer.
    var namedParameters: [(name: String, tensor: Tensor)] { get }
}

extension Layer {
    public var parameters: [Tensor] { namedParameters.map(\.tensor) }

    /// The parameters with names prefixed by `prefix` and a dot.
    public func namedParameters(prefix: String) -> [(name: String, tensor: Tensor)] {
        namedParameters.map { (prefix + "." + $0.name, $0.tensor) }
    }

    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.count } }

    /// Switches gradient tracking of every parameter on (training) or off (decoding,
    /// which then builds no graph).
    public func trackGradients(_ on: Bool) {
        for p in parameters { p.requiresGrad = on }
    }
}

extension Tensor {
    /// A trainable tensor with values uniform in [−bound, bound): PyTorch's initialisation
    /// of linear and recurrent layers uses bound = 1/√fan_in. Zeros, drawing nothing,
    /// inside `withoutDrawingWeights`.
    public static func uniform(_ shape: [Int], bound: Float, generator: inout SeededGenerator) -> Tensor {
        guard drawsWeights else { return Tensor(zeros: shape, requiresGrad: true) }
        let n = shape.reduce(1, *)
        return Tensor(shape: shape, data: (0..<n).map { _ in (generator.nextUniform() * 2 - 1) * bound },
                      requiresGrad: true)
    }

    /// A trainable tensor with values from N(0, σ²). Zeros, drawing nothing, inside
    /// `withoutDrawingWeights`.
    public static func normal(_ shape: [Int], standardDeviation: Float, generator: inout SeededGenerator) -> Tensor {
        guard drawsWeights else { return Tensor(zeros: shape, requiresGrad: true) }
        let n = shape.reduce(1, *)
        return Tensor(shape: shape, data: (0..<n).map { _ in generator.nextNormal() * standardDeviation },
                      requiresGrad: true)
    }

    /// Runs `body` with the parameters of the layers it builds left at zero, the generator
    /// not advanced: for a model whose every weight is replaced next (read from a
    /// checkpoint, or a replica that takes the model's weights before each step), where
    /// drawing 15 million values only to throw them away took a third of the time of a
    /// one-sentence `nmt translate`. PyTorch's `skip_init` serves the same end.
    public static func withoutDrawingWeights<T>(_ body: () throws -> T) rethrows -> T {
        try $drawsWeights.withValue(false, operation: body)
    }

    /// False inside `withoutDrawingWeights`, for the task that called it.
    @TaskLocal private static var drawsWeights = true
}
