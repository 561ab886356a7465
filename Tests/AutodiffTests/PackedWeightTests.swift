/// The packed copy of a weight matrix that a search multiplies by: every value summed in
/// the documented order, whatever the batch, the edges or the threads.

import Testing
@testable import Autodiff
import TestSupport

struct PackedWeightTests {
    /// y[i, c] = Σ_p x[i, p] W[c, p], one fused multiply-add per p in the order
    /// p = 0, 1, …, from zero: the value a scalar loop gives, to the bit. The shapes cut
    /// the panels (16 columns) and the blocks (6 or 4 rows) at every kind of edge, and
    /// more rows than one group of blocks (96) holds; the inputs end at a chunk's end
    /// (`depthChunk`, 256), inside one, or are none at all (every sum is an empty one,
    /// zero); one row (the matrix–vector kernel) takes panels four at a time and one by
    /// one, with a partial panel at the end or without.
    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 13, 32, 64, 100])
    func sumsInOrderWithOneRoundingPerInput(rows m: Int) {
        var generator = SeededGenerator(seed: UInt64(m))
        for (n, k) in [(1, 1), (5, 7), (16, 64), (17, 3), (33, 130), (100, 9), (128, 5), (32, 512), (17, 600), (20, 0)] {
            let w = randomTensor([n, k], &generator, scale: 1)
            let x = randomTensor([m, k], &generator, scale: 1)
            let got = product(PackedWeight(w), x, rows: m)
            let expected = sumsInOrder(rows: m, columns: n, depth: k) { i, c, p in (x.data[i * k + p], w.data[c * k + p]) }
            #expect(got.values.map(\.bitPattern) == expected.map(\.bitPattern), "\(m) × \(k) · [\(n), \(k)]ᵀ")
            #expect(got.beyond.allSatisfy { $0.isNaN }, "wrote past y at \(m) × \(n)")
        }
    }

    /// The blocks cover m rows with at most one row of padding (two for m = 2, in one
    /// block of four), in blocks of six and at most two of four.
    @Test func blocksCoverTheRowsWithLittlePadding() {
        for m in 2...200 {
            let heights = PackedWeight.blockHeights(rows: m)
            let padding = heights.reduce(0, +) - m
            #expect(padding >= 0 && padding <= (m == 2 ? 2 : 1), "\(m) rows: \(heights)")
            #expect(heights.allSatisfy { $0 == 6 || $0 == 4 } && heights.filter { $0 == 4 }.count <= 2,
                    "\(m) rows: \(heights)")
        }
    }

    /// A sentence's row gets the same values in a batch of 64 as beside one other row or
    /// alone: a translation does not depend on the sentences decoded with it.
    @Test func aRowDoesNotDependOnItsBatch() {
        var generator = SeededGenerator(seed: 9)
        let (n, k) = (70, 48)
        let packed = PackedWeight(randomTensor([n, k], &generator, scale: 1))
        let x = randomTensor([64, k], &generator, scale: 1)
        let all = product(packed, x, rows: 64).values
        for i in [0, 5, 6, 41, 63] {
            let row = Array(x.data[(i * k)..<((i + 1) * k)])
            let pair = Tensor(shape: [2, k], data: row + Array(x.data[0..<k]))
            #expect(product(packed, pair, rows: 2).values[0..<n] == all[(i * n)..<((i + 1) * n)], "row \(i)")
            let alone = Tensor(shape: [1, k], data: row)
            #expect(product(packed, alone, rows: 1).values[...] == all[(i * n)..<((i + 1) * n)], "row \(i) alone")
        }
    }

    /// Shared among two threads, panel by panel, the product has the bits of one thread.
    @Test(arguments: [40, 1])
    func twoThreadsGiveTheBitsOfOne(rows m: Int) {
        var generator = SeededGenerator(seed: 10)
        let (n, k) = (700, 300)
        let packed = PackedWeight(randomTensor([n, k], &generator, scale: 1))
        let x = randomTensor([m, k], &generator, scale: 1)
        let two = withEngineThreads(2) { product(packed, x, rows: m).values }
        let one = product(packed, x, rows: m).values
        #expect(two.map(\.bitPattern) == one.map(\.bitPattern))
    }

    /// The transpose packed beside W gives dx = dy W, each dx[i, q] = Σ_c dy[i, c] W[c, q]
    /// summed in the order c = 0, 1, … with one rounding per step, to the bit; without
    /// `withTranspose` there is none.
    @Test(arguments: [1, 7, 32])
    func theTransposeGivesTheOtherProductInOrder(rows m: Int) {
        var generator = SeededGenerator(seed: 11)
        for (n, k) in [(1, 1), (5, 7), (33, 130), (100, 9)] {
            let w = randomTensor([n, k], &generator, scale: 1)
            let dy = randomTensor([m, n], &generator, scale: 1)
            #expect(PackedWeight(w).transposed == nil)
            let transposed = PackedWeight(w, withTranspose: true).transposed!
            #expect(transposed.outputs == k && transposed.inputs == n)
            let got = product(transposed, dy, rows: m)
            let expected = sumsInOrder(rows: m, columns: k, depth: n) { i, q, c in (dy.data[i * n + c], w.data[c * k + q]) }
            #expect(got.values.map(\.bitPattern) == expected.map(\.bitPattern), "\(m) × \(n) · [\(n), \(k)]")
            #expect(got.beyond.allSatisfy { $0.isNaN }, "wrote past dx at \(m) × \(k)")
        }
    }

    /// Packed on two threads, panel by panel, the copy is the one packed on one.
    @Test func packingOnTwoThreadsGivesTheSameCopy() {
        var generator = SeededGenerator(seed: 12)
        let w = randomTensor([300, 70], &generator, scale: 1), x = randomTensor([9, 70], &generator, scale: 1)
        let dy = randomTensor([9, 300], &generator, scale: 1)
        let one = PackedWeight(w, withTranspose: true)
        let two = withEngineThreads(2) { PackedWeight(w, withTranspose: true) }
        #expect(product(two, x, rows: 9).values.map(\.bitPattern) == product(one, x, rows: 9).values.map(\.bitPattern))
        #expect(product(two.transposed!, dy, rows: 9).values.map(\.bitPattern)
                == product(one.transposed!, dy, rows: 9).values.map(\.bitPattern))
    }

    /// [rows, columns] sums Σ_p a·b over the `depth` pairs `term(row, column, p)` gives,
    /// one fused multiply-add per p in the order p = 0, 1, …, from zero: what the kernels
    /// must give, to the bit.
    private func sumsInOrder(rows: Int, columns: Int, depth: Int,
                             _ term: (Int, Int, Int) -> (Float, Float)) -> [Float] {
        var sums = [Float](repeating: 0, count: rows * columns)
        for i in 0..<rows {
            for c in 0..<columns {
                var sum: Float = 0
                for p in 0..<depth {
                    let (a, b) = term(i, c, p)
                    sum.addProduct(a, b)
                }
                sums[i * columns + c] = sum
            }
        }
        return sums
    }

    /// y = x Wᵀ into a buffer with a guard of NaNs after it, which must stay untouched.
    private func product(_ packed: PackedWeight, _ x: Tensor, rows m: Int) -> (values: [Float], beyond: [Float]) {
        let size = m * packed.outputs
        var y = [Float](repeating: .nan, count: size + 64)
        x.data.withUnsafeBufferPointer { x in
            y.withUnsafeMutableBufferPointer { packed.product(x.baseAddress!, $0.baseAddress!, rows: m) }
        }
        return (Array(y[0..<size]), Array(y[size...]))
    }
}
