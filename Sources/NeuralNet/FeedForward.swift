/// The Transformer's position-wise feed-forward layer (Vaswani et al. 2017, §3.3).
import Autodiff

/// Two affine layers with a rectifier between them, applied to every position alone:
///
///     FF(x) = W₂ Drop(relu(W₁ x + b₁)) + b₂        W₁: [F, d], W₂: [d, F]
///
/// Dropout after the rectifier is where PyTorch's `nn.TransformerEncoderLayer` puts it;
/// the names are that layer's (`linear1`, `linear2`), so its weights load either way.
public struct FeedForward: Layer {
    /// W₁, b₁: [F, d] and [F].
    public private(set) var linear1: Linear
    /// W₂, b₂: [d, F] and [d].
    public private(set) var linear2: Linear
    /// The dropout rate on the hidden layer, used when a generator is given.
    public let dropout: Float

    public init(modelSize: Int, feedForwardSize: Int, dropout: Float = 0, generator: inout SeededGenerator) {
        linear1 = Linear(inputSize: modelSize, outputSize: feedForwardSize, generator: &generator)
        linear2 = Linear(inputSize: feedForwardSize, outputSize: modelSize, generator: &generator)
        self.dropout = dropout
    }

    /// x is [..., d]; the result too. Two GEMMs over all positions at once; dropout on the
    /// hidden layer only in training, when `generator` is not nil.
    public func callAsFunction(_ x: Tensor, dropout generator: inout SeededGenerator?) -> Tensor {
        var hidden = linear1(x).relu()                                   // [..., F]
        if generator != nil { hidden = hidden.dropout(rate: dropout, generator: &generator!) }
        return linear2(hidden)                                           // [..., d]
    }

    /// Both layers with their weights packed for a search (`Linear.keepingPackedWeight()`).
    public func keepingPackedWeights() -> FeedForward {
        var layer = self
        layer.linear1 = linear1.keepingPackedWeight()
        layer.linear2 = linear2.keepingPackedWeight()
        return layer
    }

    public var namedParameters: [(name: String, tensor: Tensor)] {
        linear1.namedParameters(prefix: "linear1") + linear2.namedParameters(prefix: "linear2")
    }
}
