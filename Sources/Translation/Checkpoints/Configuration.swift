/// Every setting of a model and of its training, as saved in a checkpoint's config.json.

/// The model's architecture, its sizes (the design's E, H, D, A) and regularisation.
public struct ModelConfig: Codable, Equatable, Sendable {
    /// The encoder–decoder family: `rnn`, a bidirectional LSTM encoder with an LSTM decoder.
    public enum Architecture: String, Codable, Sendable, CaseIterable { case rnn }

    /// The RNN decoder's alignment model: additive attention, or none (the RNNencdec
    /// baseline with a fixed context).
    public enum Attention: String, Codable, Sendable, CaseIterable { case additive, none }

    /// Checkpoints from before this setting existed are RNNs (see
    /// ``Configuration/settingsAddedLater``).
    public var architecture = Architecture.rnn

    public var embeddingSize = 128
    /// Per direction: encoder states are twice this size.
    public var encoderHiddenSize = 128
    public var decoderHiddenSize = 256
    public var attentionSize = 128
    public var attention = Attention.additive
    public var dropout: Float = 0.3

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
    /// averaged into averaged.safetensors (Junczys-Dowmunt et al. 2016); below 2, neither.
    public var averageLast = 5
    public var threads = 2

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
    static let settingsAddedLater: [(setting: String, asBefore: @Sendable (inout Configuration) -> Void)] = [
        ("training.labelSmoothing", { $0.training.labelSmoothing = 0 }),
        ("training.averageLast", { $0.training.averageLast = 0 }),
        ("vocabulary.merges", { $0.vocabulary.merges = 0 }),
        ("model.architecture", { $0.model.architecture = .rnn }),
    ]

    public var formatVersion = Configuration.currentFormatVersion
    public var model = ModelConfig()
    public var training = TrainingConfig()
    public var vocabulary = VocabularyConfig()

    public init() {}
}
