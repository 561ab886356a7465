/// The affine layer y = W x + b.
import Autodiff

public struct Linear: Layer {
    /// [out, in], as PyTorch stores it.
    public let weight: Tensor
    public let bias: Tensor?
    /// Wᵀ [in, out], a copy of the weights for decoding (`keepingTransposedWeight()`), or nil.
    public private(set) var transposedWeight: Tensor? = nil

    public init(inputSize: Int, outputSize: Int, bias: Bool = true, generator: inout SeededGenerator) {
        let bound = 1 / Float(inputSize).squareRoot()
        weight = .uniform([outputSize, inputSize], bound: bound, generator: &generator)
        self.bias = bias ? .uniform([outputSize], bound: bound, generator: &generator) : nil
    }

    /// x is [..., in]; the result [..., out]. One GEMM for all rows, however many. With
    /// the transposed copy kept, the product is made outside any graph, and products of
    /// several rows read the copy (`Tensor.affineForDecoding`).
    public func callAsFunction(_ x: Tensor) -> Tensor {
        if let transposedWeight {
            return Tensor.affineForDecoding(x, weight: weight, transposedWeight: transposedWeight, bias: bias)
        }
        return bias.map { Tensor.affine(x, weight, $0) } ?? Tensor.matmul(x, weight, transposeB: true)
    }

    /// The layer with a copy of its weights kept transposed, for a search: a decoder step's
    /// product over a few dozen rows then spends less on OpenBLAS's packing of W (see
    /// `Tensor.affineForDecoding`), for the same values to the bit. Its outputs are
    /// constants, so a layer made this way is never trained; W itself is unchanged, and
    /// the copy costs another W of memory.
    public func keepingTransposedWeight() -> Linear {
        var layer = self
        layer.transposedWeight = weight.transposedCopy()
        return layer
    }

    public var namedParameters: [(name: String, tensor: Tensor)] {
        [("weight", weight)] + (bias.map { [("bias", $0)] } ?? [])
    }
}
