/// The LSTM cell as one fused op with a hand-written backward.

#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

extension Tensor {
    /// One LSTM step from precomputed gate pre-activations, PyTorch's gate order:
    ///
    ///     gates = W_ih x + b_ih + W_hh h + b_hh = [i | f | g | o]      (each [B, H])
    ///     c' = σ(f) ⊙ c + σ(i) ⊙ tanh(g)
    ///     h' = σ(o) ⊙ tanh(c')
    ///
    /// The two matrix products stay outside (they are GEMMs); what is fused here is the
    /// dozen elementwise ops between them, which would otherwise each allocate and record.
    /// Rows whose `active` entry is false (a sentence that has ended) keep their previous
    /// state unchanged, so padding never moves a state.
    public static func lstmCell(gates: Tensor, hidden: Tensor, cell: Tensor,
                                active: [Bool]? = nil) -> (hidden: Tensor, cell: Tensor) {
        let h = cell.columns, batch = cell.rows
        precondition(gates.rows == batch && gates.columns == 4 * h && hidden.shape == cell.shape,
                     "lstmCell: gates \(gates.shape), hidden \(hidden.shape), cell \(cell.shape)")
        precondition(active == nil || active!.count == batch, "lstmCell: \(active!.count) flags for \(batch) rows")
        let isActive = active ?? [Bool](repeating: true, count: batch)

        let act = activatedGates(gates, batch: batch, hidden: h)
        var newCell = cell.data
        var tanhCell = [Float](repeating: 0, count: cell.count)
        var newHidden = hidden.data
        for b in 0..<batch where isActive[b] {
            let gRow = b * 4 * h
            for j in 0..<h {
                let k = b * h + j
                newCell[k] = act[gRow + h + j] * cell.data[k] + act[gRow + j] * act[gRow + 2 * h + j]
                tanhCell[k] = fastTanh(newCell[k])
                newHidden[k] = act[gRow + 3 * h + j] * tanhCell[k]
            }
        }

        let c2 = Tensor(shape: cell.shape, data: newCell, inputs: [gates, cell]) { dc in
            var dGates = [Float](repeating: 0, count: gates.count)
            var dCell = [Float](repeating: 0, count: cell.count)
            for b in 0..<batch {
                let gRow = b * 4 * h
                for j in 0..<h {
                    let k = b * h + j
                    guard isActive[b] else { dCell[k] = dc[k]; continue }
                    let i = act[gRow + j], f = act[gRow + h + j], g = act[gRow + 2 * h + j]
                    dGates[gRow + j] = dc[k] * g * i * (1 - i)
                    dGates[gRow + h + j] = dc[k] * cell.data[k] * f * (1 - f)
                    dGates[gRow + 2 * h + j] = dc[k] * i * (1 - g * g)
                    dCell[k] = dc[k] * f
                }
            }
            gates.accumulateIfNeeded(dGates)
            cell.accumulateIfNeeded(dCell)
        }

        let h2 = Tensor(shape: hidden.shape, data: newHidden, inputs: [gates, c2, hidden]) { dh in
            var dGates = [Float](repeating: 0, count: gates.count)
            var dCell = [Float](repeating: 0, count: cell.count)
            var dHidden = [Float](repeating: 0, count: hidden.count)
            for b in 0..<batch {
                let gRow = b * 4 * h
                for j in 0..<h {
                    let k = b * h + j
                    guard isActive[b] else { dHidden[k] = dh[k]; continue }
                    let o = act[gRow + 3 * h + j], t = tanhCell[k]
                    dGates[gRow + 3 * h + j] = dh[k] * t * o * (1 - o)
                    dCell[k] = dh[k] * o * (1 - t * t)
                }
            }
            gates.accumulateIfNeeded(dGates)
            c2.accumulateIfNeeded(dCell)
            hidden.accumulateIfNeeded(dHidden)
        }
        return (h2, c2)
    }

    /// The activated gates σ(i), σ(f), tanh(g), σ(o) of gate pre-activations [B, 4H], kept
    /// for backward. They are four of the cell's five exponentials per unit, so their rows
    /// are shared among the threads.
    private static func activatedGates(_ gates: Tensor, batch: Int, hidden h: Int) -> [Float] {
        gates.data.withUnsafeBufferPointer { z in
            uninitializedArray(count: gates.count) { act in
                forEachRowRange(batch, costPerRow: 16 * h) { rows in
                    for b in rows {
                        let (i, g, o) = (b * 4 * h, b * 4 * h + 2 * h, b * 4 * h + 3 * h)  // f follows i
                        for k in i..<g { act[k] = logistic(z[k]) }
                        for k in g..<o { act[k] = fastTanh(z[k]) }
                        for k in o..<(o + h) { act[k] = logistic(z[k]) }
                    }
                }
            }
        }
    }
}
