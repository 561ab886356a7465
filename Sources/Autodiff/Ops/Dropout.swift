/// Inverted dropout.

extension Tensor {
    /// Zeroes each element with probability `rate` and scales the survivors by
    /// 1 / (1 − rate), so that the expected value is unchanged and inference needs no
    /// rescaling. The mask comes from `generator`, so a seeded run is repeatable.
    public func dropout(rate: Float, generator: inout SeededGenerator) -> Tensor {
        precondition(rate >= 0 && rate < 1, "dropout: rate \(rate) outside [0, 1)")
        if rate == 0 { return self }
        let x = self, keep = 1 / (1 - rate)
        var scale = [Float](repeating: 0, count: count)
        for i in 0..<count where generator.nextUniform() >= rate { scale[i] = keep }
        let out = (0..<count).map { data[$0] * scale[$0] }
        return Tensor(shape: shape, data: out, inputs: [x]) { g in
            x.accumulate((0..<g.count).map { g[$0] * scale[$0] })
        }
    }
}
