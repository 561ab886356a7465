/// The arithmetic exponential and what is built on it, against the C library in Double.

import Foundation
import Testing
@testable import Autodiff

struct ExponentialTests {
    /// Distance from the correctly rounded eˣ in units of its last place.
    private func ulps(_ y: Float, of x: Float) -> Double {
        let exact = Foundation.exp(Double(x))
        return abs(Double(y) - exact) / Double(Float(exact).ulp)
    }

    /// Within one ulp wherever eˣ is a normal Float, on a sweep of 200,000 inputs.
    @Test func isWithinOneUlpOverTheNormalRange() {
        let (low, high): (Float, Float) = (-87.3, 88.7)
        var worst = 0.0, worstInput: Float = 0
        for i in 0...200_000 {
            let x = low + (high - low) * Float(i) / 200_000
            let error = ulps(exponential(x), of: x)
            if error > worst { (worst, worstInput) = (error, x) }
        }
        #expect(worst <= 1, "\(worst) ulps at \(worstInput)")
    }

    /// Below the normal range the results are subnormals, off by at most one of their
    /// steps (2⁻¹⁴⁹), and −∞ and anything below −104 give exactly 0, as a masked
    /// softmax entry must.
    @Test func underflowsToSubnormalsAndThenExactlyZero() {
        for x in stride(from: Float(-103.9), to: -87.4, by: 0.37) {
            let error = abs(Double(exponential(x)) - Foundation.exp(Double(x)))
            #expect(error <= Double(Float.leastNonzeroMagnitude), "e^\(x): off by \(error)")
            #expect(exponential(x) > 0 || Foundation.exp(Double(x)) < Double(Float.leastNonzeroMagnitude))
        }
        for x: Float in [-104.5, -200, -Float.greatestFiniteMagnitude, -.infinity] {
            #expect(exponential(x) == 0, "e^\(x) = \(exponential(x))")
        }
    }

    /// Above ln(Float.max) the result is +∞; e⁰ is exactly 1; NaN stays NaN and keeps its
    /// sign.
    @Test func overflowsToInfinityAndPassesNaNOn() {
        #expect(exponential(88.7) < .infinity && exponential(88.7) > 3.3e38)
        for x: Float in [88.73, 89, 1e6, .greatestFiniteMagnitude, .infinity] {
            #expect(exponential(x) == .infinity, "e^\(x) = \(exponential(x))")
        }
        #expect(exponential(0) == 1 && exponential(-0.0) == 1)
        #expect(exponential(.nan).isNaN && exponential(.nan).sign == .plus)
    }
}

struct FastTanhTests {
    /// `fastTanh` replaces the C library's tanhf on the hot paths; it must agree with it.
    @Test func agreesWithTheCLibrary() {
        var worst: Float = 0
        for i in -20_000...20_000 {
            let x = Float(i) / 1000
            worst = max(worst, abs(fastTanh(x) - Float(Foundation.tanh(Double(x)))))
        }
        #expect(worst < 2e-7, "largest absolute error \(worst)")
        #expect(fastTanh(100) == 1 && fastTanh(-100) == -1)
    }
}

struct LogisticTests {
    /// σ agrees with 1 / (1 + e⁻ˣ) in Double to a few ulps of 1, is exactly 1/2 at 0,
    /// saturates without overflow, and passes NaN on with its sign: the trainer reports
    /// a NaN loss as "nan".
    @Test func agreesWithItsDefinition() {
        var worst: Float = 0
        for i in -20_000...20_000 {
            let x = Float(i) / 500
            worst = max(worst, abs(logistic(x) - Float(1 / (1 + Foundation.exp(-Double(x))))))
        }
        #expect(worst < 2e-7, "largest absolute error \(worst)")
        #expect(logistic(0) == 0.5 && logistic(200) == 1 && logistic(-200) == 0)
        #expect(logistic(.nan).isNaN && logistic(.nan).sign == .plus)
        #expect(logistic(-.nan).isNaN)
    }
}

struct RowLogSumExpTests {
    /// log Σ eˣ over rows of every length from 1 to 40 (whole groups of eight and the
    /// rest) and over rows of several scratch blocks (256 values) and a vocabulary's
    /// length, against Double, with values that would overflow a sum taken without the
    /// largest subtracted.
    @Test func agreesWithDoubleForEveryRemainder() {
        var generator = SeededGenerator(seed: 11)
        for count in Array(1...40) + [255, 256, 257, 264, 1_000, 5_969] {
            let row = (0..<count).map { _ in (generator.nextUniform() - 0.5) * 40 + 80 }
            let largest = Double(row.max()!)
            let exact = largest + Foundation.log(row.map { Foundation.exp(Double($0) - largest) }.reduce(0, +))
            let value = row.withUnsafeBufferPointer { rowLogSumExp($0.baseAddress!, count: count) }
            #expect(abs(Double(value) - exact) <= 4 * Double(Float(exact).ulp), "\(count) values: \(value) against \(exact)")
        }
    }

    /// Exponentiated in place, as the fused loss does before it forms the softmax, a row
    /// gives the largest value and sum of the exponentials that the scratch-buffer pass
    /// gives, to the bit (so the loss is the same whichever pass took it), and holds
    /// exp(x_c − m) where x_c was, for every remainder and several blocks.
    @Test func inPlaceExponentialsGiveTheSameSumAndLeaveTheTerms() {
        var generator = SeededGenerator(seed: 12)
        for count in Array(1...20) + [255, 256, 257, 600, 5_969] {
            let row = (0..<count).map { _ in (generator.nextUniform() - 0.5) * 40 }
            let expected = row.withUnsafeBufferPointer { rowExponentialSum($0.baseAddress!, count: count) }
            var replaced = row
            let got = replaced.withUnsafeMutableBufferPointer { exponentiateRow($0.baseAddress!, count: count) }
            #expect(got.largest == row.max()! && got.largest == expected.largest, "\(count) values")
            #expect(got.total.bitPattern == expected.total.bitPattern, "\(count) values: \(got.total) against \(expected.total)")
            #expect(got.logSumExp.bitPattern == row.withUnsafeBufferPointer { rowLogSumExp($0.baseAddress!, count: count) }.bitPattern)
            #expect(replaced.map(\.bitPattern) == row.map { exponential($0 - expected.largest).bitPattern }, "\(count) values")
        }
    }

    /// A NaN anywhere in the row, in the groups of eight or in the rest, makes it NaN.
    @Test func aNaNAnywhereMakesTheRowNaN() {
        for position in [0, 7, 8, 16, 19] {
            var row = [Float](repeating: 1, count: 20)
            row[position] = .nan
            let value = row.withUnsafeBufferPointer { rowLogSumExp($0.baseAddress!, count: 20) }
            #expect(value.isNaN, "NaN at \(position) gave \(value)")
        }
    }
}
