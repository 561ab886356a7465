/// A linear layer that keeps its weights transposed for decoding gives the logits of the
/// layer that does not, to the bit.

import Testing
@testable import NeuralNet
@testable import Autodiff

struct TransposedWeightTests {
    /// Over one row (a matrix–vector product with W, as before), a few rows, a decoder
    /// step's batch and more, with and without a bias, in the shapes of an output layer:
    /// every value is bitwise the one the layer computes from W [out, in].
    @Test func givesTheLayersOwnValuesToTheBit() {
        var generator = SeededGenerator(seed: 5)
        for hasBias in [true, false] {
            let layer = Linear(inputSize: 96, outputSize: 301, bias: hasBias, generator: &generator)
            let decoding = layer.keepingTransposedWeight()
            #expect(decoding.transposedWeight?.shape == [96, 301])
            for rows in [1, 2, 3, 17, 64, 200] {
                let x = randomInput([rows, 96], &generator)
                let (expected, got) = (layer(x), decoding(x))
                #expect(got.shape == [rows, 301])
                #expect(got.data.map(\.bitPattern) == expected.data.map(\.bitPattern),
                        "\(rows) rows, bias \(hasBias)")
            }
        }
    }

    /// The copy is a constant beside W: the layer's parameters, and so its checkpoint, are
    /// the same, and the result of several rows takes no part in any gradient.
    @Test func isNotAParameter() {
        var generator = SeededGenerator(seed: 6)
        let layer = Linear(inputSize: 8, outputSize: 5, generator: &generator)
        let decoding = layer.keepingTransposedWeight()
        #expect(decoding.namedParameters.map(\.name) == layer.namedParameters.map(\.name))
        #expect(zip(decoding.namedParameters, layer.namedParameters).allSatisfy { $0.tensor === $1.tensor })
        #expect(decoding.transposedWeight?.requiresGrad == false)
        #expect(!decoding(randomInput([4, 8], &generator)).requiresGrad)
    }
}
