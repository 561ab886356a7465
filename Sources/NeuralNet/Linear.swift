/// The affine layer y = W x + b.
import Autodiff

public struct Linear: Layer {
    /// [out, in], as PyTorch stores it.
    public let weight: Tensor
    public let bias: Tensor?

    public init(inputSize: Int, outputSize: Int, bias: Bool = true, generator: inout SeededGenerator) {
        let bound = 1 / Float(inputSize).squareRoot()
        weight = .uniform([outputSize, inputSize], bound: bound, generator: &generator)
        self.bias = bias ? .uniform([outputSize], bound: bound, generator: &generator) : nil
    }

    /// x is [..., in]; the result [..., out]. One GEMM for all rows, however many.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        bias.map { Tensor.affine(x, weight, $0) } ?? Tensor.matmul(x, weight, transposeB: true)
    }

    public var namedParameters: [(name: String, tensor: Tensor)] {
        [("weight", weight)] + (bias.map { [("bias", $0)] } ?? [])
    }
}
