/// The most floating-point work a core can do: the roofline that matrix products are
/// measured against.

/// Twelve independent chains x ← x·a + b of fused multiply-adds, in vectors of `Lanes`,
/// with nothing read from or written to memory.
///
/// A core starts one or two fused multiply-adds per cycle, each taking four or five cycles
/// to finish, so at least eight to ten independent chains are needed to keep its units
/// busy; twelve do, on every x86-64 core in use, and fit in the sixteen vector registers
/// of AVX2. Each multiply-add is two floating-point operations per lane.
///
/// Which vector width reaches the peak depends on the core: AVX2 has 8-lane registers,
/// so 16-lane chains spill to memory; some AVX-512 cores (Intel's with two 512-bit units)
/// do twice the work per 16-lane instruction, others (AMD's Zen 4) the same per lane
/// whichever width. `fusedMultiplyAddPeak` times both and keeps the faster.
public enum FusedMultiplyAddChains<Lanes: SIMD> where Lanes.Scalar == Float {
    public static var chains: Int { 12 }

    /// Runs `iterations` steps of every chain, chain c starting from c / 16 in every lane,
    /// and returns the sum of all lanes of all chains at the end (which keeps the compiler
    /// from dropping the loop, and lets a test check the arithmetic).
    @inline(never)
    public static func run(iterations: Int, a: Float = 0.999, b: Float = 0.001) -> Float {
        let (a, b) = (Lanes(repeating: a), Lanes(repeating: b))
        var x0 = Lanes(repeating: 0 / 16), x1 = Lanes(repeating: 1 / 16), x2 = Lanes(repeating: 2 / 16)
        var x3 = Lanes(repeating: 3 / 16), x4 = Lanes(repeating: 4 / 16), x5 = Lanes(repeating: 5 / 16)
        var x6 = Lanes(repeating: 6 / 16), x7 = Lanes(repeating: 7 / 16), x8 = Lanes(repeating: 8 / 16)
        var x9 = Lanes(repeating: 9 / 16), x10 = Lanes(repeating: 10 / 16), x11 = Lanes(repeating: 11 / 16)
        for _ in 0..<iterations {
            x0 = b.addingProduct(x0, a); x1 = b.addingProduct(x1, a); x2 = b.addingProduct(x2, a)
            x3 = b.addingProduct(x3, a); x4 = b.addingProduct(x4, a); x5 = b.addingProduct(x5, a)
            x6 = b.addingProduct(x6, a); x7 = b.addingProduct(x7, a); x8 = b.addingProduct(x8, a)
            x9 = b.addingProduct(x9, a); x10 = b.addingProduct(x10, a); x11 = b.addingProduct(x11, a)
        }
        let all = x0 + x1 + x2 + x3 + x4 + x5 + x6 + x7 + x8 + x9 + x10 + x11
        return all.sum()
    }

    /// Floating-point operations in `run(iterations:)`.
    public static func operations(iterations: Int) -> Double {
        2 * Double(chains * Lanes.scalarCount) * Double(iterations)
    }
}

/// The machine's peak rate of single-precision arithmetic on `threads` threads at once, in
/// FLOP/s: fused multiply-add chains on every thread (`FusedMultiplyAddChains`), the best
/// of three timings of each vector width, the faster width kept. A matrix product's
/// GFLOP/s over this figure is the share of the peak it reaches.
public func fusedMultiplyAddPeak(threads: Int, iterations: Int = 20_000_000) -> Double {
    func rate<Lanes: SIMD>(_: Lanes.Type) -> Double where Lanes.Scalar == Float {
        var sink = [Float](repeating: 0, count: threads)
        let seconds = fastest(3) {
            sink.withUnsafeMutableBufferPointer { sink in
                concurrently(threads) { t in sink[t] = FusedMultiplyAddChains<Lanes>.run(iterations: iterations) }
            }
        }
        return Double(threads) * FusedMultiplyAddChains<Lanes>.operations(iterations: iterations) / seconds
    }
    return max(rate(SIMD8<Float>.self), rate(SIMD16<Float>.self))
}
