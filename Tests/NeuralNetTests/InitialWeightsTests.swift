/// A layer's first values: drawn from the generator, or left at zero for weights loaded next.

import Testing
import Autodiff
import NeuralNet

struct InitialWeightsTests {
    /// Inside `withoutDrawingWeights` a layer gets the shapes it always gets, all zeros,
    /// and the generator is where it was; outside, the same generator draws the values it
    /// would have drawn anyway.
    @Test func layersBuiltWithoutDrawingAreZerosAndLeaveTheGeneratorAlone() {
        var generator = SeededGenerator(seed: 21)
        let before = generator
        let skipped = Tensor.withoutDrawingWeights {
            (Linear(inputSize: 5, outputSize: 3, generator: &generator),
             LSTM(inputSize: 4, hiddenSize: 2, generator: &generator),
             Embedding(vocabularySize: 6, size: 4, generator: &generator))
        }
        #expect(generator == before)
        var drawn = SeededGenerator(seed: 21)
        let linear = Linear(inputSize: 5, outputSize: 3, generator: &drawn)
        let lstm = LSTM(inputSize: 4, hiddenSize: 2, generator: &drawn)
        let embedding = Embedding(vocabularySize: 6, size: 4, generator: &drawn)
        let pairs = [(skipped.0.parameters, linear.parameters), (skipped.1.parameters, lstm.parameters),
                     (skipped.2.parameters, embedding.parameters)]
        for (zeros, values) in pairs {
            #expect(zeros.map(\.shape) == values.map(\.shape))
            #expect(zeros.allSatisfy { $0.data.allSatisfy { $0 == 0 } && $0.requiresGrad })
            #expect(values.contains { $0.data.contains { $0 != 0 } })
        }
        var again = SeededGenerator(seed: 21)
        let afterSkipping = Linear(inputSize: 5, outputSize: 3, generator: &generator)
        #expect(afterSkipping.weight.data == Linear(inputSize: 5, outputSize: 3, generator: &again).weight.data)
    }
}
