/// The sliding windows of a row (im2col in one dimension), so that a 1-D convolution is
/// one matrix product; the adjoint adds each window back where it came from.

extension Tensor {
    /// Every position's window of `width` (odd) neighbours along each row, centred on it
    /// and zero beyond the row's ends: x [R, n] (any leading axes, as rows) gives
    /// [R·n, width] with
    ///
    ///     out[r·n + j, i] = x[r, j + i − (width − 1)/2],   0 where that index is outside 0..<n.
    ///
    /// A convolution of K filters F [K, width] over the rows is then
    /// `matmul(x.slidingWindows(width:), F, transposeB: true)`, [R·n, K]: PyTorch's
    /// `conv1d(x, F, padding: (width − 1)/2)`, a cross-correlation, as every deep-learning
    /// library computes it.
    ///
    /// Backward (the adjoint of copying into windows is adding out of them):
    /// dx[r, j + i − c] += dout[r·n + j, i] for every entry that came from inside the row.
    public func slidingWindows(width: Int) -> Tensor {
        precondition(width >= 1 && width % 2 == 1, "slidingWindows: width \(width) must be odd and positive")
        let x = self, (rows, n, centre) = (rows, columns, (width - 1) / 2)
        // The source index of each output entry, or nil for the zeros beyond the ends.
        func source(_ r: Int, _ j: Int, _ i: Int) -> Int? {
            let k = j + i - centre
            return k >= 0 && k < n ? r * n + k : nil
        }
        var out = [Float](repeating: 0, count: rows * n * width)
        for r in 0..<rows {
            for j in 0..<n {
                for i in 0..<width {
                    if let k = source(r, j, i) { out[(r * n + j) * width + i] = data[k] }
                }
            }
        }
        return Tensor(shape: [rows * n, width], data: out, inputs: [x]) { g in
            var dx = [Float](repeating: 0, count: x.count)
            for r in 0..<rows {
                for j in 0..<n {
                    for i in 0..<width {
                        if let k = source(r, j, i) { dx[k] += g[(r * n + j) * width + i] }
                    }
                }
            }
            x.accumulate(dx)
        }
    }
}
