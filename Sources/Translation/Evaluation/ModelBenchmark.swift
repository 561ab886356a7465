/// Speed and memory of the whole model: training throughput, decoding speed, peak memory.

#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
import Autodiff
import NeuralNet
import Text

public enum ModelBenchmark {
    /// The whole model benchmark: `training`, then `decoding` of the first `sentences`
    /// source sentences of `decodeCorpus` (default: `corpus`) with `trained` (default: the
    /// model just timed, untrained), then peak memory.
    public static func run(config: Configuration, corpus: ParallelCorpus, batches: Int, sentences: Int,
                           trained: Translator? = nil, decodeCorpus: ParallelCorpus? = nil,
                           report: (BenchmarkFigure) -> Void) throws {
        let timed = try training(config: config, corpus: corpus, batches: batches, report: report)
        decoding(trained ?? timed, sentences: Array((decodeCorpus ?? corpus).sources.prefix(sentences)),
                 report: report)
        report(BenchmarkFigure(name: "peak resident memory", value: peakMemoryMegabytes(), unit: "MB"))
    }

    /// Trains a freshly initialised model of `config` on `batches` batches of `corpus`
    /// (after two of warm-up) and reports target tokens per second. Throughput counts
    /// real target tokens (`</s>` included, padding not), as the PyTorch peer does.
    /// Returns the model with its vocabularies, so that decoding can be timed on it when
    /// no trained checkpoint is given. Throws if the length limit leaves no pair. Runs on
    /// the thread counts the caller set (`setBLASThreads`), with `training.threads` replicas.
    public static func training(config: Configuration, corpus: ParallelCorpus, batches: Int,
                                report: (BenchmarkFigure) -> Void) throws -> Translator {
        let tokenizer = WordTokenizer(lowercase: config.vocabulary.lowercase)
        let data = try TrainingData(corpus: corpus, tokenizer: tokenizer, maxLength: config.training.maxLength,
                                    config: config.vocabulary)
        var generator = SeededGenerator(seed: config.training.seed)
        let model = config.model.makeModel(sourceVocabularySize: data.source.count,
                            targetVocabularySize: data.target.count, generator: &generator)
        report(BenchmarkFigure(name: "parameters", value: Double(model.parameterCount), unit: ""))
        var adam = config.training.optimizer(over: model.parameters)
        let batcher = config.training.batcher(pairs: data.pairs)
        let epoch = batcher.epoch(using: &generator)
        let replicas = ModelReplicas(model, count: config.training.threads, config: config.model,
                                     sourceVocabularySize: data.source.count, targetVocabularySize: data.target.count)
        var dropout: SeededGenerator? = SeededGenerator(seed: 1)
        var tokens = 0, seconds = 0.0, lossSum = 0.0
        for (i, batch) in (0..<(batches + 2)).map({ epoch[$0 % epoch.count] }).enumerated() {
            let start = monotonicSeconds()
            let rate = config.training.learningRate(step: i + 1, current: config.training.learningRate)
            let loss = try replicas.trainingStep(batch, batcher: batcher, optimizer: &adam, learningRate: rate,
                                                 dropout: &dropout, settings: config.training, step: i + 1)
            if i >= 2 {
                seconds += monotonicSeconds() - start
                tokens += batch.targetTokens
                lossSum += loss
            }
        }
        let size = config.training.batchTokens > 0 ? "\(config.training.batchTokens) target tokens"
            : "\(config.training.batchSize)"
        report(BenchmarkFigure(name: "training, target tokens/s (batch \(size))",
                               value: Double(tokens) / seconds, unit: "tokens/s"))
        // Every run from the same settings trains the same way: a change in the engine's
        // arithmetic shows here.
        report(BenchmarkFigure(name: "training loss, mean over the timed batches",
                               value: lossSum / Double(max(batches, 1)), unit: "nats per token", allDigits: true))
        model.trackGradients(false)
        return Translator(model: model, source: data.source, target: data.target,
                          lowercase: config.vocabulary.lowercase, subwords: data.subwords)
    }

    /// Decodes `sentences` as the PyTorch peer does: greedily in batches of 64 and one at a
    /// time, and with a beam of 5 in batches of 64. Each speed comes with the mean output
    /// length in tokens (`</s>` not counted): an untrained model runs to the length limit
    /// and a trained one stops early, so speeds compare only at similar lengths.
    public static func decoding(_ translator: Translator, sentences: [String],
                                report: (BenchmarkFigure) -> Void) {
        for (name, beam, batchSize) in [("greedy", 1, 64), ("greedy", 1, 1), ("beam-5", 5, 64)] {
            let start = monotonicSeconds()
            let translations = translator.translate(sentences, beam: beam, batchSize: batchSize)
            let seconds = monotonicSeconds() - start
            let label = "\(name) decoding (batch \(batchSize))"
            report(BenchmarkFigure(name: label, value: Double(sentences.count) / seconds, unit: "sentences/s"))
            let tokens = translations.reduce(0) { $0 + $1.tokens.count }
            report(BenchmarkFigure(name: "\(label), mean output length",
                                   value: Double(tokens) / Double(max(sentences.count, 1)), unit: "tokens"))
        }
    }

    /// The most memory this process has held in RAM, in megabytes.
    public static func peakMemoryMegabytes() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024  // Linux reports kilobytes
    }
}
