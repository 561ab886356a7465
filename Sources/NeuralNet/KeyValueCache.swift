/// The keys and values that multi-head attention reads, kept from one decoder step to the
/// next.
import Autodiff

/// Keys and values per sentence and head, with which keys are real. A decoder layer keeps
/// two: its self-attention's, which grows by one position per step (`appending`), and its
/// cross-attention's, the encoder output projected once per batch
/// (`MultiHeadAttention.projectMemory`). Neither is ever recomputed; beam search reorders
/// and drops sentences through `selecting`.
public struct KeyValueCache {
    /// K and V, [B, k, t, dh] each.
    public let keys: Tensor
    public let values: Tensor
    /// [B·t], false at a source sentence's padding. A decoder's own positions are all real.
    public let keyMask: [Bool]

    public init(keys: Tensor, values: Tensor, keyMask: [Bool]) {
        precondition(keys.shape.count == 4 && values.shape == keys.shape,
                     "KeyValueCache: keys \(keys.shape) and values \(values.shape) must be one [B, k, t, dh]")
        precondition(keyMask.count == keys.shape[0] * keys.shape[2],
                     "KeyValueCache: \(keyMask.count) mask entries for \(keys.shape[0]) × \(keys.shape[2]) keys")
        self.keys = keys
        self.values = values
        self.keyMask = keyMask
    }

    /// A cache of no positions yet, for a decoder's self-attention.
    public init(batch: Int, heads: Int, headSize: Int) {
        self.init(keys: Tensor(zeros: [batch, heads, 0, headSize]), values: Tensor(zeros: [batch, heads, 0, headSize]),
                  keyMask: [])
    }

    public var batch: Int { keys.shape[0] }
    /// t, the number of positions held.
    public var length: Int { keys.shape[2] }

    /// The cache with n new (real) positions after the t it holds: keys and values
    /// [B, k, n, dh] each. Each append copies the cache once, as much work as one step's
    /// attention product over it.
    public func appending(keys newKeys: Tensor, values newValues: Tensor) -> KeyValueCache {
        let n = newKeys.shape[2], t = length
        let mask = (0..<batch).flatMap { b in keyMask[(b * t)..<((b + 1) * t)] + repeatElement(true, count: n) }
        return KeyValueCache(keys: Tensor.concat([keys, newKeys], axis: 2),
                             values: Tensor.concat([values, newValues], axis: 2), keyMask: mask)
    }

    /// Sentences `rows` of the batch, in that order; a row may appear twice (a beam that
    /// splits) or not at all (a sentence that is done).
    public func selecting(_ rows: [Int]) -> KeyValueCache {
        let (heads, t, headSize) = (keys.shape[1], keys.shape[2], keys.shape[3])
        let select = { (x: Tensor) in
            Tensor.gather(x.reshaped([batch, heads * t * headSize]), rows: rows)
                .reshaped([rows.count, heads, t, headSize])
        }
        return KeyValueCache(keys: select(keys), values: select(values),
                             keyMask: rows.flatMap { keyMask[($0 * t)..<(($0 + 1) * t)] })
    }
}
