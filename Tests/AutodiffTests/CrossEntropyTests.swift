/// The cross-entropy's smoothing: its definition, and the sum of the logits it takes.

import Foundation
import Testing
@testable import Autodiff

struct CrossEntropyTests {
    /// With smoothing ε the loss is the cross-entropy against (1 − ε)·onehot + ε/V.
    @Test func smoothingMatchesItsDefinition() {
        let logits: [Float] = [1, -2, 0.5, 3]
        let ε: Float = 0.2
        let loss = Tensor.crossEntropy(logits: Tensor(shape: [1, 4], data: logits), targets: [2], ignoring: -1,
                                       smoothing: ε).scalar
        let logTotal = Foundation.log(logits.map { Foundation.exp(Double($0)) }.reduce(0, +))
        let expected = (0..<4).map { c -> Double in
            let q = Double(ε) / 4 + (c == 2 ? Double(1 - ε) : 0)
            return q * (logTotal - Double(logits[c]))
        }.reduce(0, +)
        #expect(abs(Double(loss) - expected) < 1e-5)
    }

    /// Σ row against Double, for rows of every length from 1 to 40 (whole groups of eight
    /// and the rest) and of a vocabulary's length: eight running sums round differently
    /// from one, but stay within the bound of any order of n − 1 additions.
    @Test func rowSumAgreesWithDoubleForEveryRemainder() {
        var generator = SeededGenerator(seed: 12)
        for count in Array(1...40) + [1_000, 5_969] {
            let row = (0..<count).map { _ in (generator.nextUniform() - 0.5) * 20 }
            let exact = row.reduce(0.0) { $0 + Double($1) }
            let magnitude = row.reduce(0.0) { $0 + Double(abs($1)) }
            let sum = row.withUnsafeBufferPointer { rowSum($0.baseAddress!, count: count) }
            #expect(abs(Double(sum) - exact) <= Double(count) * Double(Float.ulpOfOne) * magnitude,
                    "\(count) values: \(sum) against \(exact)")
        }
    }

    /// Without smoothing, the mean of the logits is not part of the loss and is not taken:
    /// logits near the largest Float, whose sum overflows, still give a finite loss (0 · ∞
    /// would be NaN); with smoothing it takes part.
    @Test func theMeanIsTakenOnlyWithSmoothing() {
        let row: [Float] = [3e38, 3e38, -1]
        let logits = Tensor(shape: [1, 3], data: row)
        let plain = Tensor.crossEntropy(logits: logits, targets: [0], ignoring: -1)
        #expect(plain.data[0].isFinite, "\(plain.data[0])")
        let lse = row.withUnsafeBufferPointer { rowLogSumExp($0.baseAddress!, count: 3) }
        let smoothed = row.withUnsafeBufferPointer {
            smoothedCrossEntropy($0.baseAddress!, count: 3, target: 0, smoothing: 0.1, logSumExp: lse)
        }
        #expect(smoothed.isNaN || smoothed.isInfinite, "\(smoothed)")
    }
}
