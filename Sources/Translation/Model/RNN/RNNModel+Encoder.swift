/// Reading the source sentence: embeddings, the bidirectional LSTM, and the bridge.
import Autodiff
import NeuralNet

/// What the RNN decoder needs from the source, computed once per batch.
public struct RNNMemory: RowSelectable {
    public let batchSize: Int
    /// n, the longest source in the batch (tokens and `</s>`).
    public let length: Int
    /// The encoder states h_j = [→h_j ; ←h_j] and what the alignment model derives from
    /// them (its keys); nil without attention.
    public let attention: AttentionMemory?
    /// [→h_n ; ←h_1], [B, 2H]: the bridge's input, and the baseline's fixed context.
    public let summary: Tensor
    /// s_0 = tanh(W_b summary + b_b), [B, D].
    public let initialState: Tensor

    public func selecting(_ rows: [Int]) -> RNNMemory {
        RNNMemory(batchSize: rows.count, length: length, attention: attention?.selecting(rows),
                  summary: summary.selectingBatchRows(rows), initialState: initialState.selectingBatchRows(rows))
    }
}

extension RNNModel {
    /// Encodes time-major source ids [n, B] (tokens then `</s>`, padded) of the given lengths.
    /// Dropout, when a generator is given, applies to the embeddings.
    public func encode(source: [Int], lengths: [Int], dropout generator: inout SeededGenerator?) -> RNNMemory {
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
        return RNNMemory(batchSize: batch, length: n, attention: attention?.attending(to: states, mask: mask),
                         summary: summary, initialState: bridge(summary).tanh())
    }
}
