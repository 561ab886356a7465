/// Word embeddings: one learned vector per vocabulary entry.
import Autodiff

public struct Embedding: Layer {
    /// [vocabulary, size].
    public let weight: Tensor

    public init(vocabularySize: Int, size: Int, generator: inout SeededGenerator) {
        weight = .normal([vocabularySize, size], standardDeviation: 1, generator: &generator)
    }

    /// The vectors of `ids`, one row each.
    public func callAsFunction(_ ids: [Int]) -> Tensor {
        Tensor.gather(weight, rows: ids)
    }

    public var namedParameters: [(name: String, tensor: Tensor)] { [("weight", weight)] }
}
