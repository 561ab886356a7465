/// The training loop: batches, updates, validation, checkpoints, and when to stop.
import Foundation

/// What the trainer reports while it runs; the command line decides how to show it.
public enum TrainingEvent {
    /// After every update.
    case step(step: Int, epoch: Int, loss: Double, tokensPerSecond: Double, secondsLeft: Double)
    /// After every validation; `improved` when this is the new best.
    case validated(LogEntry, improved: Bool)
    case note(String)
}

/// Trains a model and keeps its checkpoint folder up to date.
///
/// Each step: the loss of one batch with dropout, backward, gradient-norm clipping, an
/// Adam update. Every `validateEvery` steps (or each epoch): validation loss and greedy
/// BLEU on the validation set, a line in log.jsonl, `last` saved, `best` saved when BLEU
/// improved. The learning rate is multiplied by `decayFactor` after `decayPatience`
/// validations without improvement, and training stops after `patience` of them or after
/// `maxEpochs`.
public final class Trainer {
    public let config: Configuration
    public let checkpoint: Checkpoint
    public let model: Seq2Seq
    public let train: TrainingData
    public let valid: TrainingData
    public private(set) var state: TrainerState
    public private(set) var log: [LogEntry]
    private var optimizer: Adam
    private let batcher: Batcher

    /// A new training into `checkpoint`'s folder, which is created.
    public init(config: Configuration, train: ParallelCorpus, valid: ParallelCorpus, checkpoint: Checkpoint) throws {
        self.config = config
        self.checkpoint = checkpoint
        let tokenizer = WordTokenizer(lowercase: config.vocabulary.lowercase)
        self.train = TrainingData(corpus: train, tokenizer: tokenizer, maxLength: config.training.maxLength,
                                  config: config.vocabulary)
        self.valid = TrainingData(corpus: valid, tokenizer: tokenizer,
                                  vocabularies: (self.train.source, self.train.target))
        var generator = SeededGenerator(seed: config.training.seed)
        model = Seq2Seq(config: config.model, sourceVocabularySize: self.train.source.count,
                        targetVocabularySize: self.train.target.count, generator: &generator)
        optimizer = Adam(parameters: model.parameters, learningRate: config.training.learningRate)
        batcher = Batcher(pairs: self.train.pairs, batchSize: config.training.batchSize)
        state = TrainerState(epochGenerator: SeededGenerator(seed: config.training.seed &+ 1),
                             dropoutGenerator: SeededGenerator(seed: config.training.seed &+ 2),
                             learningRate: config.training.learningRate)
        log = []
        try checkpoint.writeDescription(config, source: self.train.source, target: self.train.target)
    }

    /// Continues the training saved in `checkpoint` (its configuration, vocabularies,
    /// last weights, optimiser moments and trainer state).
    public init(resuming checkpoint: Checkpoint, train: ParallelCorpus, valid: ParallelCorpus) throws {
        let loaded = try checkpoint.loadModel(weightsFile: "last.safetensors")
        config = loaded.config
        self.checkpoint = checkpoint
        model = loaded.model
        model.trackGradients(true)
        let tokenizer = WordTokenizer(lowercase: config.vocabulary.lowercase)
        self.train = TrainingData(corpus: train, tokenizer: tokenizer, maxLength: config.training.maxLength,
                                  vocabularies: (loaded.source, loaded.target))
        self.valid = TrainingData(corpus: valid, tokenizer: tokenizer, vocabularies: (loaded.source, loaded.target))
        batcher = Batcher(pairs: self.train.pairs, batchSize: config.training.batchSize)
        state = try Self.readState(checkpoint)
        log = try LogEntry.readLog(checkpoint.logPath)
        optimizer = Adam(parameters: model.parameters, learningRate: state.learningRate)
        try restoreOptimizer()
    }

    private static func readState(_ checkpoint: Checkpoint) throws -> TrainerState {
        let path = checkpoint.trainerStatePath
        let text = try readLines(atPath: path).joined(separator: "\n")
        do {
            return try JSONDecoder().decode(TrainerState.self, from: Data(text.utf8))
        } catch {
            throw InputError(path: path, "not a trainer state: \(error)")
        }
    }

    private func restoreOptimizer() throws {
        let path = checkpoint.optimizerPath
        let (arrays, metadata) = try SafeTensors.read(path)
        guard metadata["step"] == String(state.step) else {
            throw InputError(path: path, "holds step \(metadata["step"] ?? "?"), trainer.json is at step \(state.step)")
        }
        let byName = Dictionary(arrays.map { ($0.name, $0.values) }, uniquingKeysWith: { a, _ in a })
        var first: [[Float]] = [], second: [[Float]] = []
        for (name, tensor) in model.namedParameters {
            guard let m = byName[name + ".exp_avg"], let v = byName[name + ".exp_avg_sq"],
                  m.count == tensor.count, v.count == tensor.count else {
                throw InputError(path: path, "moments of \(name) missing or of the wrong size")
            }
            first.append(m)
            second.append(v)
        }
        optimizer.restore(step: state.step, firstMoments: first, secondMoments: second)
    }

    // MARK: Running

    /// Trains until the stopping rule or `shouldStop` (checked after every step, e.g. set
    /// by Ctrl-C) says so. Always leaves a checkpoint from which `--resume` continues.
    public func run(shouldStop: () -> Bool = { false }, report: (TrainingEvent) -> Void) throws {
        setBLASThreads(config.training.threads)
        let settings = config.training
        var probe = state.epochGenerator
        let stepsPerEpoch = batcher.epoch(using: &probe).count
        var lossSum = 0.0, tokenCount = 0
        var secondsThisRun = 0.0, tokensThisRun = 0, stepsThisRun = 0
        while state.stopReason == nil {
            var generator = state.epochGenerator
            let batches = batcher.epoch(using: &generator)
            for batch in batches.dropFirst(state.batchesDoneInEpoch) {
                let start = monotonicSeconds()
                let loss = try update(batch)
                let seconds = monotonicSeconds() - start
                state.wallSeconds += seconds
                secondsThisRun += seconds
                tokensThisRun += batch.targetTokens
                stepsThisRun += 1
                lossSum += loss * Double(batch.targetTokens)
                tokenCount += batch.targetTokens
                state.batchesDoneInEpoch += 1
                let stepsLeft = (settings.maxEpochs - state.epoch) * stepsPerEpoch
                    + (batches.count - state.batchesDoneInEpoch)
                report(.step(step: state.step, epoch: state.epoch, loss: loss,
                             tokensPerSecond: Double(tokensThisRun) / secondsThisRun,
                             secondsLeft: secondsThisRun / Double(stepsThisRun) * Double(stepsLeft)))
                let endOfEpoch = state.batchesDoneInEpoch == batches.count
                if endOfEpoch {
                    state.epoch += 1
                    state.batchesDoneInEpoch = 0
                    state.epochGenerator = generator
                }
                let due = settings.validateEvery > 0 ? state.step % settings.validateEvery == 0 : endOfEpoch
                if due {
                    try validate(trainLoss: lossSum / Double(max(tokenCount, 1)),
                                 tokensPerSecond: Double(tokensThisRun) / max(secondsThisRun, 1e-9), report: report)
                    lossSum = 0
                    tokenCount = 0
                }
                if state.epoch > settings.maxEpochs && state.stopReason == nil {
                    state.stopReason = "reached \(settings.maxEpochs) epochs"
                }
                if state.stopReason != nil { break }
                if shouldStop() {
                    try saveLast()
                    report(.note("stopped at step \(state.step); continue with --resume"))
                    return
                }
            }
        }
        try saveLast()
        report(.note("training ended: \(state.stopReason!)"))
    }

    /// One Adam update on one batch; returns the batch's mean loss per token.
    private func update(_ batch: Batch) throws -> Double {
        var dropout: SeededGenerator? = state.dropoutGenerator
        let loss = model.loss(batch, dropout: &dropout, smoothing: config.training.labelSmoothing)
        state.dropoutGenerator = dropout!
        guard loss.scalar.isFinite else {
            throw TrainingError("the loss became \(loss.scalar) at step \(state.step + 1); the last checkpoint is kept")
        }
        loss.backward()
        let norm = clipGradientNorm(model.parameters, maxNorm: config.training.clipNorm)
        guard norm.isFinite else {
            throw TrainingError("the gradient norm became \(norm) at step \(state.step + 1); the last checkpoint is kept")
        }
        optimizer.learningRate = state.learningRate
        optimizer.update()
        state.step += 1
        return Double(loss.scalar)
    }

    /// Validation loss and BLEU, the log line, the checkpoints, and the schedule.
    private func validate(trainLoss: Double, tokensPerSecond: Double, report: (TrainingEvent) -> Void) throws {
        let (validLoss, bleu) = evaluate()
        let entry = LogEntry(step: state.step, epoch: state.epoch - (state.batchesDoneInEpoch == 0 ? 1 : 0),
                             trainLoss: trainLoss, validLoss: validLoss, validBLEU: bleu.score,
                             tokensPerSecond: tokensPerSecond, wallSeconds: state.wallSeconds,
                             learningRate: Double(state.learningRate))
        log.append(entry)
        let improved = bleu.score > state.bestBLEU
        if improved {
            state.bestBLEU = bleu.score
            state.bestStep = state.step
            state.validationsWithoutImprovement = 0
            state.validationsSinceDecay = 0
            try checkpoint.writeWeights(model, to: checkpoint.bestWeightsPath)
        } else {
            state.validationsWithoutImprovement += 1
            state.validationsSinceDecay += 1
            if state.validationsWithoutImprovement >= config.training.patience {
                state.stopReason = "no better validation BLEU for \(config.training.patience) validations"
            } else if state.validationsSinceDecay >= config.training.decayPatience {
                state.learningRate *= config.training.decayFactor
                state.validationsSinceDecay = 0
                report(.note("learning rate lowered to \(state.learningRate)"))
            }
        }
        try saveLast()
        report(.validated(entry, improved: improved))
    }

    /// Mean validation loss per token and greedy BLEU, with gradients off.
    public func evaluate() -> (loss: Double, bleu: BLEUScore) {
        model.trackGradients(false)
        defer { model.trackGradients(true) }
        var lossSum = 0.0, tokens = 0
        for batch in Batcher(pairs: valid.pairs, batchSize: 64).batchesInOrder() {
            lossSum += Double(model.sentenceLosses(batch).reduce(0, +))
            tokens += batch.targetTokens
        }
        let translator = Translator(model: model, source: train.source, target: train.target,
                                    lowercase: config.vocabulary.lowercase)
        let hypotheses = translator.translate(valid.corpus.sources).map(\.text)
        let bleu = BLEU(lowercase: config.vocabulary.lowercase).corpusScore(hypotheses: hypotheses,
                                                                          references: valid.corpus.targets)
        return (lossSum / Double(max(tokens, 1)), bleu)
    }

    /// Writes last.safetensors, the optimiser moments, log.jsonl and trainer.json, each
    /// whole; trainer.json last, so a run killed in between resumes from the previous
    /// consistent state (the moments file names its step and is checked against it).
    private func saveLast() throws {
        try checkpoint.writeWeights(model, to: checkpoint.lastWeightsPath)
        var moments: [NamedArray] = []
        for ((name, tensor), (m, v)) in zip(model.namedParameters, zip(optimizer.firstMoments, optimizer.secondMoments)) {
            moments.append(NamedArray(name: name + ".exp_avg", shape: tensor.shape, values: m))
            moments.append(NamedArray(name: name + ".exp_avg_sq", shape: tensor.shape, values: v))
        }
        try SafeTensors.write(moments, metadata: ["step": String(state.step)], to: checkpoint.optimizerPath)
        try LogEntry.writeLog(log, to: checkpoint.logPath)
        try AtomicFile.write(try Checkpoint.json(state) + "\n", to: checkpoint.trainerStatePath)
    }
}

/// Training cannot go on (a non-finite loss, say); the message says why.
public struct TrainingError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
