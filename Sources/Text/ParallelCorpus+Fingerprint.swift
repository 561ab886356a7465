/// A short digest of a corpus's pairs, for processes to check that they read the same one.

extension ParallelCorpus {
    /// The 64-bit FNV-1a hash of every pair's line number, source and target, in order:
    /// two copies of a corpus have the same fingerprint, and two that differ by a byte
    /// almost surely not. Not a cryptographic hash; it guards against mistakes (a stale
    /// copy on one machine of a cluster), not against an adversary.
    public var fingerprint: UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix<S: Sequence<UInt8>>(_ bytes: S) {
            for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        }
        for pair in pairs {
            mix(String(pair.line).utf8)
            mix([0])
            mix(pair.source.utf8)
            mix([0])
            mix(pair.target.utf8)
            mix([0])
        }
        return hash
    }
}
