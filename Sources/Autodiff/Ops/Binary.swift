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

    /// Sums a gradient of `a`'s shape over rows, to the shape of one row.
    private static func sumRows(_ g: [Float], columns: Int) -> [Float] {
        var out = [Float](repeating: 0, count: columns)
        let rows = g.count / max(columns, 1)
        for r in 0..<rows {
            for c in 0..<columns { out[c] += g[r * columns + c] }
        }
        return out
    }

    /// `a + b`, where `b` has `a`'s shape or is a single row.
    public static func + (a: Tensor, b: Tensor) -> Tensor {
        let row = broadcastsAsRow(a, b, "add")
        let cols = a.columns
        var out = a.data
        for i in 0..<out.count { out[i] += b.data[row ? i % cols : i] }
        return Tensor(shape: a.shape, data: out, inputs: [a, b]) { g in
            a.accumulateIfNeeded(g)
            b.accumulateIfNeeded(row ? sumRows(g, columns: cols) : g)
        }
    }

    /// `a - b`, where `b` has `a`'s shape or is a single row.
    public static func - (a: Tensor, b: Tensor) -> Tensor {
        let row = broadcastsAsRow(a, b, "subtract")
        let cols = a.columns
        var out = a.data
        for i in 0..<out.count { out[i] -= b.data[row ? i % cols : i] }
        return Tensor(shape: a.shape, data: out, inputs: [a, b]) { g in
            a.accumulateIfNeeded(g)
            b.accumulateIfNeeded((row ? sumRows(g, columns: cols) : g).map { -$0 })
        }
    }

    /// `a ⊙ b` (elementwise), where `b` has `a`'s shape or is a single row.
    public static func * (a: Tensor, b: Tensor) -> Tensor {
        let row = broadcastsAsRow(a, b, "multiply")
        let cols = a.columns
        var out = a.data
        for i in 0..<out.count { out[i] *= b.data[row ? i % cols : i] }
        return Tensor(shape: a.shape, data: out, inputs: [a, b]) { g in
            if a.requiresGrad {
                a.accumulate((0..<g.count).map { g[$0] * b.data[row ? $0 % cols : $0] })
            }
            if b.requiresGrad {
                let full = (0..<g.count).map { g[$0] * a.data[$0] }
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
