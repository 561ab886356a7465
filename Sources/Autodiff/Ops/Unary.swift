/// Elementwise functions: tanh, sigmoid, exp, log and relu, each with its derivative.

#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

extension Tensor {
    /// Applies `f` elementwise; `derivative(x, y)` is f'(x) given the input x and output y.
    /// The forward values (most of them an exponential or a logarithm) are shared among
    /// the threads.
    private func map(_ f: (Float) -> Float,
                     derivative: @escaping (Float, Float) -> Float) -> Tensor {
        let x = self
        let y = x.data.withUnsafeBufferPointer { input in
            uninitializedArray(count: x.count) { output in
                forEachRowRange(x.count, costPerRow: 16) { range in
                    for i in range { output[i] = f(input[i]) }
                }
            }
        }
        return Tensor(shape: shape, data: y, inputs: [x]) { g in
            x.accumulate((0..<g.count).map { g[$0] * derivative(x.data[$0], y[$0]) })
        }
    }

    /// tanh, with tanh' = 1 − y².
    public func tanh() -> Tensor { map(fastTanh) { _, y in 1 - y * y } }

    /// The logistic function σ(x) = 1 / (1 + e⁻ˣ), with σ' = y (1 − y).
    public func sigmoid() -> Tensor { map(logistic) { _, y in y * (1 - y) } }

    /// eˣ (`exponential`, within an ulp of the C library's), its own derivative.
    public func exp() -> Tensor { map(exponential) { _, y in y } }

    /// The natural logarithm, with log' = 1 / x.
    public func log() -> Tensor { map(logf) { x, _ in 1 / x } }

    /// The rectifier max(0, x) of the Transformer's feed-forward layer, with derivative 1
    /// where x > 0 and 0 elsewhere (0 at x = 0 itself, as PyTorch takes it). Written as a
    /// comparison with 0 so that NaN passes on: `Swift.max(0, .nan)` would be 0.
    public func relu() -> Tensor { map({ $0 < 0 ? 0 : $0 }) { _, y in y > 0 ? 1 : 0 } }
}
