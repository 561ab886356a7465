/// The training loop: batches, updates, validation, checkpoints, and when to stop.
import Foundation
import Autodiff
import NeuralNet
import Files
import Scoring
import Text
import Distributed

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
/// improved. Under the `plateau` schedule the learning rate is multiplied by
/// `decayFactor` after `decayPatience` validations without improvement; under
/// `inverse-sqrt` it follows the step count alone. Training stops after `patience`
/// validations without improvement or after `maxEpochs`.
///
/// A trainer writes and removes files in its folder as it goes, so whoever runs one must
/// hold the folder (see `FolderLock`, as `nmt train` does) from before it is made until
/// it is done with.
///
/// Data-parallel (docs/distributed.md): with a `communicator` of N processes, every
/// process runs a trainer; their epochs are of batches of N × `batchSize` sentences, and
/// each takes its share of every batch (`distributedTrainingStep`). Rank 0 alone
/// validates and writes files, and broadcasts what the validation decided.
public final class Trainer {
    public let config: Configuration
    public let checkpoint: Checkpoint
    public let model: any TranslationModel
    public let train: TrainingData
    public let valid: TrainingData
    public private(set) var state: TrainerState
    public private(set) var log: [LogEntry]
    private var optimizer: Adam
    private let batcher: Batcher
    /// The model and its replicas, one per thread, that share each batch.
    private let replicas: ModelReplicas
    /// The processes of a data-parallel training, or ``SingleProcess``.
    public let communicator: any Communicator
    /// Seconds spent in all-reduces since they were last reported.
    private var allReduceSeconds = 0.0, allReduceSteps = 0

    /// A new training into `checkpoint`'s folder, which is created, or cleared of an
    /// earlier training's files and of `derivedFiles`, those written from it (see
    /// `Checkpoint.removeTraining`). Nothing is written or removed if the length limit
    /// leaves no pair to train on.
    public init(config: Configuration, train: ParallelCorpus, valid: ParallelCorpus, checkpoint: Checkpoint,
                alsoRemoving derivedFiles: [String] = [], communicator: any Communicator = SingleProcess()) throws {
        self.config = config
        self.communicator = communicator
        self.checkpoint = checkpoint
        let tokenizer = WordTokenizer(lowercase: config.vocabulary.lowercase)
        self.train = try TrainingData(corpus: train, tokenizer: tokenizer, maxLength: config.training.maxLength,
                                      config: config.vocabulary)
        self.valid = try TrainingData(corpus: valid, tokenizer: tokenizer,
                                      vocabularies: (self.train.source, self.train.target), subwords: self.train.subwords)
        var generator = SeededGenerator(seed: config.training.seed)
        model = config.model.makeModel(sourceVocabularySize: self.train.source.count,
                        targetVocabularySize: self.train.target.count, generator: &generator)
        optimizer = config.training.optimizer(over: model.parameters)
        batcher = config.training.batcher(pairs: self.train.pairs, processes: communicator.size)
        replicas = Self.replicas(of: model, config: config, communicator: communicator,
                                 vocabularies: (self.train.source.count, self.train.target.count))
        state = TrainerState(epochGenerator: SeededGenerator(seed: config.training.seed &+ 1),
                             dropoutGenerator: SeededGenerator(seed: config.training.seed &+ 2),
                             learningRate: config.training.learningRate, trainingPairs: self.train.pairs.count)
        state.processes = communicator.size > 1 ? communicator.size : nil
        log = []
        guard communicator.writes else { return }
        try checkpoint.removeTraining(alsoRemoving: derivedFiles)
        try checkpoint.writeDescription(config, source: self.train.source, target: self.train.target,
                                        subwords: self.train.subwords)
    }

    /// Continues the training saved in `checkpoint`: its configuration and vocabularies,
    /// and the weights, optimiser moments and trainer state of its last save (see
    /// ``TrainingSnapshot``). The corpus must be the one it was trained on. `threads`
    /// replaces the saved thread count, for another machine; each thread trains a replica
    /// on its share of every batch (`ModelReplicas`), so the losses then differ from those
    /// of an uninterrupted run: the shares draw other dropout masks.
    public init(resuming checkpoint: Checkpoint, train: ParallelCorpus, valid: ParallelCorpus,
                threads: Int? = nil, communicator: any Communicator = SingleProcess()) throws {
        self.communicator = communicator
        let description = try checkpoint.readDescription()
        (model, optimizer, state) = try TrainingSnapshot.read(checkpoint.optimizerPath, checkpoint: checkpoint,
                                                              description: description)
        var config = description.config
        if let threads { config.training.threads = threads }
        self.config = config
        self.checkpoint = checkpoint
        model.trackGradients(true)
        let tokenizer = WordTokenizer(lowercase: config.vocabulary.lowercase)
        let vocabularies = (description.source, description.target)
        let subwords = try checkpoint.readSubwords(for: config)
        self.train = try TrainingData(corpus: train, tokenizer: tokenizer, maxLength: config.training.maxLength,
                                      vocabularies: vocabularies, subwords: subwords)
        self.valid = try TrainingData(corpus: valid, tokenizer: tokenizer, vocabularies: vocabularies, subwords: subwords)
        guard self.train.pairs.count == state.trainingPairs else {
            throw InputError(path: train.sourcePath, "\(self.train.pairs.count) training pairs, but the checkpoint was "
                             + "trained on \(state.trainingPairs); resuming needs the same corpus and --max-length")
        }
        let processes = state.processes ?? 1
        guard processes == communicator.size else {
            throw InputError(path: checkpoint.optimizerPath, "trained on \(processes) process(es), resumed on "
                             + "\(communicator.size): resume with the same mpirun -np, or the batches would differ")
        }
        batcher = config.training.batcher(pairs: self.train.pairs, processes: communicator.size)
        replicas = Self.replicas(of: model, config: config, communicator: communicator,
                                 vocabularies: (description.source.count, description.target.count))
        log = []
        guard communicator.writes else { return }
        // log.jsonl is written before the snapshot, so it may hold lines of a save that
        // never took effect; their validations will be run again.
        let savedStep = state.step
        log = try LogEntry.readLog(checkpoint.logPath).filter { $0.step <= savedStep }
        // A run killed while saving leaves temporary files as large as the ones it wrote.
        for path in [checkpoint.logPath, checkpoint.optimizerPath, checkpoint.lastWeightsPath,
                     checkpoint.bestWeightsPath, checkpoint.trainerStatePath] {
            AtomicFile.removeLeftovers(of: path)
        }
    }

    // MARK: Running

    /// Trains until the stopping rule or `shouldStop` (checked after every step, e.g. set
    /// by Ctrl-C) says so. Always leaves a checkpoint from which `--resume` continues:
    /// when an error stops training, the last save. `training.threads` sets how many
    /// replicas share a batch; the process's thread counts (OpenBLAS's, and the engine's
    /// for the optimiser's loops) are the caller's to set, `setBLASThreads`, as `nmt train`
    /// does, so that a training leaves the rest of a program as it found it.
    public func run(shouldStop: () -> Bool = { false }, report: (TrainingEvent) -> Void) throws {
        let settings = config.training
        var probe = state.epochGenerator
        let stepsPerEpoch = batcher.epoch(using: &probe).count
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
                state.lossSinceValidation += loss * Double(batch.targetTokens)
                state.tokensSinceValidation += batch.targetTokens
                state.batchesDoneInEpoch += 1
                // In floating point: a huge --epochs must not overflow an Int.
                let stepsLeft = Double(settings.maxEpochs - state.epoch) * Double(stepsPerEpoch)
                    + Double(batches.count - state.batchesDoneInEpoch)
                report(.step(step: state.step, epoch: state.epoch, loss: loss,
                             tokensPerSecond: Double(tokensThisRun) / secondsThisRun,
                             secondsLeft: secondsThisRun / Double(stepsThisRun) * stepsLeft))
                let endOfEpoch = state.batchesDoneInEpoch == batches.count
                if endOfEpoch {
                    state.epoch += 1
                    state.batchesDoneInEpoch = 0
                    state.epochGenerator = generator
                }
                let due = settings.validateEvery > 0 ? state.step % settings.validateEvery == 0 : endOfEpoch
                if due {
                    if communicator.writes {
                        try validate(tokensPerSecond: Double(tokensThisRun) / max(secondsThisRun, 1e-9), report: report)
                    }
                    followRankZero()
                    reportAllReduces(report)
                }
                if state.epoch > settings.maxEpochs && state.stopReason == nil {
                    state.stopReason = "reached \(settings.maxEpochs) epochs"
                }
                if state.stopReason != nil { break }
                if stopAgreed(shouldStop()) {
                    reportAllReduces(report)
                    try saveLast()
                    report(.note("stopped at step \(state.step); continue with --resume"))
                    return
                }
            }
        }
        try saveLast()
        report(.note("training ended: \(state.stopReason!)"))
    }

    /// One update (see `trainingStep`); returns the batch's mean loss per token. A loss or
    /// gradient that is not finite stops training with nothing changed, neither the
    /// weights nor the state: the last save stays the one to resume from.
    private func update(_ batch: Batch) throws -> Double {
        if communicator.size > 1 { return try distributedUpdate(batch) }
        var dropout: SeededGenerator? = state.dropoutGenerator
        let rate = config.training.learningRate(step: state.step + 1, current: state.learningRate)
        let loss = try replicas.trainingStep(batch, batcher: batcher, optimizer: &optimizer, learningRate: rate,
                                             dropout: &dropout, settings: config.training, step: state.step + 1)
        state.dropoutGenerator = dropout!
        state.learningRate = rate
        state.step += 1
        return loss
    }

    /// One replica per thread in one process (`ModelReplicas`); a process of a
    /// data-parallel training trains alone on its share, its threads splitting products.
    private static func replicas(of model: any TranslationModel, config: Configuration, communicator: any Communicator,
                                 vocabularies: (source: Int, target: Int)) -> ModelReplicas {
        ModelReplicas(model, count: communicator.size > 1 ? 1 : config.training.threads, config: config.model,
                      sourceVocabularySize: vocabularies.source, targetVocabularySize: vocabularies.target)
    }

    /// One update from this process's share of `batch`. Its dropout generator is derived
    /// from the seed, the step and the rank, not saved: only rank 0 writes the snapshot,
    /// and a resumed run must draw every process's masks as the uninterrupted one did.
    private func distributedUpdate(_ batch: Batch) throws -> Double {
        let (rank, size) = (communicator.rank, communicator.size)
        let stream = UInt64(state.step + 1) << 20 | UInt64(rank)  // distinct for fewer than 2²⁰ ranks
        var dropout: SeededGenerator? = SeededGenerator(seed: (config.training.seed &+ 2) ^ (stream &* 0x9E37_79B9_7F4A_7C15))
        let rate = config.training.learningRate(step: state.step + 1, current: state.learningRate)
        let (loss, seconds) = try model.distributedTrainingStep(
            batcher.share(of: batch, rank: rank, processes: size, work: model.workPerPosition), batchTokens: batch.targetTokens,
            optimizer: &optimizer, learningRate: rate, dropout: &dropout, settings: config.training,
            step: state.step + 1, communicator: communicator)
        allReduceSeconds += seconds
        allReduceSteps += 1
        state.learningRate = rate
        state.step += 1
        return loss
    }

    /// Whether any process was asked to stop (Ctrl-C, SIGTERM): an all-reduce, so that
    /// every process stops after the same step.
    private func stopAgreed(_ asked: Bool) -> Bool {
        guard communicator.size > 1 else { return asked }
        return communicator.allReduceSum(asked ? 1 : 0) > 0
    }

    /// After rank 0 validated: every process takes the learning rate and whether to stop,
    /// which rank 0 decided from the validation BLEU.
    private func followRankZero() {
        guard communicator.size > 1 else { return }
        var decision = [Double(state.learningRate), state.stopReason == nil ? 0 : 1]
        communicator.broadcast(&decision, from: 0)
        state.learningRate = Float(decision[0])
        if decision[1] != 0 && state.stopReason == nil { state.stopReason = "rank 0 stopped the training" }
    }

    /// The mean time of the all-reduces since the last report, as a note.
    private func reportAllReduces(_ report: (TrainingEvent) -> Void) {
        guard communicator.size > 1, allReduceSteps > 0 else { return }
        report(.note(String(format: "all-reduce of the gradients: %.1f ms per step over %d processes",
                            1000 * allReduceSeconds / Double(max(allReduceSteps, 1)), communicator.size)))
        (allReduceSeconds, allReduceSteps) = (0, 0)
    }

    /// Validation loss and BLEU, the log line, the checkpoints, and the schedule.
    /// Every process must have read the same corpora as rank 0: a stale or partial copy on
    /// one machine would build other vocabularies or batches and silently train another
    /// model (or deadlock in an all-reduce of another size). Called by every process
    /// before rank 0 makes the checkpoint folder.
    ///
    /// Each process puts its corpora's fingerprints and sizes in its own slot of an array
    /// of zeros, and an all-reduce sum gives every process every slot. Rank 0 then names
    /// the first process whose corpora differ from its own and fails, which ends the job
    /// with that message; the others wait in a collective that rank 0 never joins, so
    /// that one message, not several racing ones, is what the user reads.
    public static func checkSameCorpora(_ corpora: [ParallelCorpus], on communicator: any Communicator) throws {
        guard communicator.size > 1 else { return }
        // 16-bit pieces, exact in a Float: a fingerprint is four, a pair count two.
        func pieces(_ value: UInt64, _ count: Int) -> [Float] {
            (0..<count).map { Float((value >> (16 * UInt64($0))) & 0xffff) }
        }
        let own = corpora.flatMap { pieces($0.fingerprint, 4) + pieces(UInt64($0.pairs.count), 2) }
        var slots = [Float](repeating: 0, count: own.count * communicator.size)
        slots.replaceSubrange(communicator.rank * own.count ..< (communicator.rank + 1) * own.count, with: own)
        communicator.allReduceSum(&slots)
        let slot = { (rank: Int) in Array(slots[rank * own.count ..< (rank + 1) * own.count]) }
        guard let other = (1..<communicator.size).first(where: { slot($0) != slot(0) }) else { return }
        guard communicator.writes else {
            _ = communicator.allReduceSum(0)  // Ended by rank 0's error.
            fatalError("rank 0 did not stop the job")
        }
        let corpus = (0..<corpora.count).first { Array(slot(other)[6 * $0 ..< 6 * $0 + 6]) != Array(own[6 * $0 ..< 6 * $0 + 6]) }!
        let pairs = slot(other)[6 * corpus + 4 ... 6 * corpus + 5].reversed().reduce(0) { $0 * 65536 + Int($1) }
        throw InputError(path: corpora[corpus].sourcePath, "rank \(other) read another corpus here (\(pairs) pairs "
                         + "against rank 0's \(corpora[corpus].pairs.count)): every process must read the same one")
    }

    private func validate(tokensPerSecond: Double, report: (TrainingEvent) -> Void) throws {
        let (validLoss, bleu) = evaluate()
        let trainLoss = state.lossSinceValidation / Double(max(state.tokensSinceValidation, 1))
        state.lossSinceValidation = 0
        state.tokensSinceValidation = 0
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
            } else if config.training.schedule == .plateau
                        && state.validationsSinceDecay >= config.training.decayPatience {
                state.learningRate *= config.training.decayFactor
                state.validationsSinceDecay = 0
                report(.note("learning rate lowered to \(state.learningRate)"))
            }
        }
        try keepForAveraging()
        try saveLast()
        report(.validated(entry, improved: improved))
    }

    /// Keeps the weights of the validations worth averaging (of the last `averageLast`,
    /// those within `WeightAveraging.bleuMargin` of the best BLEU so far; see
    /// `WeightAveraging.validationsToAverage`) as step files: this validation's are saved
    /// if it is among them, the step files of the others removed, and the mean of those
    /// left written. When none is left, averaged.safetensors stays the mean of the last
    /// set that was. A step file from a save that a kill cut short is overwritten when its
    /// step comes round again.
    private func keepForAveraging() throws {
        let count = config.training.averageLast
        guard count >= 2 else { return }
        let averaged = WeightAveraging.validationsToAverage(log, last: count)
        if averaged.last?.step == state.step {
            try checkpoint.writeWeights(model, to: checkpoint.stepWeightsPath(state.step))
        }
        let kept = averaged.map { checkpoint.stepWeightsPath($0.step) }
        for file in checkpoint.stepWeightsFiles() where !kept.contains(file) {
            try FileManager.default.removeItem(atPath: file)
        }
        guard !kept.isEmpty else { return }
        try SafeTensors.write(WeightAveraging.mean(of: kept), metadata: Checkpoint.weightsMetadata,
                              to: checkpoint.averagedWeightsPath)
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
                                    lowercase: config.vocabulary.lowercase, subwords: train.subwords)
        let hypotheses = translator.translate(valid.corpus.sources).map(\.text)
        let bleu = BLEU(lowercase: config.vocabulary.lowercase).corpusScore(hypotheses: hypotheses,
                                                                          references: valid.corpus.targets)
        return (lossSum / Double(max(tokens, 1)), bleu)
    }

    /// Saves what resuming needs and what people read, each file whole or not at all, in
    /// an order that survives being killed between any two files:
    /// 1. log.jsonl, which may run ahead of the snapshot (resuming drops the extra lines);
    /// 2. last.optim.safetensors, the ``TrainingSnapshot``: once it is renamed into place,
    ///    the save has taken effect;
    /// 3. last.safetensors and trainer.json, the same weights and state for translating
    ///    and for reading.
    private func saveLast() throws {
        guard communicator.writes else { return }
        try LogEntry.writeLog(log, to: checkpoint.logPath)
        try TrainingSnapshot.write(model: model, optimizer: optimizer, state: state, to: checkpoint.optimizerPath)
        try checkpoint.writeWeights(model, to: checkpoint.lastWeightsPath)
        try AtomicFile.write(try Checkpoint.json(state) + "\n", to: checkpoint.trainerStatePath)
    }
}
