/// The values (not only the gradients) of the ops a Transformer adds to the engine.

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
}
