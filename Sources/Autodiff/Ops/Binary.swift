/// Elementwise add, subtract and multiply, with row broadcasting, and scaling.

extension Tensor {
    /// How `b` lines up with `a` in a binary op: the same shape, or one row repeated for
    /// every row of `a` (a bias). The adjoint of repeating a row is summing over rows.
    private static func broadcastsAsRow(_ a: Tensor, _ b: Tensor, _ op: String) -> Bool {
        if a.count == b.count && a.shape == b.shape { return false }
        precondition(b.count == a.columns && b.shape.last == a.columns,
                     "\(op): shape \(b.shape) does not broadcast over \(a.shape)")
        return true
    }

    /// `f(x[i], y[i])` for every element, where `y` is either `x`'s size or one row that
    /// repeats for each of `rows` rows.
    @inline(__always)
    private static func combine(_ x: [Float], _ y: [Float], rows: Int, row: Bool,
                                _ f: (Float, Float) -> Float) -> [Float] {
        let cols = row ? y.count : x.count
        // Every element is written below, so the result needs no zero fill first.
        return [Float](unsafeUninitializedCapacity: x.count) { po, initialized in
            x.withUnsafeBufferPointer { px in
                y.withUnsafeBufferPointer { py in
                    for r in 0..<(row ? rows : 1) {
                        let base = r * cols
                        for c in 0..<cols { po[base + c] = f(px[base + c], py[c]) }
                    }
                }
            }
            initialized = x.count
        }
    }

    /// Sums a gradient of `a`'s shape over rows, to the shape of one row.
    private static func sumRows(_ g: [Float], columns: Int) -> [Float] {
        var out = [Float](repeating: 0, count: columns)
        g.withUnsafeBufferPointer { pg in
            out.withUnsafeMutableBufferPointer { po in
                for r in 0..<(g.count / max(columns, 1)) {
                    for c in 0..<columns { po[c] += pg[r * columns + c] }
                }
            }
        }
        return out
    }

    /// `a + b`, where `b` has `a`'s shape or is a single row.
    public static func + (a: Tensor, b: Tensor) -> Tensor {
        let row = broadcastsAsRow(a, b, "add")
        let cols = a.columns
        return Tensor(shape: a.shape, data: combine(a.data, b.data, rows: a.rows, row: row, +), inputs: [a, b]) { g in
            a.accumulateIfNeeded(g)
            b.accumulateIfNeeded(row ? sumRows(g, columns: cols) : g)
        }
    }

    /// `a - b`, where `b` has `a`'s shape or is a single row.
    public static func - (a: Tensor, b: Tensor) -> Tensor {
        let row = broadcastsAsRow(a, b, "subtract")
        let cols = a.columns
        return Tensor(shape: a.shape, data: combine(a.data, b.data, rows: a.rows, row: row, -), inputs: [a, b]) { g in
            a.accumulateIfNeeded(g)
            b.accumulateIfNeeded((row ? sumRows(g, columns: cols) : g).map { -$0 })
        }
    }

    /// `a ⊙ b` (elementwise), where `b` has `a`'s shape or is a single row.
    public static func * (a: Tensor, b: Tensor) -> Tensor {
        let row = broadcastsAsRow(a, b, "multiply")
        let (rows, cols) = (a.rows, a.columns)
        return Tensor(shape: a.shape, data: combine(a.data, b.data, rows: rows, row: row, *), inputs: [a, b]) { g in
            if a.requiresGrad { a.accumulate(combine(g, b.data, rows: rows, row: row, *)) }
            if b.requiresGrad {
                let full = combine(g, a.data, rows: rows, row: false, *)
                b.accumulate(row ? sumRows(full, columns: cols) : full)
            }
        }
    }

    /// `s · a` for a constant `s`.
    public static func * (s: Float, a: Tensor) -> Tensor {
        Tensor(shape: a.shape, data: a.data.map { s * $0 }, inputs: [a]) { g in
            a.accumulate(g.map { s * $0 })
        }
    }
}
