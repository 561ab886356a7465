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

    /// Updates every parameter from its gradient (a parameter without one is left alone),
    /// then clears the gradients.
    public mutating func update() {
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
                            // of them go to the cores; a block's length is a multiple of
                            // the vector width, so each value takes the same path as on
                            // one thread.
                            forEachBlockRange(x.count, block: 4096, costPerValue: 4) { values in
                                Self.step(UnsafeMutableBufferPointer(rebasing: x[values]),
                                          UnsafeMutableBufferPointer(rebasing: m[values]),
                                          UnsafeMutableBufferPointer(rebasing: v[values]),
                                          UnsafeBufferPointer(rebasing: g[values]),
                                          beta1: beta1, beta2: beta2, epsilon: epsilon,
                                          rate: rate, correction2: correction2)
                            }
                        }
                    }
                }
            }
            p.zeroGrad()
        }
    }

    /// One parameter's update, eight values at a time. The compiler does not vectorise the
    /// scalar loop itself (its square root keeps a slow path for negative numbers), so
    /// the loop is written on SIMD vectors, loaded and stored whole; every operation is
    /// IEEE-exact per lane, so the results are bitwise those of the scalar formula, which
    /// finishes the tail.
    private static func step(_ x: UnsafeMutableBufferPointer<Float>, _ m: UnsafeMutableBufferPointer<Float>,
                             _ v: UnsafeMutableBufferPointer<Float>, _ g: UnsafeBufferPointer<Float>,
                             beta1: Float, beta2: Float, epsilon: Float, rate: Float, correction2: Float) {
        typealias Lanes = SIMD8<Float>
        let width = Lanes.scalarCount, vectorEnd = x.count - x.count % width
        let (px, pm, pv, pg) = (UnsafeMutableRawPointer(x.baseAddress), UnsafeMutableRawPointer(m.baseAddress),
                                UnsafeMutableRawPointer(v.baseAddress), UnsafeRawPointer(g.baseAddress))
        for i in stride(from: 0, to: vectorEnd, by: width) {
            let offset = i * MemoryLayout<Float>.stride
            let gi = pg!.loadUnaligned(fromByteOffset: offset, as: Lanes.self)
            let mi = beta1 * pm!.loadUnaligned(fromByteOffset: offset, as: Lanes.self) + (1 - beta1) * gi
            let vi = beta2 * pv!.loadUnaligned(fromByteOffset: offset, as: Lanes.self) + (1 - beta2) * gi * gi
            let xi = px!.loadUnaligned(fromByteOffset: offset, as: Lanes.self)
                - rate * mi / ((vi / correction2).squareRoot() + epsilon)
            pm!.storeBytes(of: mi, toByteOffset: offset, as: Lanes.self)
            pv!.storeBytes(of: vi, toByteOffset: offset, as: Lanes.self)
            px!.storeBytes(of: xi, toByteOffset: offset, as: Lanes.self)
        }
        for i in vectorEnd..<x.count {
            m[i] = beta1 * m[i] + (1 - beta1) * g[i]
            v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i]
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
