/// Layer normalisation (Ba, Kiros and Hinton, 2016), PyTorch's `nn.LayerNorm` over the
/// last axis.
import Autodiff

/// `y = γ ⊙ (x − mean) / √(var + ε) + β` for every row, with the biased variance; the
/// pre-norm Transformer (Wang et al. 2019) applies it before every sub-layer and once
/// after each stack.
public struct LayerNorm: Layer {
    /// γ, [d]: ones at first, so a new layer only normalises.
    public let weight: Tensor
    /// β, [d]: zeros at first.
    public let bias: Tensor
    public let epsilon: Float

    public init(size: Int, epsilon: Float = 1e-5) {
        weight = Tensor(shape: [size], data: [Float](repeating: 1, count: size), requiresGrad: true)
        bias = Tensor(zeros: [size], requiresGrad: true)
        self.epsilon = epsilon
    }

    /// x is [..., d]; the result has its shape.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        x.layerNorm(gamma: weight, beta: bias, epsilon: epsilon)
    }

    public var namedParameters: [(name: String, tensor: Tensor)] { [("weight", weight), ("bias", bias)] }
}
