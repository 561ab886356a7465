/// The chains that measure the cores' peak compute what they claim.

import Testing
@testable import Autodiff

struct FusedMultiplyAddPeakTests {
    /// Every lane of chain c is c / 16 taken `iterations` times through x ← x·a + b with one
    /// rounding per step, so the result is the lane count times the sum of those twelve
    /// scalars (the lanes' sum may round differently from a multiplication by the count,
    /// by a few ulps).
    @Test(arguments: [1, 7, 1000])
    func chainsAreTwelveRecurrencesOfFusedMultiplyAdds(iterations: Int) {
        let (a, b): (Float, Float) = (0.999, 0.001)
        var expected: Float = 0
        for c in 0..<12 {
            var x = Float(c) / 16
            for _ in 0..<iterations { x = b.addingProduct(x, a) }
            expected += x
        }
        for (lanes, result) in [(8, FusedMultiplyAddChains<SIMD8<Float>>.run(iterations: iterations)),
                                (16, FusedMultiplyAddChains<SIMD16<Float>>.run(iterations: iterations))] {
            let scaled = Float(lanes) * expected
            #expect(abs(result - scaled) <= 4 * scaled.ulp, "\(lanes) lanes: \(result), expected \(scaled)")
        }
        #expect(FusedMultiplyAddChains<SIMD16<Float>>.operations(iterations: iterations) == 384 * Double(iterations))
    }

    /// One more step changes the result: the loop runs the steps it is asked for.
    @Test func eachIterationCounts() {
        #expect(FusedMultiplyAddChains<SIMD8<Float>>.run(iterations: 100)
                != FusedMultiplyAddChains<SIMD8<Float>>.run(iterations: 101))
    }
}
