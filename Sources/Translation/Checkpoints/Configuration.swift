/// Every setting of a model and of its training, as saved in a checkpoint's config.json.

/// The model's architecture, its sizes (the design's E, H, D, A) and regularisation.
public struct ModelConfig: Codable, Equatable, Sendable {
    /// The encoder–decoder family: `rnn`, a bidirectional LSTM encoder with an LSTM
    /// decoder, or `transformer`, the pre-norm Transformer of docs/DESIGN.md.
    public enum Architecture: String, Codable, Sendable, CaseIterable { case rnn, transformer }

    /// The RNN decoder's alignment model (docs/DESIGN.md, "The attention kinds"), or none
    /// (the RNNencdec baseline with a fixed context).
    public enum Attention: String, Codable, Sendable, CaseIterable {
        case additive, dot, general
        case scaledDot = "scaled-dot"
        case multiHead = "multi-head"
        case location, local, none
    }

    /// Checkpoints from before this setting existed are RNNs (see
    /// ``Configuration/settingsAddedLater``).
    public var architecture = Architecture.rnn

    public var embeddingSize = 128
    /// Per direction: encoder states are twice this size.
    public var encoderHiddenSize = 128
    public var decoderHiddenSize = 256
    public var attentionSize = 128
    public var attention = Attention.additive

    // The attention kinds' settings: each is read only by the kind it names.

    /// k, the heads of `multi-head` attention; they must divide `attentionSize`. Four heads
    /// of 32 features at the default A = 128 keep each head as wide as a small Transformer's.
    public var attentionHeads = 4
    /// W, the half-width of `local` attention's window [p_t − W, p_t + W], at least 1.
    /// Luong et al. (2015, §3.2) chose D = 10 for WMT sentences of up to 50 words; ours
    /// are short (10 words on average in data/, 11 in Multi30k), so 5: a window of 11
    /// still covers most of a sentence while staying local.
    public var attentionWindow = 5
    /// K, the filters of `location` attention over the previous weights. Chorowski et al.
    /// (2015) used 10 filters for phoneme alignment, which we follow.
    public var locationFilters = 10
    /// w, the width of each location filter, odd so that it centres on position j:
    /// 5 sees two words either side of the previous focus, enough for a step that
    /// moves one word ahead (Chorowski et al. used 201 frames of speech, far longer units).
    public var locationWidth = 5

    public var dropout: Float = 0.3

    // The Transformer's settings (`architecture` = `transformer`; the RNN reads none of them).

    /// d, the width of every position's vector from the embeddings to the last layer.
    public var modelSize = 256
    /// k, the attention heads of every attention layer; d must be divisible by k.
    public var heads = 8
    /// N_e and N_d.
    public var encoderLayers = 3
    public var decoderLayers = 3
    /// F, the hidden width of each layer's feed-forward block.
    public var feedForwardSize = 1024
    /// Whether the output layer shares W_o with the target embedding (Press and Wolf
    /// 2017); the weights file then holds no `output.weight`.
    public var tieOutput = false

    public init() {}
}

/// How training runs.
public struct TrainingConfig: Codable, Equatable, Sendable {
    public var seed: UInt64 = 1
    public var batchSize = 32
    public var learningRate: Float = 0.002
    /// Label smoothing ε: the training targets put 1 − ε on the reference word.
    public var labelSmoothing: Float = 0
    /// The global gradient norm is clipped to this.
    public var clipNorm: Float = 1
    public var maxEpochs = 25
    /// Validate (greedy BLEU on the validation set) every this many steps; 0 means once
    /// per epoch.
    public var validateEvery = 0
    /// Halve the learning rate after this many validations without a better BLEU …
    public var decayPatience = 2
    public var decayFactor: Float = 0.5
    /// … and stop after this many.
    public var patience = 5
    /// Sentences longer than this many tokens are left out of training.
    public var maxLength = 50
    /// The weights of the last this many validations are kept as step-N.safetensors and
    /// averaged into averaged.safetensors (Junczys-Dowmunt et al. 2016), leaving out those
    /// more than `WeightAveraging.bleuMargin` below the best BLEU so far; below 2, neither.
    public var averageLast = 5
    public var threads = 2

    // The Transformer's settings (any model may use them; their defaults are the RNN's
    // training as it always was).

    /// How the learning rate changes: on a plateau of validation BLEU (`decayPatience`,
    /// `decayFactor`), or at every step by the inverse square root of the step.
    public enum Schedule: String, Codable, Sendable, CaseIterable {
        case plateau
        case inverseSqrt = "inverse-sqrt"
    }

    public var schedule = Schedule.plateau
    /// With `inverse-sqrt`, the steps over which the rate rises linearly to its peak.
    public var warmupSteps = 4000
    /// Batches filled with sentences of alike length up to this many padded target
    /// tokens; 0 makes batches of `batchSize` sentences.
    public var batchTokens = 0
    /// Adam's β₂ and ε (Adam's own defaults; a Transformer wants 0.98 and 1e-9).
    public var adamBeta2: Float = 0.999
    public var adamEpsilon: Float = 1e-8

    public init() {}
}

/// How text becomes tokens and ids.
public struct VocabularyConfig: Codable, Equatable, Sendable {
    public var lowercase = false
    public var minFrequency = 2
    public var maxSize = 20_000
    /// Byte-pair merges learned from the training corpus, both sides jointly, to split
    /// words into subword units (see ``BytePairEncoding``); 0 keeps whole words.
    public var merges = 0

    public init() {}
}

/// The whole of config.json.
public struct Configuration: Codable, Equatable, Sendable {
    /// Bumped whenever the checkpoint layout or the meaning of a setting changes; a
    /// checkpoint from another version is refused rather than misread.
    public static let currentFormatVersion = 1

    /// The settings added to config.json after its format version was first released,
    /// each with what checkpoints written before it did; empty again whenever the version
    /// is bumped.
    ///
    /// A checkpoint's config.json must hold every setting its model needs: a setting left
    /// out is refused, not given today's default, which may not be what the model was
    /// trained with. A setting added later without a new format version is the one
    /// exception: older checkpoints of the same version lack it, so it is listed here with
    /// the value that reproduces how they were made, which need not be the default of a
    /// new training. Whoever adds a setting to a released format version adds it here.
    ///
    /// `neededBy` names the models that came with the setting: no earlier checkpoint is
    /// one of them, so for those the setting is refused when missing like any other (a
    /// multi-head checkpoint without `model.attentionHeads` has lost it, not predated it).
    static let settingsAddedLater: [SettingAddedLater] = [
        SettingAddedLater("training.labelSmoothing") { $0.training.labelSmoothing = 0 },
        SettingAddedLater("training.averageLast") { $0.training.averageLast = 0 },
        SettingAddedLater("vocabulary.merges") { $0.vocabulary.merges = 0 },
        SettingAddedLater("model.architecture") { $0.model.architecture = .rnn },
        // Read only by the attention kinds that came with them.
        SettingAddedLater("model.attentionHeads", neededBy: { $0.usesAttention(.multiHead) }) { _ in },
        SettingAddedLater("model.attentionWindow", neededBy: { $0.usesAttention(.local) }) { _ in },
        SettingAddedLater("model.locationFilters", neededBy: { $0.usesAttention(.location) }) { _ in },
        SettingAddedLater("model.locationWidth", neededBy: { $0.usesAttention(.location) }) { _ in },
        // Read only by the Transformer, which came with them.
        SettingAddedLater("model.modelSize", neededBy: \.isTransformer) { _ in },
        SettingAddedLater("model.heads", neededBy: \.isTransformer) { _ in },
        SettingAddedLater("model.encoderLayers", neededBy: \.isTransformer) { _ in },
        SettingAddedLater("model.decoderLayers", neededBy: \.isTransformer) { _ in },
        SettingAddedLater("model.feedForwardSize", neededBy: \.isTransformer) { _ in },
        SettingAddedLater("model.tieOutput", neededBy: \.isTransformer) { $0.model.tieOutput = false },
        // How earlier checkpoints were trained: halving on a plateau, batches of sentences,
        // Adam's usual β₂ and ε. Every Transformer checkpoint has them.
        SettingAddedLater("training.schedule", neededBy: \.isTransformer) { $0.training.schedule = .plateau },
        SettingAddedLater("training.warmupSteps", neededBy: \.isTransformer) { _ in },
        SettingAddedLater("training.batchTokens", neededBy: \.isTransformer) { $0.training.batchTokens = 0 },
        SettingAddedLater("training.adamBeta2", neededBy: \.isTransformer) { $0.training.adamBeta2 = 0.999 },
        SettingAddedLater("training.adamEpsilon", neededBy: \.isTransformer) { $0.training.adamEpsilon = 1e-8 },
    ]

    /// A setting that checkpoints of the current format version written before it lack.
    struct SettingAddedLater: Sendable {
        /// Its key in config.json, sections joined with dots.
        let setting: String
        /// Whether a model needs it, so that it can only have been lost, not predate it.
        let neededBy: @Sendable (Configuration) -> Bool
        /// Sets it to what checkpoints written before it did (nothing, where the default is that).
        let asBefore: @Sendable (inout Configuration) -> Void

        init(_ setting: String, neededBy: @escaping @Sendable (Configuration) -> Bool = { _ in false },
             asBefore: @escaping @Sendable (inout Configuration) -> Void) {
            self.setting = setting
            self.neededBy = neededBy
            self.asBefore = asBefore
        }
    }

    var isTransformer: Bool { model.architecture == .transformer }

    /// Whether the model is the RNN with this attention kind.
    func usesAttention(_ kind: ModelConfig.Attention) -> Bool {
        model.architecture == .rnn && model.attention == kind
    }

    public var formatVersion = Configuration.currentFormatVersion
    public var model = ModelConfig()
    public var training = TrainingConfig()
    public var vocabulary = VocabularyConfig()

    public init() {}
}
