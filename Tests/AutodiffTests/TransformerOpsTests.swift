/// The values (not only the gradients) of the ops a Transformer adds to the engine.

import Foundation
import Testing
@testable import Autodiff

struct TransformerOpsTests {
    /// Each product of a batch with two leading axes is bitwise the plain `matmul` of its
    /// own two matrices, whichever side is transposed.
    @Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
    func batchedProductsAreThePlainProductOfEachPair(transposeA: Bool, transposeB: Bool) {
        var generator = SeededGenerator(seed: 21)
        let (m, k, n) = (3, 5, 4)
        let a = randomTensor([2, 3] + (transposeA ? [k, m] : [m, k]), &generator)
        let b = randomTensor([2, 3] + (transposeB ? [n, k] : [k, n]), &generator)
        let c = Tensor.batchedMatmul(a, b, transposeA: transposeA, transposeB: transposeB)
        #expect(c.shape == [2, 3, m, n])
        for i in 0..<6 {
            let ai = Tensor(shape: transposeA ? [k, m] : [m, k], data: Array(a.data[(i * m * k)..<((i + 1) * m * k)]))
            let bi = Tensor(shape: transposeB ? [n, k] : [k, n], data: Array(b.data[(i * k * n)..<((i + 1) * k * n)]))
            let ci = Tensor.matmul(ai, bi, transposeA: transposeA, transposeB: transposeB)
            #expect(Array(c.data[(i * m * n)..<((i + 1) * m * n)]) == ci.data, "product \(i)")
        }
    }

    /// Head h of position t holds features h·dh..<(h+1)·dh of that position, and merging
    /// the heads gives the input back.
    @Test func splittingHeadsMovesEachHeadBeforeTime() {
        // [B=1, T=2, k·dh=4] with k = 2: position t, feature f holds 10 t + f.
        let x = Tensor(shape: [1, 2, 4], data: [0, 1, 2, 3, 10, 11, 12, 13])
        let heads = x.splittingHeads(2)
        #expect(heads.shape == [1, 2, 2, 2])
        #expect(heads.data == [0, 1, 10, 11, 2, 3, 12, 13])
        let merged = heads.mergingHeads()
        #expect(merged.shape == [1, 2, 4] && merged.data == x.data)
    }

    @Test func concatenatingAlongAnInnerAxis() {
        // [2, 1, 2] and [2, 2, 2] along axis 1: each sentence's positions follow on.
        let a = Tensor(shape: [2, 1, 2], data: [1, 2, 3, 4])
        let b = Tensor(shape: [2, 2, 2], data: [5, 6, 7, 8, 9, 10, 11, 12])
        let c = Tensor.concat([a, b], axis: 1)
        #expect(c.shape == [2, 3, 2])
        #expect(c.data == [1, 2, 5, 6, 7, 8, 3, 4, 9, 10, 11, 12])
    }

    /// A [T, d] table broadcasts over the sentences of [B, T, d].
    @Test func aTableOfPositionsIsAddedToEverySentence() {
        let x = Tensor(shape: [2, 2, 1], data: [1, 2, 3, 4])
        let positions = Tensor(shape: [2, 1], data: [10, 20])
        #expect((x + positions).data == [11, 22, 13, 24])
    }

    /// Each row is normalised with its biased variance, then scaled and shifted; the
    /// expected values are the formula in Double.
    @Test func layerNormFollowsItsDefinition() {
        var generator = SeededGenerator(seed: 22)
        let (rows, d) = (3, 6)
        let x = randomTensor([rows, d], &generator, scale: 3)
        let gamma = randomTensor([d], &generator), beta = randomTensor([d], &generator)
        let y = x.layerNorm(gamma: gamma, beta: beta)
        for r in 0..<rows {
            let row = x.data[(r * d)..<((r + 1) * d)].map(Double.init)
            let mean = row.reduce(0, +) / Double(d)
            let variance = row.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(d)
            for c in 0..<d {
                let expected = Double(gamma.data[c]) * (row[c] - mean) / (variance + 1e-5).squareRoot() + Double(beta.data[c])
                #expect(abs(Double(y.data[r * d + c]) - expected) < 1e-5, "row \(r), feature \(c)")
            }
        }
    }

    /// Without a causal mask and with scale 1, the attention softmax is bitwise the
    /// per-element `maskedSoftmax` given each sentence's key mask for every head and query.
    @Test func attentionSoftmaxIsTheMaskedSoftmaxOfItsExpandedMask() {
        var generator = SeededGenerator(seed: 23)
        let (batch, heads, queries, keys) = (2, 3, 4, 5)
        let energies = randomTensor([batch, heads, queries, keys], &generator, scale: 4)
        let keyMask = [true, true, true, false, false, true, true, true, true, true]
        let expanded = (0..<energies.count).map { keyMask[($0 / (heads * queries * keys)) * keys + $0 % keys] }
        let y = energies.maskedSoftmax(keyMask: keyMask)
        #expect(y.data == energies.maskedSoftmax(mask: expanded).data)
        #expect(y.data[3] == 0 && y.data[4] == 0, "padding keys get weight exactly 0")
    }

    /// With `causal`, query i sees keys 0…i (or, with fewer queries than keys, the keys up
    /// to its own position at the end); masked keys get exactly 0; the visible weights are
    /// softmax(scale · e), computed in Double; every row sums to 1.
    @Test(arguments: [4, 2, 1])
    func causalSoftmaxLooksOnlyBackwards(queries: Int) {
        var generator = SeededGenerator(seed: 24)
        let keys = 4, scale: Float = 0.5
        let energies = randomTensor([1, 2, queries, keys], &generator, scale: 4)
        let keyMask = [true, true, false, true]
        let y = energies.maskedSoftmax(keyMask: keyMask, causal: true, scale: scale)
        for row in 0..<(2 * queries) {
            let position = row % queries + keys - queries
            let e = energies.data[(row * keys)..<((row + 1) * keys)].map(Double.init)
            let visible = (0..<keys).filter { $0 <= position && keyMask[$0] }
            let total = visible.map { Foundation.exp(Double(scale) * e[$0]) }.reduce(0, +)
            for j in 0..<keys {
                let weight = y.data[row * keys + j]
                if visible.contains(j) {
                    #expect(abs(Double(weight) - Foundation.exp(Double(scale) * e[j]) / total) < 1e-6)
                } else {
                    #expect(weight == 0, "row \(row), key \(j)")
                }
            }
            let sum = y.data[(row * keys)..<((row + 1) * keys)].reduce(0, +)
            #expect(abs(sum - 1) < 1e-6)
        }
    }

    /// A sentence whose first query has no key to attend to stops the program instead of
    /// giving NaN weights.
    @Test func aQueryWithoutKeysStopsTheProgram() async {
        await #expect(processExitsWith: .failure) {
            let energies = Tensor(zeros: [1, 1, 2, 2])
            _ = energies.maskedSoftmax(keyMask: [false, true], causal: true)
        }
    }
}
