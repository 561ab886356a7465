/// The Adam optimiser (Kingma and Ba, 2015).

#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
import Autodiff

/// Keeps running averages of each parameter's gradient (m) and squared gradient (v) and
/// steps by m̂ / (√v̂ + ε), where the hats undo the averages' bias towards their zero
/// start. Every parameter thus moves at a scale set by the learning rate, whatever the
/// scale of its gradient.
public struct Adam {
    public var learningRate: Float
    public let beta1: Float, beta2: Float, epsilon: Float
    /// Steps taken so far.
    public private(set) var step = 0
    /// The moments, one array per parameter, in the order of `parameters`.
    public private(set) var firstMoments: [[Float]]
    public private(set) var secondMoments: [[Float]]
    public let parameters: [Tensor]

    public init(parameters: [Tensor], learningRate: Float,
                beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8) {
        self.parameters = parameters
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        firstMoments = parameters.map { [Float](repeating: 0, count: $0.count) }
        secondMoments = firstMoments
    }

    /// Updates every parameter from its gradient times `gradientScale` (a parameter
    /// without one is left alone), then clears the gradients. The scale is clipping's
    /// (`clippingScale`), applied to each value as the update reads it: the values of
    /// scaling every gradient first, to the bit, without a pass of its own over them.
    public mutating func update(gradientScale: Float = 1) {
        step += 1
        let correction1 = 1 - powf(beta1, Float(step))
        let correction2 = 1 - powf(beta2, Float(step))
        let rate = learningRate / correction1
        let (beta1, beta2, epsilon) = (beta1, beta2, epsilon)
        for (k, p) in parameters.enumerated() {
            guard let g = p.grad else { continue }
            g.withUnsafeBufferPointer { g in
                firstMoments[k].withUnsafeMutableBufferPointer { m in
                    secondMoments[k].withUnsafeMutableBufferPointer { v in
                        p.data.withUnsafeMutableBufferPointer { x in
                            // Every value's update is independent of the others, so blocks
                            // of them go to the cores, with the same result on any number.
                            forEachBlockRange(x.count, block: 4096, costPerValue: 4) { values in
                                Self.step(UnsafeMutableBufferPointer(rebasing: x[values]),
                                          UnsafeMutableBufferPointer(rebasing: m[values]),
                                          UnsafeMutableBufferPointer(rebasing: v[values]),
                                          UnsafeBufferPointer(rebasing: g[values]),
                                          beta1: beta1, beta2: beta2, epsilon: epsilon,
                                          rate: rate, correction2: correction2, gradientScale: gradientScale)
                            }
                        }
                    }
                }
            }
            p.zeroGrad()
        }
    }

    /// One parameter's update. The compiler vectorises the loop (the package builds the
    /// numeric modules without C's `errno` for square roots, see `Package.swift`), and
    /// each lane computes the scalar formula with the same IEEE operations.
    private static func step(_ x: UnsafeMutableBufferPointer<Float>, _ m: UnsafeMutableBufferPointer<Float>,
                             _ v: UnsafeMutableBufferPointer<Float>, _ g: UnsafeBufferPointer<Float>,
                             beta1: Float, beta2: Float, epsilon: Float, rate: Float, correction2: Float,
                             gradientScale: Float) {
        for i in 0..<x.count {
            let gi = g[i] * gradientScale
            m[i] = beta1 * m[i] + (1 - beta1) * gi
            v[i] = beta2 * v[i] + (1 - beta2) * gi * gi
            x[i] -= rate * m[i] / ((v[i] / correction2).squareRoot() + epsilon)
        }
    }

    /// Restores the state saved from an optimiser over the same parameters.
    public mutating func restore(step: Int, firstMoments: [[Float]], secondMoments: [[Float]]) {
        precondition(firstMoments.map(\.count) == parameters.map(\.count)
                     && secondMoments.map(\.count) == parameters.map(\.count), "Adam.restore: sizes differ")
        self.step = step
        self.firstMoments = firstMoments
        self.secondMoments = secondMoments
    }
}
