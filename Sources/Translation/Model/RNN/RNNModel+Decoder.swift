/// One step of the decoder: attend, update the LSTM state, score the next word.
import Autodiff
import NeuralNet

/// The decoder's recurrent state between steps.
public struct RNNState: RowSelectable {
    /// s_t, [B, D]
    public var hidden: Tensor
    /// The LSTM's memory cell m_t, [B, D]; m_0 = 0.
    public var cell: Tensor
    /// What the alignment model carries from step to step, if anything.
    public var attentionCarry: Tensor?

    public func selecting(_ rows: [Int]) -> RNNState {
        RNNState(hidden: Tensor.gather(hidden, rows: rows), cell: Tensor.gather(cell, rows: rows),
                 attentionCarry: attentionCarry?.selectingBatchRows(rows))
    }
}

extension RNNModel {
    public func initialState(_ memory: RNNMemory) -> RNNState {
        RNNState(hidden: memory.initialState,
                 cell: Tensor(zeros: [memory.batchSize, config.decoderHiddenSize]),
                 attentionCarry: memory.attention.flatMap { attention?.initialCarry($0) })
    }

    /// One recurrent step, given the embedded previous words emb(y_{t-1}) [B, E]:
    ///
    /// 1. context: c_t = Σ_j α_tj h_j with α_t from the alignment model on s_{t-1}
    ///    (the baseline uses the fixed [→h_n ; ←h_1] instead);
    /// 2. state: (s_t, m_t) = LSTM([emb(y_{t-1}) ; c_t], (s_{t-1}, m_{t-1})).
    ///
    /// Returns the new state, c_t [B, 2H], and what the alignment model gave (nil for the
    /// baseline).
    func recurrentStep(previousEmbedding: Tensor, state: RNNState, memory: RNNMemory)
        -> (state: RNNState, context: Tensor, attended: Attended?) {
        var context = memory.summary
        var attended: Attended? = nil
        if let attention, let source = memory.attention {
            let step = attention(query: state.hidden, memory: source, carry: state.attentionCarry)
            (context, attended) = (step.context, step)
        }
        let input = Tensor.concat([previousEmbedding, context])
        let (hidden, cell) = decoder.step(inputGates: decoder.projectInput(input),
                                          hidden: state.hidden, cell: state.cell)
        return (RNNState(hidden: hidden, cell: cell, attentionCarry: attended?.carry), context, attended)
    }

    /// One decoder step of a search: the recurrent step on emb(previous words), then the
    /// logits W_o [s_t ; c_t ; emb(y_{t-1})] + b_o.
    public func decode(previous words: [Int], state: RNNState, memory: RNNMemory) -> DecoderStep<RNNState> {
        let embedded = targetEmbedding(words)
        let step = recurrentStep(previousEmbedding: embedded, state: state, memory: memory)
        var noDropout: SeededGenerator? = nil
        let features = outputFeatures(states: step.state.hidden, contexts: step.context, previousEmbeddings: embedded)
        return DecoderStep(logits: logits(features, dropout: &noDropout), state: step.state,
                           alignment: step.attended?.weights, layers: step.attended?.heads.map { [$0] } ?? [])
    }

    /// [s_t ; c_t ; emb(y_{t-1})], what the output layer reads, for any number of rows.
    func outputFeatures(states: Tensor, contexts: Tensor, previousEmbeddings: Tensor) -> Tensor {
        Tensor.concat([states, contexts, previousEmbeddings])
    }

    /// logits = W_o features + b_o, with dropout on the features when a generator is given.
    func logits(_ features: Tensor, dropout generator: inout SeededGenerator?) -> Tensor {
        output(outputInput(features, dropout: &generator))
    }

    /// The features with dropout when a generator is given: what W_o multiplies.
    func outputInput(_ features: Tensor, dropout generator: inout SeededGenerator?) -> Tensor {
        generator == nil ? features : features.dropout(rate: config.dropout, generator: &generator!)
    }
}
