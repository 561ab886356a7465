/// A linear layer and an LSTM that keep their weights packed for decoding: the layer's
/// own values up to rounding, constants, and no new parameters.

import Testing
@testable import NeuralNet
@testable import Autodiff

struct PackedLayerTests {
    /// Over one row (the packed matrix–vector product), a few rows, a decoder step's
    /// batch and more, with and without a bias, in the shapes of an output layer: within
    /// the rounding of a sum of 96 products, and to the bit the packed product plus the
    /// bias.
    @Test func givesTheLayersOwnValues() {
        var generator = SeededGenerator(seed: 5)
        for hasBias in [true, false] {
            let layer = Linear(inputSize: 96, outputSize: 301, bias: hasBias, generator: &generator)
            let decoding = layer.keepingPackedWeight()
            #expect(decoding.packedWeight?.outputs == 301 && decoding.packedWeight?.inputs == 96)
            for rows in [1, 2, 3, 17, 64, 200] {
                let x = randomInput([rows, 96], &generator)
                let (expected, got) = (layer(x), decoding(x))
                #expect(got.shape == [rows, 301])
                let worst = zip(got.data, expected.data).map { abs($0 - $1) }.max() ?? 0
                #expect(worst < 1e-5, "\(rows) rows, bias \(hasBias): \(worst)")
                var product = [Float](repeating: 0, count: rows * 301)
                x.data.withUnsafeBufferPointer { x in
                    product.withUnsafeMutableBufferPointer {
                        decoding.packedWeight!.product(x.baseAddress!, $0.baseAddress!, rows: rows)
                    }
                }
                let plusBias = product.indices.map { product[$0] + (layer.bias?.data[$0 % 301] ?? 0) }
                #expect(got.data.map(\.bitPattern) == plusBias.map(\.bitPattern), "\(rows) rows")
            }
        }
    }

    /// The copy is a constant beside W: the layer's parameters, and so its checkpoint, are
    /// the same, and the result of several rows takes no part in any gradient.
    @Test func isNotAParameter() {
        var generator = SeededGenerator(seed: 6)
        let layer = Linear(inputSize: 8, outputSize: 5, generator: &generator)
        let decoding = layer.keepingPackedWeight()
        #expect(decoding.namedParameters.map(\.name) == layer.namedParameters.map(\.name))
        #expect(zip(decoding.namedParameters, layer.namedParameters).allSatisfy { $0.tensor === $1.tensor })
        #expect(!decoding(randomInput([4, 8], &generator)).requiresGrad)
    }

    /// An LSTM step, from the input projection to the new state, over one row and over
    /// several, within rounding, step after step, with rows that have ended keeping their
    /// state exactly.
    @Test func lstmGivesTheLayersOwnStates() {
        var generator = SeededGenerator(seed: 7)
        let layer = LSTM(inputSize: 40, hiddenSize: 24, generator: &generator)
        let decoding = layer.keepingPackedWeights()
        #expect(decoding.packedWeightIH?.inputs == 40 && decoding.packedWeightHH?.inputs == 24)
        #expect(decoding.packedWeightIH?.outputs == 96 && decoding.packedWeightHH?.outputs == 96)
        func worst(_ a: Tensor, _ b: Tensor) -> Float { zip(a.data, b.data).map { abs($0 - $1) }.max() ?? 0 }
        for rows in [1, 2, 3, 17, 64] {
            var (hidden, cell) = (randomInput([rows, 24], &generator), randomInput([rows, 24], &generator))
            var (expectedHidden, expectedCell) = (hidden, cell)
            for step in 0..<3 {
                let x = randomInput([rows, 40], &generator)
                let (expectedGates, gates) = (layer.projectInput(x), decoding.projectInput(x))
                let active = (0..<rows).map { $0 % 5 != step }
                let (previousHidden, previousCell) = (hidden, cell)
                (expectedHidden, expectedCell) = layer.step(inputGates: expectedGates, hidden: expectedHidden,
                                                            cell: expectedCell, active: active)
                (hidden, cell) = decoding.step(inputGates: gates, hidden: hidden, cell: cell, active: active)
                #expect(worst(gates, expectedGates) < 1e-5, "\(rows) rows, step \(step)")
                #expect(worst(hidden, expectedHidden) < 1e-5 && worst(cell, expectedCell) < 1e-5,
                        "\(rows) rows, step \(step)")
                for row in 0..<rows where !active[row] {
                    let kept = (row * 24)..<((row + 1) * 24)
                    #expect(hidden.data[kept] == previousHidden.data[kept] && cell.data[kept] == previousCell.data[kept])
                }
            }
        }
    }

    /// The LSTM's copies are not parameters, in both directions of the encoder: the same
    /// parameters, none of them new.
    @Test func lstmCopiesAreNotParameters() {
        var generator = SeededGenerator(seed: 8)
        let layer = BidirectionalLSTM(inputSize: 6, hiddenSize: 4, generator: &generator)
        let decoding = layer.keepingPackedWeights()
        #expect(zip(decoding.namedParameters, layer.namedParameters).allSatisfy { $0.name == $1.name && $0.tensor === $1.tensor })
        #expect(decoding.namedParameters.count == layer.namedParameters.count)
        #expect(decoding.forward.packedWeightHH != nil && decoding.backward.packedWeightHH != nil)
    }
}
