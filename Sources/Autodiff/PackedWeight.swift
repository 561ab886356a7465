/// A weight matrix packed once for the many small products of a search or a training step.

#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// W [n, k] (n outputs, k inputs, as PyTorch stores a layer's weights) rearranged once
/// into the layout a product's innermost loop reads, so that `product` computes
/// y = x Wᵀ for a few dozen rows x [m, k] without rearranging anything but x.
///
/// A decoding step multiplies a few dozen rows by each of the model's large matrices;
/// the output layer's alone is 30 MB. OpenBLAS copies ("packs") the whole matrix into
/// its own layout at every call, and with so few rows the copy costs about as much as
/// the arithmetic (`docs/training-profile.md`). Its interface has no way to keep a
/// matrix packed between calls, so a search keeps its own packed copy of each weight,
/// made when a checkpoint is loaded for decoding; a training step of an RNN packs its
/// LSTMs' weights, and their transposes for backward, once for all its steps' products.
///
/// The layout and the kernel follow Goto and van de Geijn, "Anatomy of high-performance
/// matrix multiplication" (2008), as BLIS builds it for AVX2: the columns of y are cut
/// into panels of 16 (one cache line), and panel j holds rows 16j ..< 16j+16 of W, input
/// by input: `panels[(j k + p) 16 + c] = W[16j + c, p]`, the last panel padded with
/// zeros. A micro-kernel keeps a 6 × 16 block of y in registers and, for every input p,
/// adds the outer product of six values x[i, p] and the panel's 16 values at p: one load
/// and six broadcasts feed six 16-lane fused multiply-adds. With AVX-512 each is one
/// instruction on one register; with AVX2 the compiler splits each in two, and the block
/// takes 12 of the 16 registers, which is the BLIS kernel. Rows that do not fill blocks
/// of six go in blocks of four (`blockHeights`).
///
/// Each y[i, c] is Σ_p x[i, p] W[c, p] summed in the order p = 0, 1, …, with one
/// rounding per step (a fused multiply-add), whatever m is and whichever rows share the
/// block: a sentence gets the same values in a batch of 64 as in a batch of 2. They are
/// not OpenBLAS's values to the bit, which sums in another order.
public final class PackedWeight: @unchecked Sendable {
    /// Columns of y per panel: one 16-lane vector (one AVX-512 register, two AVX2 ones).
    static let panelWidth = 16
    /// Rows of y per micro-kernel call: with AVX2, 12 accumulators, 2 panel registers and
    /// a broadcast fill 15 of the 16 registers.
    static let blockRows = 6
    /// The other height a block of rows may have (`blockHeights`): 4 accumulators, as many
    /// chains as keep the fused multiply-adds busy while each waits for the last.
    static let edgeRows = 4
    /// Blocks of rows that share one pass over the panels.
    static let groupBlocks = 16
    /// Inputs per pass of the micro-kernel, BLIS's k_c: a panel's 256 inputs take 16 KB,
    /// which with a block's 6 rows of them (6 KB) fits the first-level cache (32 KB), so
    /// that every block of a group reads the panel's chunk from there. A whole panel of
    /// 512 or 768 inputs (32 or 48 KB) does not fit, and was read again from the
    /// second-level cache for every block: products of 32 or 64 rows by such matrices ran
    /// at 95–99 GFLOP/s in some runs of the engine's benchmark and at 178–195 in others,
    /// and at 177–188 in every run in chunks (2-core AMD EPYC, AVX2).
    static let depthChunk = 256

    /// n, the outputs: W's rows.
    public let outputs: Int
    /// k, the inputs: W's columns.
    public let inputs: Int
    let panelCount: Int
    /// 64-byte aligned, so that each 16-value line of a panel is one cache line.
    let panels: UnsafeMutablePointer<Float>
    /// Wᵀ [k, n] packed the same way, for the other product a training step makes with W,
    /// the gradient dx = dy W of y = x Wᵀ (`init(_:withTranspose:)`); nil in a search,
    /// which has no backward pass.
    public let transposed: PackedWeight?

    /// Packs `weight` [outputs, inputs].
    public convenience init(_ weight: UnsafePointer<Float>, outputs n: Int, inputs k: Int) {
        self.init(weight, outputs: n, inputs: k, fromTranspose: false, transposed: nil)
    }

    /// Packs a weight matrix [outputs, inputs], and with `withTranspose` its transpose
    /// too; the copies do not follow later changes to it.
    public convenience init(_ weight: Tensor, withTranspose: Bool = false) {
        precondition(weight.shape.count == 2, "PackedWeight: a matrix, got shape \(weight.shape)")
        let (n, k) = (weight.shape[0], weight.shape[1])
        self.init(weight.data, outputs: n, inputs: k, fromTranspose: false,
                  transposed: withTranspose
                      ? PackedWeight(weight.data, outputs: k, inputs: n, fromTranspose: true, transposed: nil)
                      : nil)
    }

    /// Packs the matrix [outputs, inputs] that `weight` holds row-major, or, `fromTranspose`,
    /// whose transpose [inputs, outputs] it holds: W itself, or Wᵀ read from W.
    private init(_ weight: UnsafePointer<Float>, outputs n: Int, inputs k: Int, fromTranspose: Bool,
                 transposed: PackedWeight?) {
        let width = Self.panelWidth
        outputs = n
        inputs = k
        panelCount = (n + width - 1) / width
        panels = alignedFloats(panelCount * k * width)
        self.transposed = transposed
        let panels = panels
        // The panels are shared among the engine's threads: a training step packs its
        // matrices anew each time.
        forEachRowRange(panelCount, costPerRow: k * width) { range in
            for j in range {
                let panel = panels + j * k * width
                let rows = min(width, n - j * width)
                if fromTranspose {
                    // Input p's 16 values are adjacent in the source, row p of [k, n], and
                    // go over as one vector.
                    for p in 0..<k {
                        let source = weight + p * n + j * width
                        if rows == width {
                            UnsafeMutableRawPointer(panel + p * width).storeBytes(
                                of: UnsafeRawPointer(source).loadUnaligned(as: SIMD16<Float>.self),
                                as: SIMD16<Float>.self)
                        } else {
                            for c in 0..<rows { panel[p * width + c] = source[c] }
                        }
                    }
                } else {
                    // The panel's 16 rows of W turned on their side 16 inputs at a time, so
                    // that the 16 lines read and the 16 written stay in the first-level
                    // cache while they fill, where a whole row at a time would write one
                    // value into each of k lines and come back to every line 16 times.
                    for first in stride(from: 0, to: k, by: width) {
                        let inputs = first..<min(first + width, k)
                        for c in 0..<rows {
                            let source = weight + (j * width + c) * k
                            for p in inputs { panel[p * width + c] = source[p] }
                        }
                    }
                }
                for c in rows..<width {
                    for p in 0..<k { panel[p * width + c] = 0 }
                }
            }
        }
    }

    deinit { free(panels) }

    /// y = x Wᵀ: x [m, k] and y [m, n], both row-major. The panels are shared among the
    /// engine's threads (`forEachRowRange`); each is computed alike on any of them.
    func product(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, rows m: Int) {
        if m == 1 {
            vectorProduct(x, y)
            return
        }
        let (k, width) = (inputs, Self.panelWidth)
        let heights = Self.blockHeights(rows: m)
        // The first row of each block, and past the last, the rows with padding.
        let firstRows = heights.reduce(into: [0]) { $0.append($0.last! + $1) }
        // x rearranged block by block, input by input: a block of h rows from row i holds
        // x[i + r, p] at (i k + p h + r), so that a kernel's h broadcasts read one line;
        // missing rows are zeros.
        let blocked = alignedFloats(firstRows.last! * k)
        defer { free(blocked) }
        for (b, h) in heights.enumerated() {
            let out = blocked + firstRows[b] * k
            for r in 0..<h {
                let row = firstRows[b] + r
                if row < m {
                    let source = x + row * k
                    for p in 0..<k { out[p * h + r] = source[p] }
                } else {
                    for p in 0..<k { out[p * h + r] = 0 }
                }
            }
        }
        // A panel is read once for each group of rows, which stays in the core's
        // second-level cache (16 blocks of 6 rows: 480 KB at 1,280 inputs) while the
        // panels go by. Each panel goes through `depthChunk` inputs at a time, so that the
        // chunk read again for every block of the group (16 KB) and the block's rows
        // (6 KB) both stay in the first-level cache: a block's sums are stored after a
        // chunk and taken up again for the next, which continues each lane's chain of
        // fused multiply-adds where it stopped, so the values are those of one pass.
        for first in stride(from: 0, to: heights.count, by: Self.groupBlocks) {
            let group = first..<min(first + Self.groupBlocks, heights.count)
            forEachRowRange(panelCount, costPerRow: (firstRows[group.upperBound] - firstRows[first]) * k * width) { range in
                var tile = [Float](repeating: 0, count: Self.blockRows * width)
                for j in range {
                    let columns = min(width, outputs - j * width)
                    // At least one pass, so that with no inputs y gets the empty sums' zeros.
                    for start in stride(from: 0, to: max(k, 1), by: Self.depthChunk) {
                        let depth = min(Self.depthChunk, k - start), resume = start > 0
                        let panel = UnsafePointer(panels + j * k * width + start * width)
                        for b in group {
                            let (h, row) = (heights[b], firstRows[b])
                            let rows = min(h, m - row)
                            let xBlock = UnsafePointer(blocked + row * k + start * h)
                            let corner = y + row * outputs + j * width
                            if rows == h && columns == width {
                                microKernel(rows: h, xBlock, panel, depth: depth, corner, rowStride: outputs,
                                            resume: resume)
                            } else {
                                // A block at the bottom or right edge goes through a full
                                // tile, which takes up the real rows and columns' sums so
                                // far and gives them back.
                                tile.withUnsafeMutableBufferPointer { t in
                                    if resume {
                                        for r in 0..<rows {
                                            for c in 0..<columns { t[r * width + c] = corner[r * outputs + c] }
                                        }
                                    }
                                    microKernel(rows: h, xBlock, panel, depth: depth, t.baseAddress!, rowStride: width,
                                                resume: resume)
                                    for r in 0..<rows {
                                        for c in 0..<columns { corner[r * outputs + c] = t[r * width + c] }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// The heights of the blocks that cover m rows: blocks of 6 (`blockRows`), and where
    /// m is not a multiple of 6, one or two blocks of 4 (`edgeRows`) rather than a block
    /// of 6 mostly of padding. A training step's products have 32 rows for each of its
    /// two replicas: 6 + 6 + 6 + 6 + 4 + 4 computes 32 rows, where 6 × 6 computed 36 of
    /// which 4 were thrown away.
    static func blockHeights(rows m: Int) -> [Int] {
        let (whole, rest) = m.quotientAndRemainder(dividingBy: blockRows)
        switch rest {
        case 0: return Array(repeating: blockRows, count: whole)
        case 1, 2:
            return whole == 0 ? [edgeRows] : Array(repeating: blockRows, count: whole - 1) + [edgeRows, edgeRows]
        case 3, 4: return Array(repeating: blockRows, count: whole) + [edgeRows]
        default: return Array(repeating: blockRows, count: whole + 1)
        }
    }
}

extension PackedWeight {
    /// Panels side by side in `vectorProduct`: four chains of fused multiply-adds.
    static let vectorPanels = 4

    /// y = W x for a single row x [k] (one sentence's decoder step): a matrix–vector
    /// product, one multiply-add for every weight read, so that memory sets its speed and
    /// the kernel's task is to keep the reads flowing. A chain of fused multiply-adds on
    /// one register waits four cycles for each addition, longer than its panel's next
    /// line takes to arrive, so four panels go side by side: one broadcast of x[p] feeds
    /// four independent chains reading four streams. Each lane still sums
    /// Σ_p x[p] W[c, p] in the order p = 0, 1, … from zero, as `microKernel` does, so a
    /// sentence decoded alone gets the values it gets in a batch.
    ///
    /// With the matrix coming from memory, the RNN's output layer (1 × 1280 × 5969) ran at
    /// 44–50 GFLOP/s on two threads against 28–31 for OpenBLAS's matrix–vector product on
    /// W, and at 26 against 13 on one (`nmt bench --engine-only`, 2-core AMD EPYC).
    func vectorProduct(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>) {
        let (k, width, side) = (inputs, Self.panelWidth, Self.vectorPanels)
        let fullPanels = outputs / width
        forEachRowRange(panelCount, costPerRow: k * width) { range in
            var j = range.lowerBound
            while j + side <= min(range.upperBound, fullPanels) {
                fourPanelKernel(x, panels + j * k * width, depth: k, y + j * width)
                j += side
            }
            for j in j..<range.upperBound {
                let sums = panelKernel(x, panels + j * k * width, depth: k)
                for c in 0..<min(width, outputs - j * width) { y[j * width + c] = sums[c] }
            }
        }
    }
}

/// Σ_p x[p] panel[p, ·] for four consecutive panels (each `depth` × 16), written to the
/// 64 values of y from `y` on: `vectorProduct`'s kernel.
@inline(__always)
private func fourPanelKernel(_ x: UnsafePointer<Float>, _ panels: UnsafePointer<Float>, depth: Int,
                             _ y: UnsafeMutablePointer<Float>) {
    typealias Lanes = SIMD16<Float>
    var y0 = Lanes(), y1 = Lanes(), y2 = Lanes(), y3 = Lanes()
    let w = UnsafeRawPointer(panels), panelBytes = depth * 64
    for p in 0..<depth {
        let xp = Lanes(repeating: x[p])
        y0 = y0.addingProduct(xp, w.load(fromByteOffset: p * 64, as: Lanes.self))
        y1 = y1.addingProduct(xp, w.load(fromByteOffset: panelBytes + p * 64, as: Lanes.self))
        y2 = y2.addingProduct(xp, w.load(fromByteOffset: 2 * panelBytes + p * 64, as: Lanes.self))
        y3 = y3.addingProduct(xp, w.load(fromByteOffset: 3 * panelBytes + p * 64, as: Lanes.self))
    }
    let out = UnsafeMutableRawPointer(y)
    out.storeBytes(of: y0, toByteOffset: 0, as: Lanes.self)
    out.storeBytes(of: y1, toByteOffset: 64, as: Lanes.self)
    out.storeBytes(of: y2, toByteOffset: 128, as: Lanes.self)
    out.storeBytes(of: y3, toByteOffset: 192, as: Lanes.self)
}

/// Σ_p x[p] panel[p, ·] for one panel: the panels `fourPanelKernel` leaves, and the last,
/// whose columns beyond W's rows are dropped.
@inline(__always)
private func panelKernel(_ x: UnsafePointer<Float>, _ panel: UnsafePointer<Float>, depth: Int) -> SIMD16<Float> {
    var sums = SIMD16<Float>()
    let w = UnsafeRawPointer(panel)
    for p in 0..<depth {
        sums = sums.addingProduct(SIMD16(repeating: x[p]), w.load(fromByteOffset: p * 64, as: SIMD16<Float>.self))
    }
    return sums
}

/// y[0..<h, 0..<16] = Σ_p x[·, p] ⊗ panel[p, ·] for a block of h = 6 or 4 rows, or with
/// `resume`, y + that sum, continuing the sums that y holds.
@inline(__always)
private func microKernel(rows h: Int, _ x: UnsafePointer<Float>, _ panel: UnsafePointer<Float>, depth: Int,
                         _ y: UnsafeMutablePointer<Float>, rowStride: Int, resume: Bool) {
    if h == PackedWeight.blockRows {
        BlockKernel<6>.multiply(x, panel, depth: depth, y, rowStride: rowStride, resume: resume)
    } else {
        BlockKernel<4>.multiply(x, panel, depth: depth, y, rowStride: rowStride, resume: resume)
    }
}

/// The micro-kernel for blocks of `rows` rows.
private enum BlockKernel<let rows: Int> {
    /// y[0..<rows, 0..<16] = Σ_p x[·, p] ⊗ panel[p, ·]: `rows` rows of x (interleaved,
    /// `x[p rows + r]`) times one panel, over `depth` inputs, written to `y` with
    /// `rowStride` between rows. The accumulators are a fixed-size array whose size the
    /// compiler knows, so that it keeps each in a register and unrolls the loops over
    /// them. Each lane is its own chain of fused multiply-adds, so the values do not
    /// depend on how wide the CPU's vectors are, nor on the block's height.
    @inline(__always)
    static func multiply(_ x: UnsafePointer<Float>, _ panel: UnsafePointer<Float>, depth: Int,
                         _ y: UnsafeMutablePointer<Float>, rowStride: Int, resume: Bool) {
        typealias Lanes = SIMD16<Float>
        var sums = InlineArray<rows, Lanes>(repeating: Lanes())
        let out = UnsafeMutableRawPointer(y)
        if resume {
            for r in 0..<rows {
                sums[r] = out.loadUnaligned(fromByteOffset: r * rowStride * MemoryLayout<Float>.stride, as: Lanes.self)
            }
        }
        let w = UnsafeRawPointer(panel)
        for p in 0..<depth {
            let wp = w.load(fromByteOffset: p * 64, as: Lanes.self)
            let xp = x + p * rows
            for r in 0..<rows { sums[r] = sums[r].addingProduct(Lanes(repeating: xp[r]), wp) }
        }
        for r in 0..<rows {
            out.storeBytes(of: sums[r], toByteOffset: r * rowStride * MemoryLayout<Float>.stride, as: Lanes.self)
        }
    }
}

/// `count` floats, uninitialised, at an address that is a multiple of 64 bytes.
private func alignedFloats(_ count: Int) -> UnsafeMutablePointer<Float> {
    var memory: UnsafeMutableRawPointer? = nil
    guard posix_memalign(&memory, 64, max(count, 1) * MemoryLayout<Float>.stride) == 0, let memory else {
        fatalError("out of memory for \(count) packed values")
    }
    return memory.bindMemory(to: Float.self, capacity: count)
}
