/// The LSTM cell as one fused op with a hand-written backward.

extension Tensor {
    /// One LSTM step from precomputed gate pre-activations, PyTorch's gate order:
    ///
    ///     gates = W_ih x + b_ih + W_hh h + b_hh = [i | f | g | o]      (each [B, H])
    ///     c' = σ(f) ⊙ c + σ(i) ⊙ tanh(g)
    ///     h' = σ(o) ⊙ tanh(c')
    ///
    /// Here both matrix products stay outside (they are GEMMs); what is fused is the dozen
    /// elementwise ops after them, which would otherwise each allocate and record. A
    /// recurrent layer uses the form below, which takes W_hh h inside as well.
    /// Rows whose `active` entry is false (a sentence that has ended) keep their previous
    /// state unchanged, so padding never moves a state.
    public static func lstmCell(gates: Tensor, hidden: Tensor, cell: Tensor,
                                active: [Bool]? = nil) -> (hidden: Tensor, cell: Tensor) {
        let h = cell.columns, batch = cell.rows
        precondition(gates.rows == batch && gates.columns == 4 * h && hidden.shape == cell.shape,
                     "lstmCell: gates \(gates.shape), hidden \(hidden.shape), cell \(cell.shape)")
        let isActive = activeRows(active, batch: batch)
        let act = activatedGates(gates.data, batch: batch, hidden: h)
        let next = cellForward(act, hidden: hidden, cell: cell, isActive: isActive)

        let c2 = Tensor(shape: cell.shape, data: next.cell, inputs: [gates, cell]) { dc in
            let (dGates, dCell) = cellBackward(dc, act, cell: cell, isActive: isActive)
            gates.accumulateIfNeeded(dGates)
            cell.accumulateIfNeeded(dCell)
        }
        let h2 = Tensor(shape: hidden.shape, data: next.hidden, inputs: [gates, c2, hidden]) { dh in
            let (dGates, dCell, dHidden) = hiddenBackward(dh, act, tanhCell: next.tanhCell, isActive: isActive)
            gates.accumulateIfNeeded(dGates)
            c2.accumulateIfNeeded(dCell)
            hidden.accumulateIfNeeded(dHidden)
        }
        return (h2, c2)
    }

    /// One recurrent LSTM step, the recurrent product included: the cell of `lstmCell` on
    ///
    ///     gates = x_t + W_hh h + b_hh
    ///
    /// where x_t, the input's share `W_ih x + b_ih`, is step `step`'s block of B rows of
    /// `inputGates` ([T, B, 4H], or [B, 4H] with step 0), computed for all steps at once.
    ///
    /// Composed (a slice of `inputGates`, the product, two sums, the cell), every step
    /// would keep four [B, 4H] tensors that backward never reads, besides the activated
    /// gates it does: over a batch of long sentences, hundreds of megabytes. Here the
    /// pre-activations live only until the gates are activated, and backward forms, from
    /// the gates' gradient dz, the gradients of all five inputs:
    ///
    ///     dx_t = dz     dh += dz W_hh     dW_hh += dzᵀ h     db_hh += Σ_rows dz
    ///
    /// Every value is computed by the same instructions, in the same order, as that
    /// composition computes it (the products by the same BLAS calls), so the results are
    /// bitwise the same.
    ///
    /// A search or a training step may hand in `packedRecurrentWeight`, a copy of W_hh
    /// packed for small products, which the forward product reads instead
    /// (`weightProduct`), and backward's dz W_hh its packed transpose when it has one
    /// (`affine`); it sums in its own order, so the values are the composition's only up
    /// to rounding.
    public static func lstmCell(inputGates: Tensor, step: Int, hidden: Tensor, cell: Tensor,
                                recurrentWeight w: Tensor, recurrentBias b: Tensor,
                                packedRecurrentWeight packed: PackedWeight? = nil,
                                active: [Bool]? = nil) -> (hidden: Tensor, cell: Tensor) {
        let h = cell.columns, batch = cell.rows, width = 4 * h
        let offset = step * batch * width
        precondition(inputGates.columns == width && offset + batch * width <= inputGates.count
                     && hidden.shape == cell.shape && w.shape == [width, h] && b.shape == [width]
                     && (packed.map { $0.outputs == width && $0.inputs == h } ?? true),
                     "lstmCell: step \(step) of input gates \(inputGates.shape), hidden \(hidden.shape), "
                     + "cell \(cell.shape), weights \(w.shape), bias \(b.shape)")
        let isActive = activeRows(active, batch: batch)
        var gates = uninitializedArray(count: batch * width) {
            weightProduct(hidden.data, weight: w, packed: packed, $0, m: batch, n: width, k: h)
        }
        inputGates.data.withUnsafeBufferPointer { x in
            gates.withUnsafeMutableBufferPointer { z in
                for i in 0..<(batch * width) { z[i] = x[offset + i] + z[i] }
                addRow(b.data, to: z.baseAddress!, rows: batch)
            }
        }
        let act = activatedGates(gates, batch: batch, hidden: h)
        gates = []
        let next = cellForward(act, hidden: hidden, cell: cell, isActive: isActive)

        // The output gate's share of dz, from h', waits here for the rest, from c'.
        var outputGateGradient: [Float]? = nil
        let c2 = Tensor(shape: cell.shape, data: next.cell, inputs: [inputGates, hidden, cell, w, b]) { dc in
            var (dz, dCell) = cellBackward(dc, act, cell: cell, isActive: isActive)
            if let fromHidden = outputGateGradient {
                for k in 0..<dz.count { dz[k] = fromHidden[k] + dz[k] }
            }
            outputGateGradient = nil
            cell.accumulateIfNeeded(dCell)
            if inputGates.requiresGrad { inputGates.accumulate(dz, at: offset) }
            accumulateAffineGradients(dz, x: hidden, w: w, b: b, packed: packed)
        }
        let h2 = Tensor(shape: hidden.shape, data: next.hidden, inputs: [c2, hidden]) { dh in
            let (dz, dCell, dHidden) = hiddenBackward(dh, act, tanhCell: next.tanhCell, isActive: isActive)
            outputGateGradient = dz
            c2.accumulateIfNeeded(dCell)
            hidden.accumulateIfNeeded(dHidden)
        }
        return (h2, c2)
    }

    private static func activeRows(_ active: [Bool]?, batch: Int) -> [Bool] {
        precondition(active == nil || active!.count == batch, "lstmCell: \(active!.count) flags for \(batch) rows")
        return active ?? [Bool](repeating: true, count: batch)
    }

    /// c' and h' (and tanh c', kept for backward) from the activated gates; a row that is
    /// not active keeps its state.
    private static func cellForward(_ act: [Float], hidden: Tensor, cell: Tensor, isActive: [Bool])
        -> (cell: [Float], tanhCell: [Float], hidden: [Float]) {
        let h = cell.columns
        var newCell = cell.data
        var tanhCell = [Float](repeating: 0, count: cell.count)
        var newHidden = hidden.data
        // Through pointers to each row, so that the inner loop's indices are plain
        // counters and it vectorises.
        act.withUnsafeBufferPointer { act in
            newCell.withUnsafeMutableBufferPointer { newCell in
                tanhCell.withUnsafeMutableBufferPointer { tanhCell in
                    newHidden.withUnsafeMutableBufferPointer { newHidden in
                        for b in 0..<cell.rows where isActive[b] {
                            let i = act.baseAddress! + b * 4 * h, f = i + h, g = f + h, o = g + h
                            let c = newCell.baseAddress! + b * h  // m_{t−1}, overwritten by m_t
                            let t = tanhCell.baseAddress! + b * h, s = newHidden.baseAddress! + b * h
                            for j in 0..<h {
                                c[j] = f[j] * c[j] + i[j] * g[j]
                                t[j] = fastTanh(c[j])
                                s[j] = o[j] * t[j]
                            }
                        }
                    }
                }
            }
        }
        return (newCell, tanhCell, newHidden)
    }

    /// From dc': the gradients of the gates i, f, g (o's is 0) and of c.
    private static func cellBackward(_ dc: [Float], _ act: [Float], cell: Tensor, isActive: [Bool])
        -> (gates: [Float], cell: [Float]) {
        let h = cell.columns
        var dGates = [Float](repeating: 0, count: 4 * cell.count)
        var dCell = [Float](repeating: 0, count: cell.count)
        // Through pointers to each row, as in `cellForward`, so that the loops vectorise.
        dc.withUnsafeBufferPointer { dc in
            act.withUnsafeBufferPointer { act in
                cell.data.withUnsafeBufferPointer { previousCell in
                    dGates.withUnsafeMutableBufferPointer { dGates in
                        dCell.withUnsafeMutableBufferPointer { dCell in
                            for b in 0..<cell.rows {
                                let d = dc.baseAddress! + b * h, dm = dCell.baseAddress! + b * h
                                guard isActive[b] else {
                                    dm.update(from: d, count: h)
                                    continue
                                }
                                let i = act.baseAddress! + b * 4 * h, f = i + h, g = f + h
                                let di = dGates.baseAddress! + b * 4 * h, df = di + h, dg = df + h
                                let m = previousCell.baseAddress! + b * h
                                for j in 0..<h {
                                    di[j] = d[j] * g[j] * i[j] * (1 - i[j])
                                    df[j] = d[j] * m[j] * f[j] * (1 - f[j])
                                    dg[j] = d[j] * i[j] * (1 - g[j] * g[j])
                                    dm[j] = d[j] * f[j]
                                }
                            }
                        }
                    }
                }
            }
        }
        return (dGates, dCell)
    }

    /// From dh': the gradient of the gate o (the others' are 0), of c' and of h (which
    /// only a row that is not active passes on directly).
    private static func hiddenBackward(_ dh: [Float], _ act: [Float], tanhCell: [Float], isActive: [Bool])
        -> (gates: [Float], cell: [Float], hidden: [Float]) {
        let h = dh.count / isActive.count
        var dGates = [Float](repeating: 0, count: 4 * dh.count)
        var dCell = [Float](repeating: 0, count: dh.count)
        var dHidden = [Float](repeating: 0, count: dh.count)
        dh.withUnsafeBufferPointer { dh in
            act.withUnsafeBufferPointer { act in
                tanhCell.withUnsafeBufferPointer { tanhCell in
                    dGates.withUnsafeMutableBufferPointer { dGates in
                        dCell.withUnsafeMutableBufferPointer { dCell in
                            dHidden.withUnsafeMutableBufferPointer { dHidden in
                                for b in 0..<isActive.count {
                                    let d = dh.baseAddress! + b * h
                                    guard isActive[b] else {
                                        (dHidden.baseAddress! + b * h).update(from: d, count: h)
                                        continue
                                    }
                                    let o = act.baseAddress! + b * 4 * h + 3 * h, t = tanhCell.baseAddress! + b * h
                                    let dOut = dGates.baseAddress! + b * 4 * h + 3 * h, dm = dCell.baseAddress! + b * h
                                    for j in 0..<h {
                                        dOut[j] = d[j] * t[j] * o[j] * (1 - o[j])
                                        dm[j] = d[j] * o[j] * (1 - t[j] * t[j])
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return (dGates, dCell, dHidden)
    }

    /// The activated gates σ(i), σ(f), tanh(g), σ(o) of gate pre-activations [B, 4H], kept
    /// for backward. They are four of the cell's five exponentials per unit, so their rows
    /// are shared among the threads.
    private static func activatedGates(_ gates: [Float], batch: Int, hidden h: Int) -> [Float] {
        gates.withUnsafeBufferPointer { z in
            uninitializedArray(count: gates.count) { act in
                forEachRowRange(batch, costPerRow: 16 * h) { rows in
                    for b in rows {
                        // Row pointers, so that the loops vectorise; f follows i.
                        let (x, y) = (z.baseAddress! + b * 4 * h, act + b * 4 * h)
                        for k in 0..<(2 * h) { y[k] = logistic(x[k]) }
                        for k in (2 * h)..<(3 * h) { y[k] = fastTanh(x[k]) }
                        for k in (3 * h)..<(4 * h) { y[k] = logistic(x[k]) }
                    }
                }
            }
        }
    }
}
