/// Ops that move values without changing them, each the adjoint of another:
/// concatenate ↔ split, slice rows ↔ stack rows, repeat rows ↔ sum groups of rows,
/// reshape ↔ reshape, swap axes ↔ swap axes.

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
        let total = widths.reduce(0, +)
        var out = [Float](repeating: 0, count: rows * total)
        var offset = 0
        for (part, w) in zip(parts, widths) {
            for r in 0..<rows {
                for c in 0..<w { out[r * total + offset + c] = part.data[r * w + c] }
            }
            offset += w
        }
        return Tensor(shape: Array(parts[0].shape.dropLast()) + [total], data: out, inputs: parts) { g in
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
        let block = count / (a * b)
        let swap = { (src: [Float]) -> [Float] in
            var out = [Float](repeating: 0, count: src.count)
            for i in 0..<a {
                for j in 0..<b {
                    let from = (i * b + j) * block, to = (j * a + i) * block
                    for k in 0..<block { out[to + k] = src[from + k] }
                }
            }
            return out
        }
        var newShape = shape
        newShape.swapAt(0, 1)
        return Tensor(shape: newShape, data: swap(data), inputs: [x]) { g in
            // The gradient has the swapped shape [b, a, …]; swapping back is the same loop
            // with the roles of a and b exchanged.
            var out = [Float](repeating: 0, count: g.count)
            for j in 0..<b {
                for i in 0..<a {
                    let from = (j * a + i) * block, to = (i * b + j) * block
                    for k in 0..<block { out[to + k] = g[from + k] }
                }
            }
            x.accumulate(out)
        }
    }
}
