/// The values of `slidingWindows`: the product of the windows with filters is the 1-D
/// convolution (PyTorch's conv1d with padding (w − 1)/2) written out from its definition.

import Testing
@testable import Autodiff

struct SlidingWindowsTests {
    @Test func windowsAreCentredAndZeroPaddedAtBothEnds() {
        let x = Tensor(shape: [1, 4], data: [1, 2, 3, 4])
        #expect(x.slidingWindows(width: 3).data == [0, 1, 2, 1, 2, 3, 2, 3, 4, 3, 4, 0])
        #expect(x.slidingWindows(width: 1).data == x.data)
    }

    /// f[b, j, k] = Σ_i F[k, i] x[b, j + i − (w − 1)/2], with x = 0 outside the row.
    @Test(arguments: [1, 3, 5])
    func productWithFiltersIsTheConvolution(width: Int) {
        var generator = SeededGenerator(seed: 45)
        let (rows, n, filters) = (3, 6, 2)
        let x = randomTensor([rows, n], &generator), f = randomTensor([filters, width], &generator)
        let product = Tensor.matmul(x.slidingWindows(width: width), f, transposeB: true)   // [rows·n, K]
        #expect(product.shape == [rows * n, filters])
        for b in 0..<rows {
            for j in 0..<n {
                for k in 0..<filters {
                    var expected: Float = 0
                    for i in 0..<width where (0..<n).contains(j + i - (width - 1) / 2) {
                        expected += f.data[k * width + i] * x.data[b * n + j + i - (width - 1) / 2]
                    }
                    #expect(abs(product.data[(b * n + j) * filters + k] - expected) < 1e-6)
                }
            }
        }
    }
}
