/// One step of the decoder: attend, update the LSTM state.
import Autodiff

/// The decoder's recurrent state between steps.
public struct DecoderState {
    /// s_t, [B, D]
    public var hidden: Tensor
    /// The LSTM's memory cell m_t, [B, D]; c_0 = 0.
    public var cell: Tensor
}

extension RNNModel {
    public func initialDecoderState(_ source: EncodedSource) -> DecoderState {
        DecoderState(hidden: source.initialState,
                     cell: Tensor(zeros: [source.batchSize, config.decoderHiddenSize]))
    }

    /// One decoder step, given the embedded previous words emb(y_{t-1}) [B, E]:
    ///
    /// 1. context: c_t = Σ_j α_tj h_j with α_t from the alignment model on s_{t-1}
    ///    (the baseline uses the fixed [→h_n ; ←h_1] instead);
    /// 2. state: (s_t, m_t) = LSTM([emb(y_{t-1}) ; c_t], (s_{t-1}, m_{t-1})).
    ///
    /// Returns the new state, c_t [B, 2H], and α_t [B, n] (nil for the baseline).
    public func decodeStep(previousEmbedding: Tensor, state: DecoderState, source: EncodedSource)
        -> (state: DecoderState, context: Tensor, weights: Tensor?) {
        var context = source.summary
        var weights: Tensor? = nil
        if let attention, let keys = source.keys {
            (context, weights) = attention(query: state.hidden, keys: keys,
                                           values: source.states, mask: source.mask)
        }
        let input = Tensor.concat([previousEmbedding, context])
        let (hidden, cell) = decoder.step(inputGates: decoder.projectInput(input),
                                          hidden: state.hidden, cell: state.cell)
        return (DecoderState(hidden: hidden, cell: cell), context, weights)
    }

    /// [s_t ; c_t ; emb(y_{t-1})], what the output layer reads, for any number of rows.
    func outputFeatures(states: Tensor, contexts: Tensor, previousEmbeddings: Tensor) -> Tensor {
        Tensor.concat([states, contexts, previousEmbeddings])
    }

    /// logits = W_o features + b_o, with dropout on the features when a generator is given.
    func logits(_ features: Tensor, dropout generator: inout SeededGenerator?) -> Tensor {
        var input = features
        if generator != nil { input = input.dropout(rate: config.dropout, generator: &generator!) }
        return output(input)
    }
}
