/// The Transformer's layers: their gradients through padding and causal masks, and
/// PyTorch's names and initial values.

import Foundation
import Testing
@testable import NeuralNet
@testable import Autodiff

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

    /// Self-attention over two sentences, the second with one padding position, with and
    /// without the causal mask; both outputs and the weights are checked.
    @Test(arguments: [false, true])
    func selfAttention(causal: Bool) {
        var g = SeededGenerator(seed: 13)
        let attention = MultiHeadAttention(modelSize: 4, heads: 2, generator: &g)
        randomise(attention, &g)
        let x = randomInput([2, 3, 4], &g)
        let keyMask = [true, true, true, true, true, false]
        let result = checkGradients([x] + attention.parameters) {
            let (output, weights) = attention(x, keyMask: keyMask, causal: causal)
            return Tensor.concat([output.reshaped([6, 4]), weights.reshaped([6, 6])])
        }
        #expect(result.worstError < tolerance, "\(result)")
    }

    /// Cross-attention from three target positions over four source positions, padding in
    /// the second sentence's source.
    @Test func crossAttention() {
        var g = SeededGenerator(seed: 14)
        let attention = MultiHeadAttention(modelSize: 4, heads: 2, generator: &g)
        randomise(attention, &g)
        let x = randomInput([2, 3, 4], &g)
        let memory = randomInput([2, 4, 4], &g)
        let memoryMask = [true, true, true, true, true, true, false, false]
        let result = checkGradients([x, memory] + attention.parameters) {
            let (output, weights) = attention(query: x, memory: memory, memoryMask: memoryMask)
            return Tensor.concat([output.reshaped([6, 4]), weights.reshaped([6, 8])])
        }
        #expect(result.worstError < tolerance, "\(result)")
    }
}

struct MultiHeadAttentionTests {
    /// The names and shapes `nn.MultiheadAttention` has, and its initial values: Glorot's
    /// bound on the in-projection, zero biases, `nn.Linear`'s bound on out_proj.weight.
    @Test func parametersArePyTorchs() {
        var g = SeededGenerator(seed: 15)
        let d = 8
        let attention = MultiHeadAttention(modelSize: d, heads: 2, generator: &g)
        let named = attention.namedParameters
        #expect(named.map(\.name) == ["in_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias"])
        #expect(named.map(\.tensor.shape) == [[3 * d, d], [3 * d], [d, d], [d]])
        let glorot = (6 / Float(4 * d)).squareRoot(), linear = 1 / Float(d).squareRoot()
        #expect(attention.inProjWeight.data.allSatisfy { abs($0) <= glorot })
        #expect(attention.inProjWeight.data.contains { abs($0) > linear }, "Glorot's bound, not Linear's, is used")
        #expect(attention.outProj.weight.data.allSatisfy { abs($0) <= linear })
        #expect(attention.inProjBias.data.allSatisfy { $0 == 0 } && attention.outProj.bias!.data.allSatisfy { $0 == 0 })
    }

    /// Padding keys and, with the causal mask, later positions get weight exactly 0; the
    /// other weights of every query sum to 1.
    @Test func maskedPositionsGetExactlyZeroWeight() {
        var g = SeededGenerator(seed: 16)
        let attention = MultiHeadAttention(modelSize: 4, heads: 2, generator: &g)
        randomise(attention, &g)
        let x = randomInput([2, 3, 4], &g)
        let keyMask = [true, true, true, true, false, false]
        let weights = attention(x, keyMask: keyMask, causal: true).weights          // [2, 2, 3, 3]
        #expect(weights.shape == [2, 2, 3, 3])
        for b in 0..<2 {
            for h in 0..<2 {
                for i in 0..<3 {
                    let row = Array(weights.data[(((b * 2 + h) * 3 + i) * 3)..<(((b * 2 + h) * 3 + i + 1) * 3)])
                    for j in 0..<3 where j > i || !keyMask[b * 3 + j] {
                        #expect(row[j] == 0, "sentence \(b), head \(h), query \(i), key \(j)")
                    }
                    #expect(abs(row.reduce(0, +) - 1) < 1e-6)
                    #expect(row[0] > 0)
                }
            }
        }
    }
}

struct SinusoidalPositionsTests {
    /// The formula at a few positions and columns, in Double; column 2i and 2i + 1 share
    /// a wavelength; position 0 is sin 0 = 0 and cos 0 = 1 alternately.
    @Test func followTheFormula() {
        let d = 6
        let table = sinusoidalPositions(length: 50, size: d)
        #expect(table.shape == [50, d] && !table.requiresGrad)
        #expect(Array(table.data[0..<d]) == [0, 1, 0, 1, 0, 1])
        for (pos, c) in [(1, 0), (1, 1), (7, 2), (7, 3), (49, 4), (49, 5)] {
            let angle = Double(pos) / Foundation.pow(10000, Double(2 * (c / 2)) / Double(d))
            let expected = c % 2 == 0 ? Foundation.sin(angle) : Foundation.cos(angle)
            #expect(abs(Double(table.data[pos * d + c]) - expected) < 1e-7, "position \(pos), column \(c)")
        }
    }
}
