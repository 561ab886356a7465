/// Every attention kind as a layer: its gradients over two steps (the second reading the
/// first's carry), padding, and what each kind promises of its weights.

import Foundation
import Testing
@testable import NeuralNet
@testable import Autodiff

/// The kinds, by their `--attention` names, built over queries and keys of the same size
/// (so that dot attention can take part) with small settings: A = 4 in 2 heads, a window
/// of half-width 1, 2 location filters of width 3.
enum AttentionKind: String, CaseIterable {
    case additive, dot, general, scaledDot = "scaled-dot", multiHead = "multi-head", location, local

    func make(size: Int, attentionSize: Int = 4, generator g: inout SeededGenerator) -> any AlignmentModel {
        switch self {
        case .additive: AdditiveAttention(querySize: size, keySize: size, attentionSize: attentionSize, generator: &g)
        case .dot: DotAttention(querySize: size, keySize: size)
        case .general: GeneralAttention(querySize: size, keySize: size, generator: &g)
        case .scaledDot: ScaledDotAttention(querySize: size, keySize: size, attentionSize: attentionSize, generator: &g)
        case .multiHead: MultiHeadAlignment(querySize: size, keySize: size, attentionSize: attentionSize, heads: 2,
                                            generator: &g)
        case .location: LocationAwareAttention(querySize: size, keySize: size, attentionSize: attentionSize,
                                               filters: 2, width: 3, generator: &g)
        case .local: LocalAttention(querySize: size, keySize: size, attentionSize: attentionSize, window: 1,
                                    generator: &g)
        }
    }
}

/// Two steps of attention from the queries `queries` (one [B, D] per step), carrying what
/// the kind carries: each step's context and weights side by side.
private func twoSteps(_ attention: any AlignmentModel, _ queries: [Tensor], states: Tensor, mask: [Bool]) -> Tensor {
    let memory = attention.attending(to: states, mask: mask)
    var carry = attention.initialCarry(memory)
    var outputs: [Tensor] = []
    for q in queries {
        let step = attention(query: q, memory: memory, carry: carry)
        carry = step.carry
        outputs += [step.context, step.weights]
    }
    return Tensor.concat(outputs)
}

struct AttentionKindsTests {
    /// Two sentences of 5 positions, the second with 2 of padding; the queries are scaled
    /// up so that the energies spread and the softmax is far from uniform.
    @Test(arguments: AttentionKind.allCases)
    func gradientsOverTwoSteps(kind: AttentionKind) {
        var g = SeededGenerator(seed: 11)
        let attention = kind.make(size: 4, generator: &g)
        let queries = [randomInput([2, 4], &g), randomInput([2, 4], &g)].map { Tensor(shape: $0.shape, data: $0.data.map { 2 * $0 }, requiresGrad: true) }
        let states = randomInput([2, 5, 4], &g)
        let mask = (0..<10).map { $0 < 8 }
        let result = checkGradients(queries + [states] + attention.parameters) {
            twoSteps(attention, queries, states: states, mask: mask)
        }
        #expect(result.worstError < tolerance, "\(kind): \(result)")
    }

    /// A sentence's context and weights are the same alone and padded beside a longer one,
    /// and padding gets exactly 0.
    @Test(arguments: AttentionKind.allCases)
    func paddingGetsNoWeight(kind: AttentionKind) {
        var g = SeededGenerator(seed: 12)
        let attention = kind.make(size: 4, generator: &g)
        let queries = [randomInput([1, 4], &g), randomInput([1, 4], &g)]
        let short = randomInput([1, 3, 4], &g), long = randomInput([1, 6, 4], &g)
        let alone = twoSteps(attention, queries, states: short, mask: [true, true, true])
        let garbage = Tensor(shape: [1, 3, 4], data: [Float](repeating: 9, count: 12))
        let batch = Tensor.concat([long, Tensor.concat([short, garbage], axis: 1)], axis: 0)   // [2, 6, 4]
        let together = twoSteps(attention, queries.map { Tensor.concat([$0, $0].map { $0.reshaped([1, 4]) }, axis: 0) },
                                states: batch, mask: (0..<12).map { $0 < 9 })
        // Per step: context (4) then weights (3 alone, 6 padded).
        for step in 0..<2 {
            let a = Array(alone.data[(step * 7)..<(step * 7 + 7)])
            let row = together.columns, base = row + step * 10
            let b = Array(together.data[base..<(base + 7)])
            for (x, y) in zip(a, b) { #expect(abs(x - y) < 1e-6, "\(kind), step \(step): \(a) vs \(b)") }
            #expect(together.data[(base + 7)..<(base + 10)].allSatisfy { $0 == 0 }, "\(kind): padding got weight")
        }
    }

    /// Multi-head attention keeps every head's weights, each a distribution over the real
    /// positions, and shows their mean.
    @Test func multiHeadWeightsAreTheMeanOfItsHeads() {
        var g = SeededGenerator(seed: 13)
        let attention = AttentionKind.multiHead.make(size: 4, generator: &g)
        let mask = (0..<10).map { $0 < 8 }
        let step = attention(query: randomInput([2, 4], &g), memory: attention.attending(to: randomInput([2, 5, 4], &g), mask: mask),
                             carry: nil)
        let heads = step.heads!
        #expect(heads.shape == [2, 2, 5] && step.weights.shape == [2, 5])
        for b in 0..<2 {
            for i in 0..<2 {
                let row = heads.data[((b * 2 + i) * 5)..<((b * 2 + i) * 5 + 5)]
                #expect(abs(row.reduce(0, +) - 1) < 1e-5)
            }
            for j in 0..<5 {
                let mean = (heads.data[b * 10 + j] + heads.data[b * 10 + 5 + j]) / 2
                #expect(abs(step.weights.data[b * 5 + j] - mean) < 1e-7)
            }
        }
    }

    /// Local attention gives weight only within W of its predicted centre p_t, a product of
    /// a softmax over the window and a Gaussian, so each row sums to at most 1.
    @Test func localAttentionLooksOnlyInsideItsWindow() {
        var g = SeededGenerator(seed: 14)
        let attention = LocalAttention(querySize: 4, keySize: 4, attentionSize: 4, window: 1, generator: &g)
        let (n, mask) = (9, [Bool](repeating: true, count: 9))
        let step = attention(query: randomInput([1, 4], &g), memory: attention.attending(to: randomInput([1, n, 4], &g), mask: mask),
                             carry: nil)
        let positive = step.weights.data.indices.filter { step.weights.data[$0] > 0 }
        #expect(!positive.isEmpty && positive.count <= 3, "\(step.weights.data)")
        #expect(positive.last! - positive.first! == positive.count - 1, "the window is one band")
        #expect(step.weights.data.reduce(0, +) <= 1)
    }

    /// At the edges the window is cut to the real positions. A centre at S_x/2 = 1.5 (a
    /// sentence of 3 real positions padded to 5) with W = 1 holds positions 1 and 2, each
    /// weighed by exp(−0.5²/(2σ²)) = e^(−0.5); a centre saturated at S_x = 3 holds only
    /// position 2, with weight e^(−2), while the padding at position 3, the centre itself,
    /// gets nothing.
    @Test func localWindowIsCutAtTheSentenceEnd() {
        var g = SeededGenerator(seed: 15)
        let attention = LocalAttention(querySize: 4, keySize: 4, attentionSize: 4, window: 1, generator: &g)
        let mask = [true, true, true, false, false]
        let memory = attention.attending(to: randomInput([1, 5, 4], &g), mask: mask)
        let query = Tensor(shape: [1, 4], data: [1, 1, 1, 1])
        func weights(position: Float, energy: Float) -> [Float] {
            attention.position.weight.data = [Float](repeating: position, count: 16)
            attention.positionEnergy.weight.data = [Float](repeating: energy, count: 4)
            return attention(query: query, memory: memory, carry: nil).weights.data
        }
        let middle = weights(position: 0, energy: 0)
        #expect(middle[0] == 0 && middle[3] == 0 && middle[4] == 0, "\(middle)")
        #expect(abs(middle[1] + middle[2] - expf(-0.5)) < 1e-6, "\(middle)")
        let end = weights(position: 100, energy: 100)
        #expect(end.enumerated().allSatisfy { $0.offset == 2 || $0.element == 0 }, "\(end)")
        #expect(abs(end[2] - expf(-2)) < 1e-6, "\(end)")
    }
}
