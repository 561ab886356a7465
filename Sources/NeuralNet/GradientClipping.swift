/// The gradients' global norm, alone or as replicas' gradients are summed, and clipping.
import Autodiff

/// The factor that brings gradients of global L2 norm `norm` to a norm of at most
/// `maxNorm` (Pascanu et al., 2013): maxNorm / norm when the norm is larger, else 1. A
/// rare exploding gradient of a recurrent network then moves the weights no further than
/// a normal one, in the same direction. Adam applies it as it reads each gradient value
/// (`Adam.update(gradientScale:)`), rather than in a pass of its own over them.
public func clippingScale(norm: Float, maxNorm: Float) -> Float {
    norm.isFinite && norm > maxNorm ? maxNorm / norm : 1
}

/// The global L2 norm of the parameters' gradients (infinite or NaN when a gradient is
/// not finite).
///
/// The pass runs over every gradient value, tens of millions of them, so it is shared
/// among the threads in blocks: the squares are summed in Double, block by block and then
/// the blocks in order, so the norm does not depend on the number of threads.
public func gradientNorm(_ parameters: [Tensor]) -> Float {
    var squares: Double = 0
    for p in parameters {
        guard let g = p.grad else { continue }
        squares += g.withUnsafeBufferPointer { sumOfSquaresByBlock($0, beforeEachBlock: { _ in }) }
    }
    return Float(squares.squareRoot())
}

/// Adds the replicas' gradients into the parameters' (`replicas[r][k]` into
/// `parameters[k]`, in replica order, each value `((g + g₁) + g₂) …`), leaves the replicas
/// without, and returns `gradientNorm` of the sums, to the bit. A parameter without a
/// gradient takes its first replica's array as it is.
///
/// Why one pass: the sums and the norm each read all the gradients, 60 MB at the Multi30k
/// size, more than the cache holds. Summed block by block, each block's squares are taken
/// while it is still in the core's cache.
public func addReplicaGradients(_ replicas: [[Tensor]], into parameters: [Tensor]) -> Float {
    var squares: Double = 0
    for (k, p) in parameters.enumerated() {
        var others = replicas.compactMap { $0[k].grad }
        for replica in replicas { replica[k].grad = nil }
        if p.grad == nil {
            guard !others.isEmpty else { continue }
            p.grad = others.removeFirst()
        }
        p.grad!.withUnsafeMutableBufferPointer { sums in
            squares += sumOfSquaresByBlock(UnsafeBufferPointer(sums), beforeEachBlock: { block in
                for other in others {
                    other.withUnsafeBufferPointer { g in
                        // Plain counters from the block's start, so that the loop vectorises.
                        let (sum, g) = (sums.baseAddress! + block.lowerBound, g.baseAddress! + block.lowerBound)
                        for i in 0..<block.count { sum[i] = sum[i] + g[i] }
                    }
                }
            })
        }
    }
    return Float(squares.squareRoot())
}

/// Σ x² over `g`, in Double: each block of `clippingBlock` values with four running sums
/// (a single one would make every addition wait for the one before), then the blocks'
/// sums in order. `beforeEachBlock` is given the block's range first, and may write its
/// values.
private func sumOfSquaresByBlock(_ values: UnsafeBufferPointer<Float>,
                                 beforeEachBlock: (Range<Int>) -> Void) -> Double {
    let count = values.count
    let blocks = (count + clippingBlock - 1) / clippingBlock
    var partial = [Double](repeating: 0, count: blocks)
    partial.withUnsafeMutableBufferPointer { partial in
        forEachRowRange(blocks, costPerRow: clippingBlock) { range in
            for block in range {
                let start = block * clippingBlock, end = min(start + clippingBlock, count)
                beforeEachBlock(start..<end)
                var sums = SIMD4<Double>()
                var i = start
                while i + 4 <= end {
                    let x = SIMD4<Double>(Double(values[i]), Double(values[i + 1]), Double(values[i + 2]),
                                          Double(values[i + 3]))
                    sums += x * x
                    i += 4
                }
                var sum = sums.sum()
                while i < end {
                    sum += Double(values[i]) * Double(values[i])
                    i += 1
                }
                partial[block] = sum
            }
        }
    }
    return partial.reduce(0, +)
}

/// Values per block of the gradient passes.
private let clippingBlock = 1 << 14
