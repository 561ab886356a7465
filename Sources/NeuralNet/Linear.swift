/// The affine layer y = W x + b.
import Autodiff

public struct Linear: Layer {
    /// [out, in], as PyTorch stores it.
    public let weight: Tensor
    public let bias: Tensor?
    /// A copy of the weights packed for decoding (`keepingPackedWeight()`), or nil.
    public private(set) var packedWeight: PackedWeight? = nil

    public init(inputSize: Int, outputSize: Int, bias: Bool = true, generator: inout SeededGenerator) {
        let bound = 1 / Float(inputSize).squareRoot()
        weight = .uniform([outputSize, inputSize], bound: bound, generator: &generator)
        self.bias = bias ? .uniform([outputSize], bound: bound, generator: &generator) : nil
    }

    /// A layer over given weights [out, in] and bias [out] (a part of a larger matrix,
    /// or a matrix shared with another layer).
    public init(weight: Tensor, bias: Tensor?) {
        precondition(weight.shape.count == 2 && (bias?.shape ?? [weight.shape[0]]) == [weight.shape[0]],
                     "Linear: weight \(weight.shape), bias \(bias?.shape ?? [])")
        (self.weight, self.bias) = (weight, bias)
    }

    /// x is [..., in]; the result [..., out]. One product for all rows, however many.
    /// With the packed copy kept, the product is made outside any graph, and products of
    /// several rows read the copy (`Tensor.affineForDecoding`).
    public func callAsFunction(_ x: Tensor) -> Tensor {
        if let packedWeight {
            return Tensor.affineForDecoding(x, weight: weight, packed: packedWeight, bias: bias)
        }
        return bias.map { Tensor.affine(x, weight, $0) } ?? Tensor.matmul(x, weight, transposeB: true)
    }

    /// The layer with a copy of its weights packed for a search (`PackedWeight`): a
    /// decoder step's product over a few dozen rows then skips OpenBLAS's packing of W at
    /// every call. Its outputs are constants, so a layer made this way is never trained;
    /// W itself is unchanged, and the copy costs another W of memory. The values are W's
    /// products up to rounding: the copy's kernel sums in its own order.
    public func keepingPackedWeight() -> Linear {
        var layer = self
        layer.packedWeight = PackedWeight(weight)
        return layer
    }

    public var namedParameters: [(name: String, tensor: Tensor)] {
        [("weight", weight)] + (bias.map { [("bias", $0)] } ?? [])
    }
}
