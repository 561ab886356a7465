/// Rescaling gradients whose global norm is too large.
import Autodiff

/// Scales all gradients by the same factor so that their joint L2 norm is at most
/// `maxNorm` (Pascanu et al., 2013): a rare exploding gradient of a recurrent network then
/// moves the weights no further than a normal one, in the same direction.
/// Returns the norm before clipping (infinite or NaN when a gradient is not finite).
@discardableResult
public func clipGradientNorm(_ parameters: [Tensor], maxNorm: Float) -> Float {
    var squares: Double = 0
    for p in parameters {
        guard let g = p.grad else { continue }
        for x in g { squares += Double(x) * Double(x) }
    }
    let norm = Float(squares.squareRoot())
    guard norm.isFinite, norm > maxNorm else { return norm }
    let scale = maxNorm / norm
    for p in parameters where p.grad != nil {
        p.grad!.withUnsafeMutableBufferPointer { g in
            for i in 0..<g.count { g[i] *= scale }
        }
    }
    return norm
}
