/// `nmt train`: train a model and keep its checkpoint folder.
import ArgumentParser
import Foundation
import Synchronization
import Translation

/// Set by Ctrl-C or SIGTERM; the trainer checks it after every step.
private let stopRequested = Atomic<Bool>(false)

struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train a translation model (by default on the bundled corpus in data/).")

    @Option(help: "Training corpus: a path prefix completed by .de and .en.")
    var train = "data/train"
    @Option(help: "Validation corpus prefix.")
    var valid = "data/valid"
    @Option(help: "Test corpus prefix, translated with the best model at the end ('' for none).")
    var test = "data/test"
    @Option(help: "Checkpoint folder (default: checkpoints/tiny, or checkpoints/tiny-none without attention).")
    var out: String?
    @Option(help: "A JSON file of settings, with the keys of a checkpoint's config.json.")
    var config: String?
    @Flag(help: "Continue the training saved in --out.")
    var resume = false

    @Option(help: "Attention: additive (Bahdanau) or none (the RNNencdec baseline).")
    var attention: ModelConfig.Attention?
    @Option(help: "Word embedding size E.") var embeddingSize: Int?
    @Option(help: "Encoder LSTM size H per direction.") var encoderHiddenSize: Int?
    @Option(help: "Decoder LSTM size D.") var decoderHiddenSize: Int?
    @Option(help: "Alignment MLP size A.") var attentionSize: Int?
    @Option(help: "Dropout rate in [0, 1).") var dropout: Float?

    @Option(help: "Sentences per batch.") var batchSize: Int?
    @Option(help: "Adam's learning rate.") var learningRate: Float?
    @Option(help: "Maximum global gradient norm.") var clipNorm: Float?
    @Option(help: "Label smoothing ε in [0, 1).") var labelSmoothing: Float?
    @Option(help: "Maximum number of epochs.") var epochs: Int?
    @Option(help: "Validate every N steps (0: once per epoch).") var validateEvery: Int?
    @Option(help: "Stop after this many validations without a better BLEU.") var patience: Int?
    @Option(help: "Lower the learning rate after this many validations without a better BLEU.") var decayPatience: Int?
    @Option(help: "Leave out training sentences longer than this many tokens.") var maxLength: Int?
    @Option(help: "Keep words seen at least this often.") var minFrequency: Int?
    @Option(help: "Largest vocabulary, specials included.") var maxVocabulary: Int?
    @Flag(help: "Lowercase all text.") var lowercase = false
    @Option(help: "Random seed for weights, dropout and data order.") var seed: UInt64?
    @Option(help: "Threads for matrix products.") var threads: Int?

    func run() throws {
        try reportingErrors {
            let folder = out ?? "checkpoints/" + (attention == ModelConfig.Attention.none ? "tiny-none" : "tiny")
            let checkpoint = Checkpoint(folder: folder)
            let trainCorpus = try ParallelCorpus(prefix: train)
            let validCorpus = try ParallelCorpus(prefix: valid)
            let trainer: Trainer
            if resume {
                trainer = try Trainer(resuming: checkpoint, train: trainCorpus, valid: validCorpus)
                note("resuming \(folder) at step \(trainer.state.step), epoch \(trainer.state.epoch)")
            } else {
                trainer = try Trainer(config: try settings(), train: trainCorpus, valid: validCorpus, checkpoint: checkpoint)
            }
            describe(trainer)
            installStopHandlers()
            let progress = Progress()
            try trainer.run(shouldStop: { stopRequested.load(ordering: .relaxed) }) { event in
                progress.show(event)
            }
            if stopRequested.load(ordering: .relaxed) { return }
            try finish(trainer)
        }
    }

    /// Defaults, then the --config file, then options given on the command line.
    private func settings() throws -> Configuration {
        var c = Configuration()
        if let config {
            c = try Configuration.parse(try readLines(atPath: config).joined(separator: "\n"), path: config)
        }
        if let attention { c.model.attention = attention }
        if let embeddingSize { c.model.embeddingSize = embeddingSize }
        if let encoderHiddenSize { c.model.encoderHiddenSize = encoderHiddenSize }
        if let decoderHiddenSize { c.model.decoderHiddenSize = decoderHiddenSize }
        if let attentionSize { c.model.attentionSize = attentionSize }
        if let dropout { c.model.dropout = dropout }
        if let batchSize { c.training.batchSize = batchSize }
        if let learningRate { c.training.learningRate = learningRate }
        if let clipNorm { c.training.clipNorm = clipNorm }
        if let labelSmoothing { c.training.labelSmoothing = labelSmoothing }
        if let epochs { c.training.maxEpochs = epochs }
        if let validateEvery { c.training.validateEvery = validateEvery }
        if let patience { c.training.patience = patience }
        if let decayPatience { c.training.decayPatience = decayPatience }
        if let maxLength { c.training.maxLength = maxLength }
        if let seed { c.training.seed = seed }
        if let threads { c.training.threads = threads }
        if let minFrequency { c.vocabulary.minFrequency = minFrequency }
        if let maxVocabulary { c.vocabulary.maxSize = maxVocabulary }
        if lowercase { c.vocabulary.lowercase = true }
        if let problem = c.problems.first { throw ValidationError(problem) }
        return c
    }

    private func describe(_ trainer: Trainer) {
        let m = trainer.config.model
        note("""
            training on \(trainer.train.pairs.count) pairs (\(trainer.train.corpus.longLinesSkipped) longer than \
            \(trainer.config.training.maxLength) tokens left out), validating on \(trainer.valid.pairs.count)
            vocabularies: \(trainer.train.source.count) German, \(trainer.train.target.count) English
            model: \(m.attention == .none ? "no attention (RNNencdec baseline)" : "additive attention"), E \(m.embeddingSize), H \(m.encoderHiddenSize), \
            D \(m.decoderHiddenSize), A \(m.attentionSize), \(trainer.model.parameterCount) parameters
            checkpoints: \(trainer.checkpoint.folder)
            """)
    }

    /// Ctrl-C and SIGTERM finish the current step and save a resumable checkpoint.
    private func installStopHandlers() {
        for s in [SIGINT, SIGTERM] {
            signal(s) { _ in stopRequested.store(true, ordering: .relaxed) }
        }
    }

    /// The test-set BLEU of the best model, and a few of its translations.
    private func finish(_ trainer: Trainer) throws {
        let state = trainer.state
        note(String(format: "best validation BLEU %.2f at step %d, %.0f s of training", state.bestBLEU, state.bestStep, state.wallSeconds))
        guard !test.isEmpty else { return }
        let testCorpus = try ParallelCorpus(prefix: test)
        let translator = try Translator(checkpoint: trainer.checkpoint)
        let translations = translator.translate(testCorpus.sources)
        let bleu = BLEU(lowercase: trainer.config.vocabulary.lowercase)
            .corpusScore(hypotheses: translations.map(\.text), references: testCorpus.targets)
        print("test BLEU on \(test): \(bleu.line)")
        for i in stride(from: 0, to: min(testCorpus.count, 50), by: 10) {
            print("")
            print("  source:      \(testCorpus.sources[i])")
            print("  reference:   \(testCorpus.targets[i])")
            print("  translation: \(translations[i].text)")
        }
    }
}

extension ModelConfig.Attention: ExpressibleByArgument {}
