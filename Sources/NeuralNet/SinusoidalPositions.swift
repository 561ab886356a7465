/// The Transformer's fixed positional encodings (Vaswani et al. 2017, §3.5).

#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
import Autodiff

/// The table of positions 0..<length, [length, d], for column c = 2i or 2i + 1:
///
///     PE[pos, 2i]     = sin(pos / 10000^(2i/d))
///     PE[pos, 2i + 1] = cos(pos / 10000^(2i/d))
///
/// Each pair of columns is one wavelength, from 2π to 10000·2π, so PE[pos + k] is a fixed
/// rotation of each pair of PE[pos]: the paper's reason to hope that the model learns to
/// attend by relative position. It is a constant: its first T rows (`table[0..<T]`) are
/// added to every sentence's embeddings, [B, T, d] + [T, d]. The angles are computed in
/// Double, whose sine stays exact to Float32's precision at angles of hundreds of radians.
public func sinusoidalPositions(length: Int, size d: Int) -> Tensor {
    var table = [Float](repeating: 0, count: length * d)
    for pos in 0..<length {
        for c in 0..<d {
            let angle = Double(pos) / pow(10000, Double(c - c % 2) / Double(d))
            table[pos * d + c] = Float(c % 2 == 0 ? sin(angle) : cos(angle))
        }
    }
    return Tensor(shape: [length, d], data: table)
}
