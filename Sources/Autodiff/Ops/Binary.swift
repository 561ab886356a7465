/// Elementwise add, subtract and multiply, with broadcasting of a repeated block, and scaling.

extension Tensor {
    /// How `b` lines up with `a` in a binary op: the same shape, or a block repeated for
    /// every leading index of `a`, either one row (a bias [d] over [..., d]) or `a`'s
    /// trailing axes (a positional table [T, d] over [B, T, d]). The adjoint of repeating
    /// a block is summing over its repeats.
    private static func broadcasts(_ a: Tensor, _ b: Tensor, _ op: String) -> Bool {
        if a.count == b.count && a.shape == b.shape { return false }
        let row = b.count == a.columns && b.shape.last == a.columns
        let trailing = b.shape.count < a.shape.count && Array(a.shape.suffix(b.shape.count)) == b.shape
        precondition(row || trailing, "\(op): shape \(b.shape) does not broadcast over \(a.shape)")
        return true
    }

    /// `f(x[i], y[i])` for every element, where `y` is either `x`'s size or a block that
    /// repeats along `x`.
    @inline(__always)
    private static func combine(_ x: [Float], _ y: [Float], broadcast: Bool,
                                _ f: (Float, Float) -> Float) -> [Float] {
        let block = broadcast ? y.count : x.count
        // Every element is written below, so the result needs no zero fill first.
        return [Float](unsafeUninitializedCapacity: x.count) { po, initialized in
            x.withUnsafeBufferPointer { px in
                y.withUnsafeBufferPointer { py in
                    for r in 0..<(x.count / max(block, 1)) {
                        let base = r * block
                        for c in 0..<block { po[base + c] = f(px[base + c], py[c]) }
                    }
                }
            }
            initialized = x.count
        }
    }

    /// Adds `row` into each of `rows` consecutive rows at `matrix`, in place: the values
    /// of `matrix + row` with the row broadcast, for an op that adds a bias into a
    /// product's own output instead of allocating the sum.
    static func addRow(_ row: [Float], to matrix: UnsafeMutablePointer<Float>, rows: Int) {
        row.withUnsafeBufferPointer { b in
            for r in 0..<rows {
                // Through a pointer to the row, so that the loop's index is a plain
                // counter and it vectorises.
                let y = matrix + r * b.count
                for c in 0..<b.count { y[c] = y[c] + b[c] }
            }
        }
    }

    /// Sums a gradient of `a`'s shape over the repeats of a block of `block` values.
    static func sumRepeats(_ g: [Float], block: Int) -> [Float] {
        var out = [Float](repeating: 0, count: block)
        g.withUnsafeBufferPointer { pg in
            out.withUnsafeMutableBufferPointer { po in
                for r in 0..<(g.count / max(block, 1)) {
                    for c in 0..<block { po[c] += pg[r * block + c] }
                }
            }
        }
        return out
    }

    /// `a + b`, where `b` has `a`'s shape or is a repeated block.
    public static func + (a: Tensor, b: Tensor) -> Tensor {
        let broadcast = broadcasts(a, b, "add")
        let block = b.count
        return Tensor(shape: a.shape, data: combine(a.data, b.data, broadcast: broadcast, +), inputs: [a, b]) { g in
            a.accumulateIfNeeded(g)
            b.accumulateIfNeeded(broadcast ? sumRepeats(g, block: block) : g)
        }
    }

    /// `a - b`, where `b` has `a`'s shape or is a repeated block.
    public static func - (a: Tensor, b: Tensor) -> Tensor {
        let broadcast = broadcasts(a, b, "subtract")
        let block = b.count
        return Tensor(shape: a.shape, data: combine(a.data, b.data, broadcast: broadcast, -), inputs: [a, b]) { g in
            a.accumulateIfNeeded(g)
            b.accumulateIfNeeded((broadcast ? sumRepeats(g, block: block) : g).map { -$0 })
        }
    }

    /// `a ⊙ b` (elementwise), where `b` has `a`'s shape or is a repeated block.
    public static func * (a: Tensor, b: Tensor) -> Tensor {
        let broadcast = broadcasts(a, b, "multiply")
        let block = b.count
        return Tensor(shape: a.shape, data: combine(a.data, b.data, broadcast: broadcast, *), inputs: [a, b]) { g in
            if a.requiresGrad { a.accumulate(combine(g, b.data, broadcast: broadcast, *)) }
            if b.requiresGrad {
                let full = combine(g, a.data, broadcast: false, *)
                b.accumulate(broadcast ? sumRepeats(full, block: block) : full)
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
