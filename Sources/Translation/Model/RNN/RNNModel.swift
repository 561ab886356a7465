/// The encoder–decoder with attention of docs/DESIGN.md (after Bahdanau et al., 2015),
/// and its attention-free baseline.
import Autodiff
import NeuralNet

/// The model's layers and their checkpoint names. The maths of each stage lives in the
/// files beside this one: `RNNModel+Encoder.swift`, `RNNModel+Decoder.swift`,
/// `RNNModel+Loss.swift`.
public struct RNNModel: TranslationModel {
    public let config: ModelConfig
    public let sourceVocabularySize: Int, targetVocabularySize: Int

    let sourceEmbedding: Embedding
    private(set) var encoder: BidirectionalLSTM
    /// s_0 = tanh(W_b [→h_n ; ←h_1] + b_b)
    let bridge: Linear
    /// The alignment model; absent in the baseline, which reads a fixed context.
    let attention: (any AlignmentModel)?
    let targetEmbedding: Embedding
    /// Input [emb(y_{t-1}) ; c_t], state (s, m).
    private(set) var decoder: LSTM
    /// logits_t = W_o [s_t ; c_t ; emb(y_{t-1})] + b_o
    private(set) var output: Linear

    public init(config: ModelConfig, sourceVocabularySize: Int, targetVocabularySize: Int,
                generator: inout SeededGenerator) {
        let (e, h, d) = (config.embeddingSize, config.encoderHiddenSize, config.decoderHiddenSize)
        self.config = config
        self.sourceVocabularySize = sourceVocabularySize
        self.targetVocabularySize = targetVocabularySize
        sourceEmbedding = Embedding(vocabularySize: sourceVocabularySize, size: e, generator: &generator)
        encoder = BidirectionalLSTM(inputSize: e, hiddenSize: h, generator: &generator)
        bridge = Linear(inputSize: 2 * h, outputSize: d, generator: &generator)
        attention = Self.alignmentModel(config, generator: &generator)
        targetEmbedding = Embedding(vocabularySize: targetVocabularySize, size: e, generator: &generator)
        decoder = LSTM(inputSize: e + 2 * h, hiddenSize: d, generator: &generator)
        output = Linear(inputSize: d + 2 * h + e, outputSize: targetVocabularySize, generator: &generator)
    }

    /// The alignment model that `config.attention` names, reading queries of size D and
    /// encoder states of size 2H.
    static func alignmentModel(_ config: ModelConfig, generator: inout SeededGenerator) -> (any AlignmentModel)? {
        let (query, key, size) = (config.decoderHiddenSize, 2 * config.encoderHiddenSize, config.attentionSize)
        switch config.attention {
        case .additive:
            return AdditiveAttention(querySize: query, keySize: key, attentionSize: size, generator: &generator)
        case .dot:
            return DotAttention(querySize: query, keySize: key)
        case .general:
            return GeneralAttention(querySize: query, keySize: key, generator: &generator)
        case .scaledDot:
            return ScaledDotAttention(querySize: query, keySize: key, attentionSize: size, generator: &generator)
        case .multiHead:
            return MultiHeadAlignment(querySize: query, keySize: key, attentionSize: size,
                                      heads: config.attentionHeads, generator: &generator)
        case .location:
            return LocationAwareAttention(querySize: query, keySize: key, attentionSize: size,
                                          filters: config.locationFilters, width: config.locationWidth,
                                          generator: &generator)
        case .local:
            return LocalAttention(querySize: query, keySize: key, attentionSize: size,
                                  window: config.attentionWindow, generator: &generator)
        case .none:
            return nil
        }
    }

    public var kind: String { config.attention.rawValue }

    /// A source position goes through the encoder's two LSTMs, a target position through
    /// the decoder's LSTM and the attention, a real target token through the output layer.
    /// Attention's keys are made once per source position, not per target position, but
    /// its weights are a few percent of the LSTMs'.
    public var workPerPosition: WorkPerPosition {
        WorkPerPosition(sourcePosition: encoder.parameterCount,
                        targetPosition: decoder.parameterCount + (attention?.parameterCount ?? 0),
                        targetToken: output.parameterCount)
    }

    /// For a search: the output layer and both LSTMs keep copies of their weight matrices
    /// packed for small products (`Linear.keepingPackedWeight`,
    /// `LSTM.keepingPackedWeights`, `PackedWeight`), which a step's products over the
    /// batch's rows read without OpenBLAS packing them again at every call; it costs
    /// another copy of those matrices (45 MB at the Multi30k size).
    public func forDecoding() -> RNNModel {
        var model = self
        model.encoder = encoder.keepingPackedWeights()
        model.decoder = decoder.keepingPackedWeights()
        model.output = output.keepingPackedWeight()
        return model
    }

    /// For one training step's forward and backward pass: both LSTMs keep copies of W_ih
    /// and W_hh and of their transposes packed for small products
    /// (`LSTM.keepingPackedWeights(withTransposes:)`), or read those of `other`. Each
    /// decoder step multiplies a share's few dozen rows by W_ih and W_hh, and backward
    /// multiplies their gradients by the same matrices; OpenBLAS packed each matrix again
    /// at every one of those calls. Packing them once per step costs a few milliseconds
    /// and 26 MB at the Multi30k size, and the packed kernel sums in its own order, so the
    /// losses move in their last bits. A model whose weights take no gradient (one made
    /// for a search), or that has such copies already, is returned as it is.
    public func forTrainingStep(sharingCopiesOf other: RNNModel? = nil) -> RNNModel {
        guard decoder.weightHH.requiresGrad, decoder.packedWeightHH?.transposed == nil else { return self }
        var model = self
        if let other, other.decoder.packedWeightHH?.transposed != nil {
            model.encoder = encoder.readingPackedWeights(of: other.encoder)
            model.decoder = decoder.readingPackedWeights(of: other.decoder)
        } else {
            model.encoder = encoder.keepingPackedWeights(withTransposes: true)
            model.decoder = decoder.keepingPackedWeights(withTransposes: true)
        }
        return model
    }

    /// The design's tensor names, in a fixed order.
    public var namedParameters: [(name: String, tensor: Tensor)] {
        sourceEmbedding.namedParameters(prefix: "encoder.embedding")
            + encoder.namedParameters(prefix: "encoder.rnn")
            + bridge.namedParameters(prefix: "bridge")
            + (attention?.namedParameters(prefix: "attention") ?? [])
            + targetEmbedding.namedParameters(prefix: "decoder.embedding")
            + decoder.namedParameters(prefix: "decoder.rnn")
            + output.namedParameters(prefix: "output")
    }
}
