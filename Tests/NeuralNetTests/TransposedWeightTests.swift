/// A linear layer and an LSTM that keep their weights transposed for decoding give the
/// values of the layers that do not, to the bit.

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

    /// An LSTM step, from the input projection to the new state, over one row (products
    /// with the weights as stored, as before) and over several (the copies): the same
    /// input gates, hidden and cell states, bit for bit, step after step, with rows that
    /// have ended keeping their state.
    @Test func lstmGivesTheLayersOwnStatesToTheBit() {
        var generator = SeededGenerator(seed: 7)
        let layer = LSTM(inputSize: 40, hiddenSize: 24, generator: &generator)
        let decoding = layer.keepingTransposedWeights()
        #expect(decoding.transposedWeightIH?.shape == [40, 96] && decoding.transposedWeightHH?.shape == [24, 96])
        for rows in [1, 2, 3, 17, 64] {
            var (hidden, cell) = (randomInput([rows, 24], &generator), randomInput([rows, 24], &generator))
            var (expectedHidden, expectedCell) = (hidden, cell)
            for step in 0..<3 {
                let x = randomInput([rows, 40], &generator)
                let (expectedGates, gates) = (layer.projectInput(x), decoding.projectInput(x))
                #expect(gates.data.map(\.bitPattern) == expectedGates.data.map(\.bitPattern), "\(rows) rows")
                let active = (0..<rows).map { $0 % 5 != step }
                (expectedHidden, expectedCell) = layer.step(inputGates: expectedGates, hidden: expectedHidden,
                                                            cell: expectedCell, active: active)
                (hidden, cell) = decoding.step(inputGates: gates, hidden: hidden, cell: cell, active: active)
                #expect(hidden.data.map(\.bitPattern) == expectedHidden.data.map(\.bitPattern), "\(rows) rows")
                #expect(cell.data.map(\.bitPattern) == expectedCell.data.map(\.bitPattern), "\(rows) rows")
            }
        }
    }

    /// The LSTM's copies are constants beside its weights, in both directions of the
    /// encoder: the same parameters, none of them new.
    @Test func lstmCopiesAreNotParameters() {
        var generator = SeededGenerator(seed: 8)
        let layer = BidirectionalLSTM(inputSize: 6, hiddenSize: 4, generator: &generator)
        let decoding = layer.keepingTransposedWeights()
        #expect(zip(decoding.namedParameters, layer.namedParameters).allSatisfy { $0.name == $1.name && $0.tensor === $1.tensor })
        #expect(decoding.namedParameters.count == layer.namedParameters.count)
        for direction in [decoding.forward, decoding.backward] {
            #expect(direction.transposedWeightIH?.requiresGrad == false && direction.transposedWeightHH?.requiresGrad == false)
        }
    }
}
