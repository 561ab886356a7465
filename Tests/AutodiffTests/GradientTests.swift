/// Every differentiable op's backward against central finite differences.

import Foundation
import Testing
@testable import Autodiff

/// A random parameter of `shape`, values uniform in [-1, 1).
func randomTensor(_ shape: [Int], _ generator: inout SeededGenerator, scale: Float = 1) -> Tensor {
    let n = shape.reduce(1, *)
    return Tensor(shape: shape, data: (0..<n).map { _ in (generator.nextUniform() * 2 - 1) * scale },
                  requiresGrad: true)
}

/// Shapes (rows, columns) to try every op on: single rows and single columns are where
/// stride and broadcast bugs hide.
let edgeShapes: [(Int, Int)] = [(1, 1), (1, 5), (4, 1), (3, 4), (7, 6)]

/// The tolerance on `GradientCheckResult.worstError`: Float32 forward passes with
/// ε = 1e-2 agree with backward to about 1e-4; 5e-3 leaves room without hiding a bug,
/// which shows up as an error of order 1.
let tolerance = 5e-3

struct GradientTests {
    @Test(arguments: ["add", "addRow", "subtract", "subtractRow", "multiply", "multiplyRow", "scale",
                      "tanh", "sigmoid", "exp", "log", "relu", "sumAxis0", "sumAxis1", "mean", "meanAxis",
                      "concat", "split", "columns", "rowsSlice", "stack", "repeatRows", "swapAxes",
                      "reshape", "maskedSoftmax", "crossEntropy", "meanCrossEntropy", "smoothedCrossEntropy", "dropout", "gather"])
    func elementwiseAndMovementOps(op: String) {
        var generator = SeededGenerator(seed: 42)
        for (r, c) in edgeShapes {
            let a = randomTensor([r, c], &generator)
            let b = randomTensor([r, c], &generator)
            let row = randomTensor([c], &generator)
            let positive = Tensor(shape: [r, c], data: a.data.map { abs($0) + 0.5 }, requiresGrad: true)
            let inputs: [Tensor]
            let f: () -> Tensor
            switch op {
            case "add": (inputs, f) = ([a, b], { a + b })
            case "addRow": (inputs, f) = ([a, row], { a + row })
            case "subtract": (inputs, f) = ([a, b], { a - b })
            case "subtractRow": (inputs, f) = ([a, row], { a - row })
            case "multiply": (inputs, f) = ([a, b], { a * b })
            case "multiplyRow": (inputs, f) = ([a, row], { a * row })
            case "scale": (inputs, f) = ([a], { -2.5 * a })
            case "tanh": (inputs, f) = ([a], { a.tanh() })
            case "sigmoid": (inputs, f) = ([a], { a.sigmoid() })
            case "exp": (inputs, f) = ([a], { a.exp() })
            case "log": (inputs, f) = ([positive], { positive.log() })
            case "relu":
                // Kept 0.1 away from the kink, where finite differences with ε = 1e-2 see both sides.
                let away = Tensor(shape: [r, c], data: a.data.map { $0 < 0 ? $0 - 0.1 : $0 + 0.1 }, requiresGrad: true)
                (inputs, f) = ([away], { away.relu() })
            case "sumAxis0": (inputs, f) = ([a], { a.sum(axis: 0) })
            case "sumAxis1": (inputs, f) = ([a], { a.sum(axis: 1) })
            case "mean": (inputs, f) = ([a], { a.mean() })
            case "meanAxis": (inputs, f) = ([a], { a.mean(axis: 1) })
            case "concat": (inputs, f) = ([a, b, row], { Tensor.concat([a, b, a * b]) })
            case "split": (inputs, f) = ([a], {
                let parts = a.split([c / 2, c - c / 2])
                return Tensor.concat([parts[1], parts[0]]) * Tensor.concat([parts[1], parts[0]])
            })
            case "columns": (inputs, f) = ([a], { a.columns((c / 2)..<c) })
            case "rowsSlice": (inputs, f) = ([a], { a[(r / 2)..<r] })
            case "stack": (inputs, f) = ([a, b], { Tensor.stack([a, b, a]) })
            case "repeatRows": (inputs, f) = ([a], { a.repeatingRows(3) })
            case "swapAxes":
                let t = randomTensor([r, 3, c], &generator)
                (inputs, f) = ([t], { t.swappingFirstAxes() * t.swappingFirstAxes() })
            case "reshape": (inputs, f) = ([a], { a.reshaped([c, r]) })
            case "maskedSoftmax":
                // Mask out every third position, keeping the first of each row.
                let mask = (0..<(r * c)).map { $0 % c == 0 || $0 % 3 != 2 }
                (inputs, f) = ([a], { (3 * a).maskedSoftmax(mask: mask) })
            case "crossEntropy", "meanCrossEntropy", "smoothedCrossEntropy":
                // Target 0 is "padding" in every third row.
                let targets = (0..<r).map { $0 % 3 == 2 ? 0 : 1 + $0 % max(c - 1, 1) }.map { min($0, c - 1) }
                if op == "smoothedCrossEntropy" {
                    (inputs, f) = ([a], { Tensor.crossEntropy(logits: 3 * a, targets: targets, ignoring: c > 1 ? 0 : -1, smoothing: 0.1) })
                } else if op == "crossEntropy" {
                    (inputs, f) = ([a], { Tensor.crossEntropy(logits: 3 * a, targets: targets, ignoring: c > 1 ? 0 : -1) })
                } else {
                    (inputs, f) = ([a], { Tensor.meanCrossEntropy(logits: 3 * a, targets: targets, ignoring: c > 1 ? 0 : -1) })
                }
            case "dropout":
                // The same seed each call gives the same mask, so f is a function.
                (inputs, f) = ([a], {
                    var g = SeededGenerator(seed: 5)
                    return a.dropout(rate: 0.4, generator: &g)
                })
            case "gather":
                let ids = (0..<(2 * r)).map { $0 % c }  // repeated ids: scatter-add must sum
                let table = randomTensor([c, r + 1], &generator)
                (inputs, f) = ([table], { Tensor.gather(table, rows: ids) })
            default: Issue.record("unknown op \(op)"); return
            }
            let result = checkGradients(inputs, f)
            #expect(result.worstError < tolerance, "\(op) on \(r)×\(c): \(result)")
        }
    }

    /// The ops a Transformer adds, on the same edge shapes: r sentences of c features.
    @Test(arguments: ["addBlock", "subtractBlock", "multiplyBlock", "concatAxis", "splitHeads", "mergeHeads",
                      "attentionSoftmax", "causalSoftmax", "causalSoftmaxOverACache", "layerNorm"])
    func transformerOps(op: String) {
        var generator = SeededGenerator(seed: 43)
        for (r, c) in edgeShapes {
            let inputs: [Tensor]
            let f: () -> Tensor
            switch op {
            case "addBlock", "subtractBlock", "multiplyBlock":
                // A [2, c] table repeated over r sentences of [2, c], as positions are.
                let t = randomTensor([r, 2, c], &generator), table = randomTensor([2, c], &generator)
                switch op {
                case "addBlock": (inputs, f) = ([t, table], { t + table })
                case "subtractBlock": (inputs, f) = ([t, table], { t - table })
                default: (inputs, f) = ([t, table], { t * table })
                }
            case "concatAxis":
                let t = randomTensor([r, 2, c], &generator), u = randomTensor([r, 1, c], &generator)
                (inputs, f) = ([t, u], { Tensor.concat([t, u, t], axis: 1) })
            case "splitHeads":
                let t = randomTensor([r, 3, 2 * c], &generator)
                (inputs, f) = ([t], { t.splittingHeads(2) })
            case "mergeHeads":
                let t = randomTensor([r, 2, 3, c], &generator)
                (inputs, f) = ([t], { t.mergingHeads() })
            case "attentionSoftmax", "causalSoftmax", "causalSoftmaxOverACache":
                // [r sentences, 2 heads, queries, c keys]; sentence b's keys from c − b % 2 on
                // are padding, key 0 always real.
                let queries = op == "attentionSoftmax" ? 3 : op == "causalSoftmax" ? c : (c + 1) / 2
                let energies = randomTensor([r, 2, queries, c], &generator, scale: 3)
                let keyMask = (0..<(r * c)).map { $0 % c == 0 || $0 % c < c - ($0 / c) % 2 }
                let causal = op != "attentionSoftmax"
                (inputs, f) = ([energies], { energies.maskedSoftmax(keyMask: keyMask, causal: causal, scale: 0.5) })
            case "layerNorm":
                let x = randomTensor([r, c], &generator, scale: 3)
                let gamma = randomTensor([c], &generator), beta = randomTensor([c], &generator)
                (inputs, f) = ([x, gamma, beta], { x.layerNorm(gamma: gamma, beta: beta) })
            default: Issue.record("unknown op \(op)"); return
            }
            let result = checkGradients(inputs, f)
            #expect(result.worstError < tolerance, "\(op) on \(r)×\(c): \(result)")
        }
    }

    /// Location-aware attention's windows of the previous weights, on the edge shapes
    /// (rows of c positions) and for windows wider than the row: every entry that falls
    /// beyond an end is zero and passes no gradient, the others add up where they overlap.
    @Test(arguments: [1, 3, 5, 9])
    func slidingWindows(width: Int) {
        var generator = SeededGenerator(seed: 44)
        for (r, c) in edgeShapes {
            let x = randomTensor([r, c], &generator)
            let filters = randomTensor([2, width], &generator)
            let result = checkGradients([x, filters]) {
                Tensor.matmul(x.slidingWindows(width: width), filters, transposeB: true)
            }
            #expect(result.worstError < tolerance, "slidingWindows(\(width)) on \(r)×\(c): \(result)")
        }
    }

    @Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
    func matmul(transposeA: Bool, transposeB: Bool) {
        var generator = SeededGenerator(seed: 1)
        for (m, k, n) in [(1, 1, 1), (1, 4, 3), (5, 1, 2), (3, 4, 1), (6, 5, 7)] {
            let a = randomTensor(transposeA ? [k, m] : [m, k], &generator)
            let b = randomTensor(transposeB ? [n, k] : [k, n], &generator)
            let result = checkGradients([a, b]) {
                Tensor.matmul(a, b, transposeA: transposeA, transposeB: transposeB)
            }
            #expect(result.worstError < tolerance, "matmul \(m)×\(k)×\(n) \(transposeA) \(transposeB): \(result)")
        }
    }

    /// Leading axes [batch] and [2, batch]: attention's [B, k, T, dh] has two.
    @Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
    func batchedMatmul(transposeA: Bool, transposeB: Bool) {
        var generator = SeededGenerator(seed: 2)
        for (lead, m, k, n) in [([1], 1, 1, 1), ([3], 1, 4, 2), ([2], 3, 1, 5), ([4], 2, 3, 3), ([2, 3], 3, 2, 4)] {
            let a = randomTensor(lead + (transposeA ? [k, m] : [m, k]), &generator)
            let b = randomTensor(lead + (transposeB ? [n, k] : [k, n]), &generator)
            let result = checkGradients([a, b]) {
                Tensor.batchedMatmul(a, b, transposeA: transposeA, transposeB: transposeB)
            }
            #expect(result.worstError < tolerance,
                    "batchedMatmul \(lead)×\(m)×\(k)×\(n) \(transposeA) \(transposeB): \(result)")
        }
    }

    @Test(arguments: [false, true])
    func lstmCell(masked: Bool) {
        var generator = SeededGenerator(seed: 3)
        for (batch, h) in [(1, 1), (1, 4), (3, 1), (4, 5)] {
            let gates = randomTensor([batch, 4 * h], &generator, scale: 2)
            let hidden = randomTensor([batch, h], &generator)
            let cell = randomTensor([batch, h], &generator)
            let active = masked ? (0..<batch).map { $0 % 2 == 0 } : nil
            let result = checkGradients([gates, hidden, cell]) {
                let (h2, c2) = Tensor.lstmCell(gates: gates, hidden: hidden, cell: cell, active: active)
                // Use both outputs, and the new cell state twice, as a decoder would.
                return Tensor.concat([h2, c2, c2 * h2])
            }
            #expect(result.worstError < tolerance, "lstmCell \(batch)×\(h) masked \(masked): \(result)")
        }
    }
}

struct RecurrentLSTMCellTests {
    /// The step with its recurrent product, against finite differences in all five inputs,
    /// at each step of a [T, B, 4H] block of input gates.
    @Test(arguments: [false, true])
    func gradientsMatchFiniteDifferences(masked: Bool) {
        var generator = SeededGenerator(seed: 4)
        for (batch, h) in [(1, 1), (1, 4), (3, 1), (4, 5)] {
            let inputGates = randomTensor([2, batch, 4 * h], &generator, scale: 2)
            let hidden = randomTensor([batch, h], &generator), cell = randomTensor([batch, h], &generator)
            let w = randomTensor([4 * h, h], &generator), b = randomTensor([4 * h], &generator)
            let active = masked ? (0..<batch).map { $0 % 2 == 0 } : nil
            for step in 0..<2 {
                let result = checkGradients([inputGates, hidden, cell, w, b]) {
                    let (h2, c2) = Tensor.lstmCell(inputGates: inputGates, step: step, hidden: hidden, cell: cell,
                                                   recurrentWeight: w, recurrentBias: b, active: active)
                    return Tensor.concat([h2, c2, c2 * h2])
                }
                #expect(result.worstError < tolerance, "\(batch)×\(h) step \(step) masked \(masked): \(result)")
            }
        }
    }

    /// With W_hh packed both ways for a training step (packed anew at every evaluation),
    /// the recurrent product and backward's dz W_hh come from the copies, and the
    /// gradients still match finite differences.
    @Test func packedGradientsMatchFiniteDifferences() {
        var generator = SeededGenerator(seed: 6)
        for (batch, h) in [(1, 4), (7, 5)] {
            let inputGates = randomTensor([2, batch, 4 * h], &generator, scale: 2)
            let hidden = randomTensor([batch, h], &generator), cell = randomTensor([batch, h], &generator)
            let w = randomTensor([4 * h, h], &generator), b = randomTensor([4 * h], &generator)
            let result = checkGradients([inputGates, hidden, cell, w, b]) {
                let (h2, c2) = Tensor.lstmCell(inputGates: inputGates, step: 1, hidden: hidden, cell: cell,
                                               recurrentWeight: w, recurrentBias: b,
                                               packedRecurrentWeight: PackedWeight(w, withTranspose: true))
                return Tensor.concat([h2, c2, c2 * h2])
            }
            #expect(result.worstError < tolerance, "\(batch)×\(h): \(result)")
        }
    }

    /// Two steps of an LSTM through the fused op give bitwise the states and gradients of
    /// the composition it replaces: a slice of the input gates, the recurrent product, two
    /// sums and `lstmCell(gates:)`.
    @Test func equalsTheCompositionBitwise() {
        var generator = SeededGenerator(seed: 5)
        let (steps, batch, h) = (3, 5, 16)
        let x = randomTensor([steps, batch, 4 * h], &generator, scale: 2)
        let h0 = randomTensor([batch, h], &generator), c0 = randomTensor([batch, h], &generator)
        let w = randomTensor([4 * h, h], &generator), b = randomTensor([4 * h], &generator)
        let probe = randomTensor([batch, 2 * h], &generator)
        let active = [true, false, true, true, false]
        func run(_ step: (Int, Tensor, Tensor) -> (hidden: Tensor, cell: Tensor)) -> ([Float], [[Float]]) {
            var (hidden, cell) = (h0, c0)
            var states: [Tensor] = []
            for t in 0..<steps {
                (hidden, cell) = step(t, hidden, cell)
                states.append(Tensor.concat([hidden, cell]))
            }
            let loss = (Tensor.stack(states) * probe).sum()
            loss.backward()
            defer { for p in [x, h0, c0, w, b] { p.zeroGrad() } }
            return (states.flatMap(\.data), [x, h0, c0, w, b].map { $0.grad! })
        }
        let fused = run { t, hidden, cell in
            Tensor.lstmCell(inputGates: x, step: t, hidden: hidden, cell: cell, recurrentWeight: w,
                            recurrentBias: b, active: t == 0 ? nil : active)
        }
        let composed = run { t, hidden, cell in
            let gates = x[t..<(t + 1)].reshaped([batch, 4 * h]) + Tensor.matmul(hidden, w, transposeB: true) + b
            return Tensor.lstmCell(gates: gates, hidden: hidden, cell: cell, active: t == 0 ? nil : active)
        }
        #expect(fused.0 == composed.0)
        #expect(fused.1 == composed.1)
    }
}
