/// Inverted dropout.

extension Tensor {
    /// Zeroes each element with probability `rate` and scales the survivors by
    /// 1 / (1 − rate), so that the expected value is unchanged and inference needs no
    /// rescaling. The mask comes from `generator`, so a seeded run is repeatable.
    public func dropout(rate: Float, generator: inout SeededGenerator) -> Tensor {
        precondition(rate >= 0 && rate < 1, "dropout: rate \(rate) outside [0, 1)")
        if rate == 0 { return self }
        let x = self, keep = 1 / (1 - rate)
        // A choice between two values, not a branch: which values survive is random, so
        // a branch on it would be mispredicted for about a third of them.
        let scale = uninitializedArray(count: count) { scale in
            for i in 0..<count { scale[i] = generator.nextUniform() >= rate ? keep : 0 }
        }
        return Tensor(shape: shape, data: product(data, scale), inputs: [x]) { g in
            x.accumulate(product(g, scale))
        }
    }
}

/// a ⊙ b, value by value, through pointers so that the loop vectorises.
private func product(_ a: [Float], _ b: [Float]) -> [Float] {
    a.withUnsafeBufferPointer { a in
        b.withUnsafeBufferPointer { b in
            uninitializedArray(count: a.count) { out in
                for i in 0..<a.count { out[i] = a[i] * b[i] }
            }
        }
    }
}
