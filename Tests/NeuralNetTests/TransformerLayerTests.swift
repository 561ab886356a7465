/// The Transformer's layers: their gradients, and PyTorch's initial values.

import Testing
@testable import NeuralNet

/// Gives every parameter of `layer` values uniform in [−1, 1), biases included, which
/// PyTorch's initialisation leaves at zero: a test must see them take effect.
func randomise(_ layer: some Layer, _ generator: inout SeededGenerator) {
    for p in layer.parameters {
        p.data = (0..<p.count).map { _ in generator.nextUniform() * 2 - 1 }
    }
}

struct TransformerLayerGradientTests {
    /// γ = 1 and β = 0, as `nn.LayerNorm` starts; the names its state dict uses.
    @Test func layerNormStartsAsPyTorchDoes() {
        let norm = LayerNorm(size: 4)
        #expect(norm.namedParameters.map(\.name) == ["weight", "bias"])
        #expect(norm.weight.data == [1, 1, 1, 1] && norm.bias.data == [0, 0, 0, 0])
    }


    @Test func layerNorm() {
        var g = SeededGenerator(seed: 11)
        let norm = LayerNorm(size: 5)
        randomise(norm, &g)
        let x = randomInput([2, 3, 5], &g)
        let result = checkGradients([x] + norm.parameters) { norm(x) }
        #expect(result.worstError < tolerance, "\(result)")
    }

    @Test(arguments: [false, true])
    func feedForward(withDropout: Bool) {
        var g = SeededGenerator(seed: 12)
        let ff = FeedForward(modelSize: 4, feedForwardSize: 6, dropout: 0.3, generator: &g)
        let x = randomInput([2, 3, 4], &g)
        let result = checkGradients([x] + ff.parameters) {
            // The same seed each call gives the same dropout mask, so this is a function.
            var dropout: SeededGenerator? = withDropout ? SeededGenerator(seed: 5) : nil
            return ff(x, dropout: &dropout)
        }
        #expect(result.worstError < tolerance, "\(result)")
    }
}
