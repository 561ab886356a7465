/// Rescaling gradients whose global norm is too large.
import Autodiff

/// Scales all gradients by the same factor so that their joint L2 norm is at most
/// `maxNorm` (Pascanu et al., 2013): a rare exploding gradient of a recurrent network then
/// moves the weights no further than a normal one, in the same direction.
/// Returns the norm before clipping (infinite or NaN when a gradient is not finite).
///
/// Both passes run over every gradient value, tens of millions of them, so each is
/// shared among the threads in blocks: the squares are summed in Double, block by block
/// and then the blocks in order, so the norm does not depend on the number of threads.
@discardableResult
public func clipGradientNorm(_ parameters: [Tensor], maxNorm: Float) -> Float {
    var squares: Double = 0
    for p in parameters {
        guard let g = p.grad else { continue }
        squares += sumOfSquares(g)
    }
    let norm = Float(squares.squareRoot())
    guard norm.isFinite, norm > maxNorm else { return norm }
    let scale = maxNorm / norm
    for p in parameters where p.grad != nil {
        p.grad!.withUnsafeMutableBufferPointer { g in
            forEachBlockRange(g.count, block: clippingBlock) { values in
                for i in values { g[i] *= scale }
            }
        }
    }
    return norm
}

/// Σ x², in Double: each block's sum with four running sums (a single one would make
/// every addition wait for the one before), then the blocks' sums in order.
private func sumOfSquares(_ g: [Float]) -> Double {
    let blocks = (g.count + clippingBlock - 1) / clippingBlock
    var partial = [Double](repeating: 0, count: blocks)
    g.withUnsafeBufferPointer { g in
        partial.withUnsafeMutableBufferPointer { partial in
            forEachRowRange(blocks, costPerRow: clippingBlock) { range in
                for block in range {
                    let start = block * clippingBlock, end = min(start + clippingBlock, g.count)
                    var sums = SIMD4<Double>()
                    var i = start
                    while i + 4 <= end {
                        let x = SIMD4<Double>(Double(g[i]), Double(g[i + 1]), Double(g[i + 2]), Double(g[i + 3]))
                        sums += x * x
                        i += 4
                    }
                    var sum = sums.sum()
                    while i < end {
                        sum += Double(g[i]) * Double(g[i])
                        i += 1
                    }
                    partial[block] = sum
                }
            }
        }
    }
    return partial.reduce(0, +)
}

/// Values per block of the clipping passes.
private let clippingBlock = 1 << 14
