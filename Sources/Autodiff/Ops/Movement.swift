/// Ops that move values without changing them, each the adjoint of another:
/// concatenate ↔ split, slice rows ↔ stack rows, repeat rows ↔ sum groups of rows,
/// reshape ↔ reshape, swap axes ↔ swap axes, split heads ↔ merge heads.

extension Tensor {
    /// The same values seen with another shape of the same size.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        precondition(newShape.reduce(1, *) == count, "reshape: \(shape) to \(newShape)")
        let x = self
        return Tensor(shape: newShape, data: data, inputs: [x]) { g in x.accumulate(g) }
    }

    /// Joins tensors along the feature (last) axis; all have the same rows.
    public static func concat(_ parts: [Tensor]) -> Tensor {
        let rows = parts[0].rows
        precondition(parts.allSatisfy { $0.rows == rows }, "concat: row counts differ, \(parts.map(\.shape))")
        let widths = parts.map(\.columns)
        return joining(parts, rows: rows, widths: widths,
                       shape: Array(parts[0].shape.dropLast()) + [widths.reduce(0, +)])
    }

    /// Joins tensors along `axis`; all their other axes agree. A decoder's key cache
    /// [B, k, t, dh] grows this way by one position along axis 2.
    ///
    /// Seen as [outer, width] with `outer` the product of the axes before `axis`, each
    /// part adds a block of `width` values to every row, as for the feature axis.
    public static func concat(_ parts: [Tensor], axis: Int) -> Tensor {
        let shape = parts[0].shape
        precondition(axis >= 0 && axis < shape.count, "concat: axis \(axis) out of range for \(shape)")
        let agrees = { (part: Tensor) in
            part.shape.count == shape.count && shape.indices.allSatisfy { $0 == axis || part.shape[$0] == shape[$0] }
        }
        precondition(parts.allSatisfy(agrees), "concat: shapes differ off axis \(axis), \(parts.map(\.shape))")
        let rows = shape[..<axis].reduce(1, *)
        var joined = shape
        joined[axis] = parts.map { $0.shape[axis] }.reduce(0, +)
        return joining(parts, rows: rows, widths: parts.map { $0.count / max(rows, 1) }, shape: joined)
    }

    /// Every row of the result is the parts' rows, one after another: part i gives
    /// `widths[i]` values to each of `rows` rows. Backward cuts the gradient the same way.
    private static func joining(_ parts: [Tensor], rows: Int, widths: [Int], shape: [Int]) -> Tensor {
        let total = widths.reduce(0, +)
        var out = [Float](repeating: 0, count: rows * total)
        var offset = 0
        for (part, w) in zip(parts, widths) {
            for r in 0..<rows {
                for c in 0..<w { out[r * total + offset + c] = part.data[r * w + c] }
            }
            offset += w
        }
        return Tensor(shape: shape, data: out, inputs: parts) { g in
            var offset = 0
            for (part, w) in zip(parts, widths) {
                if part.requiresGrad {
                    var d = [Float](repeating: 0, count: rows * w)
                    for r in 0..<rows {
                        for c in 0..<w { d[r * w + c] = g[r * total + offset + c] }
                    }
                    part.accumulate(d)
                }
                offset += w
            }
        }
    }

    /// Cuts the feature axis into consecutive pieces of the given widths.
    public func split(_ widths: [Int]) -> [Tensor] {
        precondition(widths.reduce(0, +) == columns, "split: \(widths) does not add up to \(columns)")
        var offset = 0
        return widths.map { w in
            defer { offset += w }
            return columns(offset..<(offset + w))
        }
    }

    /// The feature columns in `range`, for every row.
    public func columns(_ range: Range<Int>) -> Tensor {
        let x = self, cols = columns, w = range.count, start = range.lowerBound
        var out = [Float](repeating: 0, count: rows * w)
        for r in 0..<rows {
            for c in 0..<w { out[r * w + c] = data[r * cols + start + c] }
        }
        return Tensor(shape: Array(shape.dropLast()) + [w], data: out, inputs: [x]) { g in
            var d = [Float](repeating: 0, count: x.count)
            for r in 0..<(g.count / max(w, 1)) {
                for c in 0..<w { d[r * cols + start + c] = g[r * w + c] }
            }
            x.accumulate(d)
        }
    }

    /// Entries `range` of the first axis: with time-major sequences, time step t is
    /// `self[t..<t+1]`, a contiguous block, so this costs one copy.
    public subscript(range: Range<Int>) -> Tensor {
        let x = self
        let block = count / shape[0]
        let newShape = [range.count] + shape.dropFirst()
        let out = Array(data[(range.lowerBound * block)..<(range.upperBound * block)])
        return Tensor(shape: newShape, data: out, inputs: [x]) { g in
            var d = [Float](repeating: 0, count: x.count)
            d.replaceSubrange((range.lowerBound * block)..<(range.upperBound * block), with: g)
            x.accumulate(d)
        }
    }

    /// Joins tensors of equal shape along a new (or the first) axis: `stack([x₁…x_T])` of
    /// [B, H] each is [T, B, H].
    public static func stack(_ parts: [Tensor]) -> Tensor {
        let shape = parts[0].shape
        precondition(parts.allSatisfy { $0.shape == shape }, "stack: shapes differ, \(parts.map(\.shape))")
        let block = parts[0].count
        var out = [Float]()
        out.reserveCapacity(block * parts.count)
        for p in parts { out.append(contentsOf: p.data) }
        return Tensor(shape: [parts.count] + shape, data: out, inputs: parts) { g in
            for (i, p) in parts.enumerated() where p.requiresGrad {
                p.accumulate(Array(g[(i * block)..<((i + 1) * block)]))
            }
        }
    }

    /// Repeats each row `times` times in place: [r₁, r₂] → [r₁, r₁, r₁, r₂, r₂, r₂].
    /// A sentence's decoder query is repeated once for each of its source positions.
    public func repeatingRows(_ times: Int) -> Tensor {
        let x = self, cols = columns, rows = rows
        var out = [Float](repeating: 0, count: rows * times * cols)
        for r in 0..<rows {
            for k in 0..<times {
                for c in 0..<cols { out[(r * times + k) * cols + c] = data[r * cols + c] }
            }
        }
        return Tensor(shape: [rows * times, cols], data: out, inputs: [x]) { g in
            var d = [Float](repeating: 0, count: x.count)
            for r in 0..<rows {
                for k in 0..<times {
                    for c in 0..<cols { d[r * cols + c] += g[(r * times + k) * cols + c] }
                }
            }
            x.accumulate(d)
        }
    }

    /// Swaps the first two axes: time-major [T, B, …] becomes batch-major [B, T, …].
    public func swappingFirstAxes() -> Tensor {
        precondition(shape.count >= 2, "swappingFirstAxes: needs two axes, got \(shape)")
        let x = self, (a, b) = (shape[0], shape[1])
        let block = count / max(a * b, 1)
        var newShape = shape
        newShape.swapAt(0, 1)
        let out = Tensor.exchangingAxes(data, outer: 1, a, b, inner: block)
        return Tensor(shape: newShape, data: out, inputs: [x]) { g in
            // The gradient has the swapped shape [b, a, …]: swapping back is its own adjoint.
            x.accumulate(Tensor.exchangingAxes(g, outer: 1, b, a, inner: block))
        }
    }

    /// Multi-head attention's split of the feature axis into `heads` heads, each moved
    /// before time so that a head is one contiguous [T, dh] matrix per sentence:
    /// [B, T, k·dh] → [B, k, T, dh]. The adjoint is `mergingHeads`.
    public func splittingHeads(_ heads: Int) -> Tensor {
        precondition(shape.count == 3 && shape[2] % heads == 0,
                     "splittingHeads: \(heads) heads do not divide the features of \(shape)")
        let x = self, (batch, time, headSize) = (shape[0], shape[1], shape[2] / heads)
        let out = Tensor.exchangingAxes(data, outer: batch, time, heads, inner: headSize)
        return Tensor(shape: [batch, heads, time, headSize], data: out, inputs: [x]) { g in
            x.accumulate(Tensor.exchangingAxes(g, outer: batch, heads, time, inner: headSize))
        }
    }

    /// The heads' results side by side again, the concatenation [head_1; …; head_k] of
    /// every position: [B, k, T, dh] → [B, T, k·dh]. The adjoint is `splittingHeads`.
    public func mergingHeads() -> Tensor {
        precondition(shape.count == 4, "mergingHeads: needs [B, k, T, dh], got \(shape)")
        let x = self, (batch, heads, time, headSize) = (shape[0], shape[1], shape[2], shape[3])
        let out = Tensor.exchangingAxes(data, outer: batch, heads, time, inner: headSize)
        return Tensor(shape: [batch, time, heads * headSize], data: out, inputs: [x]) { g in
            x.accumulate(Tensor.exchangingAxes(g, outer: batch, time, heads, inner: headSize))
        }
    }

    /// `src` seen as [outer, a, b, inner], with the two middle axes exchanged:
    /// [outer, b, a, inner]. Blocks of `inner` values move whole.
    private static func exchangingAxes(_ src: [Float], outer: Int, _ a: Int, _ b: Int, inner: Int) -> [Float] {
        src.withUnsafeBufferPointer { from in
            uninitializedArray(count: src.count) { to in
                for o in 0..<outer {
                    for i in 0..<a {
                        for j in 0..<b {
                            let source = ((o * a + i) * b + j) * inner, target = ((o * b + j) * a + i) * inner
                            for c in 0..<inner { to[target + c] = from[source + c] }
                        }
                    }
                }
            }
        }
    }
}
