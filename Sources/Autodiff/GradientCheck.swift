/// Comparing an op's backward with central finite differences.

/// The outcome of `checkGradients`: the worst disagreement between the backward pass and
/// the finite-difference estimate, and where it was.
public struct GradientCheckResult: Sendable, CustomStringConvertible {
    public var worstError: Double
    public var input: Int
    public var index: Int
    public var analytic: Double
    public var numeric: Double

    public var description: String {
        "worst error \(worstError) at input \(input)[\(index)]: backward \(analytic), finite differences \(numeric)"
    }
}

/// Checks the gradients of `f` with respect to every tensor in `inputs`.
///
/// The output of `f` is reduced to a scalar by a fixed random projection, L = Σ rᵢ yᵢ, so
/// every output element matters and no two contributions cancel by symmetry. Backward
/// gives dL/dx; each input element is then nudged by ±`epsilon` and
/// (L(x+ε) − L(x−ε)) / 2ε estimates the same number, with L summed in Double so that the
/// estimate is not drowned in Float32 rounding. The error of one element is
/// |analytic − numeric| / max(1, |numeric|): absolute for small gradients, relative for
/// large ones. With ε = 1e-2 the truncation error is O(ε²) ≈ 1e-4 for smooth ops.
public func checkGradients(_ inputs: [Tensor], epsilon: Float = 1e-2, seed: UInt64 = 7,
                           _ f: () -> Tensor) -> GradientCheckResult {
    var generator = SeededGenerator(seed: seed)
    let probe = f()
    let projection = (0..<probe.count).map { _ in generator.nextUniform() * 2 - 1 }

    func projected(_ y: Tensor) -> Double {
        zip(y.data, projection).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
    }

    for x in inputs { x.zeroGrad() }
    let y = f()
    (y * Tensor(shape: y.shape, data: projection)).sum().backward()
    let analytic = inputs.map { x in
        precondition(x.grad == nil || x.grad!.count == x.count, "gradient shape differs from tensor shape \(x.shape)")
        return x.grad ?? [Float](repeating: 0, count: x.count)
    }

    var result = GradientCheckResult(worstError: 0, input: 0, index: 0, analytic: 0, numeric: 0)
    for (n, x) in inputs.enumerated() {
        for i in 0..<x.count {
            let saved = x.data[i]
            x.data[i] = saved + epsilon
            let plus = projected(f())
            x.data[i] = saved - epsilon
            let minus = projected(f())
            x.data[i] = saved
            let numeric = (plus - minus) / (2 * Double(epsilon))
            let error = abs(Double(analytic[n][i]) - numeric) / max(1, abs(numeric))
            if error > result.worstError {
                result = GradientCheckResult(worstError: error, input: n, index: i,
                                             analytic: Double(analytic[n][i]), numeric: numeric)
            }
        }
        x.zeroGrad()
    }
    return result
}
