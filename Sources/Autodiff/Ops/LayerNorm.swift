/// Layer normalisation (Ba, Kiros and Hinton, 2016) as one fused op with a hand-written
/// backward.

extension Tensor {
    /// Normalises each row (the last axis, d features) to mean 0 and variance 1, then
    /// scales and shifts it, γ and β being [d]:
    ///
    ///     μ = (1/d) Σ_c x_c,   σ² = (1/d) Σ_c (x_c − μ)²      the biased variance, as PyTorch
    ///     x̂ = (x − μ) r,       r = 1 / √(σ² + ε)
    ///     y = γ ⊙ x̂ + β
    ///
    /// Backward is one pass per row from the saved x̂ and r, with g = γ ⊙ dy:
    ///
    ///     dx = r (g − mean_c(g) − x̂ ⊙ mean_c(g ⊙ x̂))
    ///     dγ = Σ_rows dy ⊙ x̂,   dβ = Σ_rows dy
    ///
    /// Built from elementwise ops it would record about ten nodes, each an array of the
    /// input's size; the Transformer normalises two or three times per layer. Rows are
    /// independent, so they are shared among the threads.
    public func layerNorm(gamma: Tensor, beta: Tensor, epsilon: Float = 1e-5) -> Tensor {
        let x = self, d = columns, rows = rows
        precondition(gamma.shape == [d] && beta.shape == [d],
                     "layerNorm: gamma \(gamma.shape) and beta \(beta.shape) for rows of \(d)")
        let (y, normalised, inverse) = Tensor.normalisingRows(x.data, gamma.data, beta.data,
                                                              rows: rows, d: d, epsilon: epsilon)
        return Tensor(shape: shape, data: y, inputs: [x, gamma, beta]) { dy in
            if x.requiresGrad {
                x.accumulate(Tensor.layerNormInputGradient(dy, normalised, inverse, gamma.data, rows: rows, d: d))
            }
            if gamma.requiresGrad || beta.requiresGrad {
                var dGamma = [Float](repeating: 0, count: d), dBeta = [Float](repeating: 0, count: d)
                for r in 0..<rows {
                    for c in 0..<d {
                        dGamma[c] += dy[r * d + c] * normalised[r * d + c]
                        dBeta[c] += dy[r * d + c]
                    }
                }
                gamma.accumulateIfNeeded(dGamma)
                beta.accumulateIfNeeded(dBeta)
            }
        }
    }

    /// The forward pass: y, x̂ (both [rows, d]) and r (one per row).
    private static func normalisingRows(_ x: [Float], _ gamma: [Float], _ beta: [Float],
                                        rows: Int, d: Int, epsilon: Float) -> ([Float], [Float], [Float]) {
        var inverse = [Float](repeating: 0, count: rows)
        var normalised = [Float](repeating: 0, count: rows * d)
        let y = x.withUnsafeBufferPointer { x in
            normalised.withUnsafeMutableBufferPointer { xhat in
                inverse.withUnsafeMutableBufferPointer { inverse in
                    uninitializedArray(count: rows * d) { y in
                        forEachRowRange(rows, costPerRow: 4 * d) { range in
                            for r in range {
                                let row = x.baseAddress! + r * d, xhatRow = xhat.baseAddress! + r * d
                                var mean: Float = 0
                                for c in 0..<d { mean += row[c] }
                                mean /= Float(d)
                                var variance: Float = 0
                                for c in 0..<d { variance += (row[c] - mean) * (row[c] - mean) }
                                let rInverse = 1 / (variance / Float(d) + epsilon).squareRoot()
                                for c in 0..<d {
                                    xhatRow[c] = (row[c] - mean) * rInverse
                                    y[r * d + c] = gamma[c] * xhatRow[c] + beta[c]
                                }
                                inverse[r] = rInverse
                            }
                        }
                    }
                }
            }
        }
        return (y, normalised, inverse)
    }

    /// dx = r (g − mean(g) − x̂ ⊙ mean(g ⊙ x̂)) with g = γ ⊙ dy, row by row.
    private static func layerNormInputGradient(_ dy: [Float], _ normalised: [Float], _ inverse: [Float],
                                               _ gamma: [Float], rows: Int, d: Int) -> [Float] {
        dy.withUnsafeBufferPointer { dy in
            normalised.withUnsafeBufferPointer { xhat in
                uninitializedArray(count: rows * d) { dx in
                    forEachRowRange(rows, costPerRow: 4 * d) { range in
                        for r in range {
                            let base = r * d
                            var meanG: Float = 0, meanGX: Float = 0
                            for c in 0..<d {
                                let g = gamma[c] * dy[base + c]
                                meanG += g
                                meanGX += g * xhat[base + c]
                            }
                            meanG /= Float(d)
                            meanGX /= Float(d)
                            for c in 0..<d {
                                dx[base + c] = inverse[r] * (gamma[c] * dy[base + c] - meanG - xhat[base + c] * meanGX)
                            }
                        }
                    }
                }
            }
        }
    }
}
