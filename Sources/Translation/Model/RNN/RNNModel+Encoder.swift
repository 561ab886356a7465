/// Reading the source sentence: embeddings, the bidirectional LSTM, and the bridge.
import Autodiff

/// What the decoder needs from the source, computed once per batch.
public struct EncodedSource {
    public let batchSize: Int
    /// n, the longest source in the batch (tokens and `</s>`).
    public let length: Int
    /// h_j = [→h_j ; ←h_j], batch-major [B, n, 2H]: the attention's values.
    public let states: Tensor
    /// U_a h_j + b_a, [B·n, A]: the attention's keys (nil without attention).
    public let keys: Tensor?
    /// [B·n], false at padding positions.
    public let mask: [Bool]
    /// [→h_n ; ←h_1], [B, 2H]: the bridge's input, and the baseline's fixed context.
    public let summary: Tensor
    /// s_0 = tanh(W_b summary + b_b), [B, D].
    public let initialState: Tensor
}

extension RNNModel {
    /// Encodes time-major source ids [n, B] (tokens then `</s>`, padded) of the given lengths.
    /// Dropout, when a generator is given, applies to the embeddings.
    public func encode(source: [Int], lengths: [Int], dropout generator: inout SeededGenerator?) -> EncodedSource {
        let batch = lengths.count, n = source.count / batch
        var embedded = sourceEmbedding(source).reshaped([n, batch, config.embeddingSize])  // [n, B, E]
        if generator != nil { embedded = embedded.dropout(rate: config.dropout, generator: &generator!) }
        let (outputs, lastForward, firstBackward) = encoder(embedded, lengths: lengths)   // [n, B, 2H]
        let states = outputs.swappingFirstAxes()                                         // [B, n, 2H]
        let summary = Tensor.concat([lastForward, firstBackward])                        // [B, 2H]
        var mask = [Bool](repeating: false, count: batch * n)
        for b in 0..<batch {
            for j in 0..<lengths[b] { mask[b * n + j] = true }
        }
        return EncodedSource(batchSize: batch, length: n, states: states,
                             keys: attention?.projectKeys(states), mask: mask,
                             summary: summary, initialState: bridge(summary).tanh())
    }
}

extension EncodedSource {
    /// The encoding of the given sentences of the batch, in the order given (a sentence
    /// may appear more than once): the rows a search keeps decoding.
    func selecting(_ sentences: [Int]) -> EncodedSource {
        func rows(_ x: Tensor) -> Tensor {
            let perSentence = x.count / batchSize
            let shape = [sentences.count] + x.shape.dropFirst()
            return Tensor.gather(x.reshaped([batchSize, perSentence]), rows: sentences).reshaped(shape)
        }
        return EncodedSource(
            batchSize: sentences.count, length: length, states: rows(states),
            keys: keys.map { rows($0.reshaped([batchSize, length, $0.columns])).reshaped([sentences.count * length, $0.columns]) },
            mask: sentences.flatMap { mask[($0 * length)..<(($0 + 1) * length)] },
            summary: rows(summary), initialState: rows(initialState))
    }
}
