#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// A small, fast, seedable random number generator (xoshiro256**, Blackman and Vigna).
///
/// Training must be repeatable: initial weights, dropout masks and the data order all
/// come from generators seeded from `--seed`, and their state is saved in a checkpoint so
/// that a resumed run draws exactly the numbers an uninterrupted one would have.
public struct SeededGenerator: RandomNumberGenerator, Codable, Equatable, Sendable {
    // The four words of state, held apart rather than in an array: a dropout mask draws
    // one number per value, millions per training step, and an array's bounds and
    // uniqueness checks cost more than the generator's own arithmetic.
    private var s0, s1, s2, s3: UInt64

    /// The four words of state, as a checkpoint saves them.
    public var state: [UInt64] { [s0, s1, s2, s3] }

    public init(seed: UInt64) {
        // SplitMix64 spreads any seed, even 0, over the four words of state.
        var s = seed
        func splitMix() -> UInt64 {
            s &+= 0x9E37_79B9_7F4A_7C15
            var z = s
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        (s0, s1, s2, s3) = (splitMix(), splitMix(), splitMix(), splitMix())
    }

    public mutating func next() -> UInt64 {
        let result = rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotl(s3, 45)
        return result
    }

    /// A uniform Float in [0, 1) from the top 24 bits.
    public mutating func nextUniform() -> Float {
        Float(next() >> 40) * (1.0 / 16_777_216.0)
    }

    /// A standard normal Float (Box–Muller).
    public mutating func nextNormal() -> Float {
        let u1 = max(nextUniform(), 1e-7)
        let u2 = nextUniform()
        return (-2 * logf(u1)).squareRoot() * cosf(2 * .pi * u2)
    }

    private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    // Saved as {"state": [four words]}, the form checkpoints have always held.
    private enum CodingKeys: String, CodingKey { case state }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let words = try container.decode([UInt64].self, forKey: .state)
        guard words.count == 4 else {
            throw DecodingError.dataCorruptedError(forKey: .state, in: container,
                                                   debugDescription: "a generator state of \(words.count) words, not 4")
        }
        (s0, s1, s2, s3) = (words[0], words[1], words[2], words[3])
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(state, forKey: .state)
    }
}
