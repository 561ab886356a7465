/// `nmt train`: train a model and keep its checkpoint folder.
import ArgumentParser
import Foundation
import Synchronization
import Autodiff
import Reports
import Translation
import Files
import Scoring
import Text
import Distributed

/// Set by Ctrl-C, SIGTERM or SIGUSR1; the trainer checks it after every step.
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
    @Option(help: "Checkpoint folder (default: checkpoints/tiny, checkpoints/tiny-none without attention, checkpoints/tiny-transformer).")
    var out: String?
    @Option(help: "A JSON file of settings, with the keys of a checkpoint's config.json.")
    var config: String?
    @Flag(help: "Continue the training saved in --out.")
    var resume = false
    @Flag(help: "Start over in an --out that already holds a training, replacing its files.")
    var overwrite = false

    // The numeric options parse `.unconditional`ly: the argument after them is their value
    // even if it starts with '-', so that `--batch-size -3` says that -3 is out of range
    // instead of that the value is missing.
    @Option(help: "The decoder's alignment model (none: the RNNencdec baseline).")
    var attention: ModelConfig.Attention?
    @Option(parsing: .unconditional, help: "Word embedding size E.") var embeddingSize: Int?
    @Option(parsing: .unconditional, help: "Encoder LSTM size H per direction.") var encoderHiddenSize: Int?
    @Option(parsing: .unconditional, help: "Decoder LSTM size D.") var decoderHiddenSize: Int?
    @Option(parsing: .unconditional, help: "Attention size A (the alignment MLP's, or the projections').") var attentionSize: Int?
    @Option(parsing: .unconditional, help: "Heads k of multi-head attention, dividing A.") var attentionHeads: Int?
    @Option(parsing: .unconditional, help: "Half-width W of local attention's window.") var attentionWindow: Int?
    @Option(parsing: .unconditional, help: "Filters K of location-aware attention.") var locationFilters: Int?
    @Option(parsing: .unconditional, help: "Odd width w of location-aware attention's filters.") var locationWidth: Int?
    @Option(parsing: .unconditional, help: "Dropout rate in [0, 1).") var dropout: Float?

    @Option(parsing: .unconditional, help: "Sentences per batch.") var batchSize: Int?
    @Option(parsing: .unconditional, help: "Adam's learning rate.") var learningRate: Float?
    @Option(parsing: .unconditional, help: "Maximum global gradient norm.") var clipNorm: Float?
    @Option(parsing: .unconditional, help: "Label smoothing ε in [0, 1).") var labelSmoothing: Float?
    @Option(parsing: .unconditional, help: "Maximum number of epochs.") var epochs: Int?
    @Option(parsing: .unconditional, help: "Validate every N steps (0: once per epoch).") var validateEvery: Int?
    @Option(parsing: .unconditional, help: "Stop after this many validations without a better BLEU.") var patience: Int?
    @Option(parsing: .unconditional, help: "Lower the learning rate after this many validations without a better BLEU.") var decayPatience: Int?
    @Option(parsing: .unconditional, help: "Average the weights of the last N validations (below 2: no averaging).") var averageLast: Int?
    @Option(parsing: .unconditional, help: "Leave out training sentences longer than this many tokens.") var maxLength: Int?
    @Option(parsing: .unconditional, help: "Keep words seen at least this often.") var minFrequency: Int?
    @Option(parsing: .unconditional, help: "Largest vocabulary, specials included.") var maxVocabulary: Int?
    @Option(parsing: .unconditional, help: "Byte-pair merges to learn, splitting words into subwords (0: whole words).") var merges: Int?
    @Flag(help: "Lowercase all text.") var lowercase = false
    @Option(parsing: .unconditional, help: "Random seed for weights, dropout and data order.") var seed: UInt64?
    @Option(parsing: .unconditional, help: "Threads, each training a replica of the model on its share of every batch.") var threads: Int?

    // The Transformer's options.
    @Option(help: "Architecture: rnn (BiLSTM encoder, LSTM decoder) or transformer.")
    var architecture: ModelConfig.Architecture?
    @Option(parsing: .unconditional, help: "Transformer model size d.") var modelSize: Int?
    @Option(parsing: .unconditional, help: "Transformer attention heads (dividing d).") var heads: Int?
    @Option(parsing: .unconditional, help: "Transformer encoder layers.") var encoderLayers: Int?
    @Option(parsing: .unconditional, help: "Transformer decoder layers.") var decoderLayers: Int?
    @Option(parsing: .unconditional, help: "Transformer feed-forward size F.") var feedForwardSize: Int?
    @Flag(help: "Share the output layer's weights with the target embedding.") var tieOutput = false
    @Option(help: "Learning-rate schedule: plateau (halve when validation stalls) or inverse-sqrt (warm-up, then 1/√step; --learning-rate is the peak).")
    var schedule: TrainingConfig.Schedule?
    @Option(parsing: .unconditional, help: "Warm-up steps of the inverse-sqrt schedule.") var warmupSteps: Int?
    @Option(parsing: .unconditional, help: "Fill batches to this many padded target tokens (0: --batch-size sentences).")
    var batchTokens: Int?

    /// Under mpirun (docs/distributed.md), every process runs this; an error on any of them
    /// is printed with its rank and ends them all (`Communicator.abort`), never a hang.
    func run() throws {
        try reportingErrors {
            let communicator = try Launch.communicator()
            do {
                try training(on: communicator)
            } catch where communicator.size > 1 {
                communicator.abort(message: "\(error)")
            }
            communicator.finish()
        }
    }

    /// The training, on one process of `communicator`: rank 0 alone makes, holds and
    /// writes the folder and shows progress.
    private func training(on communicator: any Communicator) throws {
        let writes = communicator.writes
        installStopHandlers()
        let folder = out ?? defaultFolder
        let checkpoint = Checkpoint(folder: folder)
        // Settings first: a bad value is reported before any corpus is read.
        if resume {
            if let given = settingsGiven.first {
                throw ValidationError("\(given) cannot be used with --resume: the settings are those in "
                                      + "\(checkpoint.configPath) (only --threads may change)")
            }
            if let threads, threads < 1 { throw ValidationError("--threads must be at least 1, got \(threads)") }
        }
        if resume && overwrite { throw ValidationError("--resume and --overwrite cannot be used together") }
        let settings = resume ? nil : try settings()
        let trainCorpus = try ParallelCorpus(prefix: train)
        let validCorpus = try ParallelCorpus(prefix: valid)
        // Read now, so that a mistyped --test fails before training rather than after.
        let testCorpus = test.isEmpty ? nil : try ParallelCorpus(prefix: test)
        try Trainer.checkSameCorpora([trainCorpus, validCorpus], on: communicator)
        let createsFolder = writes && !resume && !FileManager.default.fileExists(atPath: folder)
        if !resume && writes { try createFolder(atPath: folder, purpose: "the checkpoint folder") }
        // The training owns its folder from before it reads or removes anything there
        // until it ends: a second one would remove or overwrite the files under it.
        try holding(folder, if: writes) {
            // A folder made for a training that failed before writing anything goes again,
            // removed while it is still held.
            do { try train(in: checkpoint, settings: settings, trainCorpus, validCorpus, testCorpus, communicator) }
            catch {
                if createsFolder { removeFolderIfEmpty(atPath: folder, except: [FolderLock.fileName]) }
                throw error
            }
        }
    }

    /// The training in the folder held: made or resumed, run, and reported on.
    private func train(in checkpoint: Checkpoint, settings: Configuration?, _ trainCorpus: ParallelCorpus,
                       _ validCorpus: ParallelCorpus, _ testCorpus: ParallelCorpus?,
                       _ communicator: any Communicator) throws {
        let writes = communicator.writes, folder = checkpoint.folder
        if writes && !resume && !overwrite && checkpoint.holdsTraining {
            throw ValidationError("\(folder) already holds a training: --resume continues it, "
                                  + "--overwrite replaces it, or choose another --out")
        }
        let trainer: Trainer
        if let settings {
            trainer = try Trainer(config: settings, train: trainCorpus, valid: validCorpus, checkpoint: checkpoint,
                                  alsoRemoving: EvaluationReport.fileNames, communicator: communicator)
        } else {
            trainer = try Trainer(resuming: checkpoint, train: trainCorpus, valid: validCorpus, threads: threads,
                                  communicator: communicator)
            if writes { note("resuming \(folder) at step \(trainer.state.step), epoch \(trainer.state.epoch)") }
        }
        if writes { describe(trainer) }
        setBLASThreads(trainer.config.training.threads)
        let progress = Progress()
        try trainer.run(shouldStop: { stopRequested.load(ordering: .relaxed) }) { event in
            if writes { progress.show(event) }
        }
        // Under mpirun a process may stop because another one was asked to.
        if stopRequested.load(ordering: .relaxed) || trainer.state.stopReason == nil || !writes { return }
        try finish(trainer, testCorpus: testCorpus)
    }

    /// Runs `body` holding `folder` (``FolderLock``) when this process writes there (rank 0);
    /// the others write nothing in it.
    private func holding(_ folder: String, if writes: Bool, _ body: () throws -> Void) throws {
        if writes { try FolderLock.holding(folder, for: "nmt train", body) } else { try body() }
    }

    /// checkpoints/tiny, or tiny-none without attention, or tiny-transformer for a
    /// Transformer (by --architecture or the --config file; a bad file is reported later).
    private var defaultFolder: String {
        let configured = config.flatMap { try? Configuration(contentsOf: $0, as: .overrides) }?.model.architecture
        if (architecture ?? configured) == .transformer { return "checkpoints/tiny-transformer" }
        return "checkpoints/" + (attention == ModelConfig.Attention.none ? "tiny-none" : "tiny")
    }

    /// Each setting option that was given, with where its value goes in the configuration:
    /// the one list that ties an option to its setting. `--threads` is not among them,
    /// since it may change on `--resume`.
    private var givenSettings: [(option: String, apply: (inout Configuration) -> Void)] {
        var given: [(option: String, apply: (inout Configuration) -> Void)] = []
        func setting<Value>(_ option: String, _ value: Value?, _ key: WritableKeyPath<Configuration, Value>) {
            if let value { given.append((option, { $0[keyPath: key] = value })) }
        }
        setting("--attention", attention, \.model.attention)
        setting("--embedding-size", embeddingSize, \.model.embeddingSize)
        setting("--encoder-hidden-size", encoderHiddenSize, \.model.encoderHiddenSize)
        setting("--decoder-hidden-size", decoderHiddenSize, \.model.decoderHiddenSize)
        setting("--attention-size", attentionSize, \.model.attentionSize)
        setting("--attention-heads", attentionHeads, \.model.attentionHeads)
        setting("--attention-window", attentionWindow, \.model.attentionWindow)
        setting("--location-filters", locationFilters, \.model.locationFilters)
        setting("--location-width", locationWidth, \.model.locationWidth)
        setting("--dropout", dropout, \.model.dropout)
        setting("--batch-size", batchSize, \.training.batchSize)
        setting("--learning-rate", learningRate, \.training.learningRate)
        setting("--clip-norm", clipNorm, \.training.clipNorm)
        setting("--label-smoothing", labelSmoothing, \.training.labelSmoothing)
        setting("--epochs", epochs, \.training.maxEpochs)
        setting("--validate-every", validateEvery, \.training.validateEvery)
        setting("--patience", patience, \.training.patience)
        setting("--decay-patience", decayPatience, \.training.decayPatience)
        setting("--average-last", averageLast, \.training.averageLast)
        setting("--max-length", maxLength, \.training.maxLength)
        setting("--min-frequency", minFrequency, \.vocabulary.minFrequency)
        setting("--max-vocabulary", maxVocabulary, \.vocabulary.maxSize)
        setting("--merges", merges, \.vocabulary.merges)
        setting("--lowercase", lowercase ? true : nil, \.vocabulary.lowercase)
        setting("--seed", seed, \.training.seed)
        // The Transformer's options.
        setting("--architecture", architecture, \.model.architecture)
        setting("--model-size", modelSize, \.model.modelSize)
        setting("--heads", heads, \.model.heads)
        setting("--encoder-layers", encoderLayers, \.model.encoderLayers)
        setting("--decoder-layers", decoderLayers, \.model.decoderLayers)
        setting("--feed-forward-size", feedForwardSize, \.model.feedForwardSize)
        setting("--tie-output", tieOutput ? true : nil, \.model.tieOutput)
        setting("--schedule", schedule, \.training.schedule)
        setting("--warmup-steps", warmupSteps, \.training.warmupSteps)
        setting("--batch-tokens", batchTokens, \.training.batchTokens)
        return given
    }

    /// The settings given as options (or in --config), which --resume does not take: the
    /// checkpoint's own settings continue the training exactly.
    private var settingsGiven: [String] {
        (config == nil ? [] : ["--config"]) + givenSettings.map(\.option)
    }

    /// Defaults, then the --config file, then options given on the command line.
    private func settings() throws -> Configuration {
        var c = try config.map { try Configuration(contentsOf: $0, as: .overrides) } ?? Configuration()
        for setting in givenSettings { setting.apply(&c) }
        if let threads { c.training.threads = threads }
        if let problem = c.problems.first { throw ValidationError(problem) }
        return c
    }

    private func describe(_ trainer: Trainer) {
        let m = trainer.config.model
        let subwords = trainer.train.subwords.map { " subwords, from \($0.merges.count) byte-pair merges" } ?? ""
        note("""
            training on \(trainer.train.pairs.count) pairs (\(trainer.train.corpus.longLinesSkipped) longer than \
            \(trainer.config.training.maxLength) tokens left out), validating on \(trainer.valid.pairs.count)
            vocabularies: \(trainer.train.source.count) German, \(trainer.train.target.count) English\(subwords)
            model: \(Self.sizes(of: m)), \(trainer.model.parameterCount) parameters
            checkpoints: \(trainer.checkpoint.folder) (Ctrl-C saves and stops after this step; twice, at once)
            """)
        let processes = trainer.communicator.size
        if processes > 1 {
            note("processes: \(processes) (mpirun), each taking \(trainer.config.training.batchSize) sentences of every "
                 + "batch of \(processes * trainer.config.training.batchSize)")
        }
    }

    /// The architecture and its sizes, as the start of training says them.
    private static func sizes(of m: ModelConfig) -> String {
        switch m.architecture {
        case .rnn:
            "\(m.attention == .none ? "no attention (RNNencdec baseline)" : "\(m.attention.rawValue) attention"), E \(m.embeddingSize), "
                + "H \(m.encoderHiddenSize), D \(m.decoderHiddenSize), A \(m.attentionSize)"
        case .transformer:
            "Transformer, d \(m.modelSize), \(m.heads) heads, \(m.encoderLayers)+\(m.decoderLayers) layers, "
                + "FF \(m.feedForwardSize)\(m.tieOutput ? ", output tied to the target embedding" : "")"
        }
    }

    /// Ctrl-C, SIGTERM and SIGUSR1 finish the current step and save a resumable checkpoint
    /// (when they come while the corpora load, after the first step). The handler then
    /// steps aside, so that a second Ctrl-C stops at once: the previous save stays whole,
    /// since every file is replaced whole or not at all. Whoever started us may have
    /// blocked the signals (a test runner's threads do), which would keep them waiting
    /// forever, so they are unblocked too.
    ///
    /// SIGUSR1 is for mpirun: it forwards SIGUSR1 to every process and leaves them be,
    /// whereas after SIGTERM it kills them one second later (its
    /// `odls_base_sigkill_timeout`), which at the Multi30k size is before a step ends.
    private func installStopHandlers() {
        let stopSignals = [SIGINT, SIGTERM, SIGUSR1]
        var signals = sigset_t()
        sigemptyset(&signals)
        for s in stopSignals { sigaddset(&signals, s) }
        pthread_sigmask(SIG_UNBLOCK, &signals, nil)
        for s in stopSignals {
            signal(s) { number in
                stopRequested.store(true, ordering: .relaxed)
                signal(number, SIG_DFL)
            }
        }
    }

    /// The test-set BLEU of the best model, scored as `nmt evaluate` scores it, and a few
    /// of its translations.
    private func finish(_ trainer: Trainer, testCorpus: ParallelCorpus?) throws {
        let state = trainer.state
        note(String(format: "best validation BLEU %.2f at step %d, %.0f s of training", state.bestBLEU, state.bestStep, state.wallSeconds))
        guard let testCorpus else { return }
        let evaluation = try Evaluation(checkpoint: trainer.checkpoint, corpus: testCorpus)
        print("test BLEU on \(test): \(evaluation.bleu.line)")
        for i in stride(from: 0, to: min(testCorpus.count, 50), by: 10) {
            print("")
            print("  source:      \(testCorpus.sources[i])")
            print("  reference:   \(testCorpus.targets[i])")
            print("  translation: \(evaluation.translations[i].text)")
        }
    }
}

extension ModelConfig.Attention: ExpressibleByArgument {}
extension ModelConfig.Architecture: ExpressibleByArgument {}
extension TrainingConfig.Schedule: ExpressibleByArgument {}
