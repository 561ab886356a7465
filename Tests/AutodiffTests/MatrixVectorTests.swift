/// Products with a single row or column, which `gemm` hands to BLAS's matrix–vector routine.

import Testing
@testable import Autodiff

struct MatrixVectorTests {
    /// `op(a) · op(b)` by the definition, in Double.
    func naiveProduct(_ a: Tensor, _ b: Tensor, transposeA: Bool, transposeB: Bool) -> [Double] {
        let (m, k) = transposeA ? (a.shape[1], a.shape[0]) : (a.shape[0], a.shape[1])
        let n = transposeB ? b.shape[0] : b.shape[1]
        var c = [Double](repeating: 0, count: m * n)
        for i in 0..<m {
            for j in 0..<n {
                for p in 0..<k {
                    let x = transposeA ? a.data[p * m + i] : a.data[i * k + p]
                    let y = transposeB ? b.data[j * k + p] : b.data[p * n + j]
                    c[i * n + j] += Double(x) * Double(y)
                }
            }
        }
        return c
    }

    @Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
    func agreesWithTheDefinition(transposeA: Bool, transposeB: Bool) {
        var generator = SeededGenerator(seed: 11)
        for (m, k, n) in [(1, 37, 53), (53, 37, 1), (1, 37, 1), (1, 1, 9), (9, 1, 1)] {
            let a = randomTensor(transposeA ? [k, m] : [m, k], &generator)
            let b = randomTensor(transposeB ? [n, k] : [k, n], &generator)
            let c = Tensor.matmul(a, b, transposeA: transposeA, transposeB: transposeB)
            let expected = naiveProduct(a, b, transposeA: transposeA, transposeB: transposeB)
            #expect(c.shape == [m, n])
            #expect(zip(c.data, expected).allSatisfy { abs(Double($0) - $1) < 1e-4 },
                    "\(m)×\(k)×\(n) \(transposeA) \(transposeB)")
        }
    }

    /// An inner size of zero is an empty sum: zeros, not whatever memory held before.
    @Test(arguments: [(1, 4), (4, 1), (3, 5)])
    func emptyInnerSizeGivesZeros(m: Int, n: Int) {
        let c = Tensor.matmul(Tensor(zeros: [m, 0]), Tensor(zeros: [0, n]))
        #expect(c.data == [Float](repeating: 0, count: m * n))
    }
}
