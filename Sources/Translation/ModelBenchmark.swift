/// Speed and memory of the whole model: training throughput, decoding speed, peak memory.

#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

public enum ModelBenchmark {
    /// Trains `batches` batches (after two of warm-up) of `corpus` and decodes its first
    /// `sentences` source sentences greedily and with a beam of 5, reporting each figure
    /// as it is measured. Throughput counts real target tokens (`</s>` included, padding
    /// not), as the PyTorch peer does. Throws if the length limit leaves no pair.
    public static func run(config: Configuration, corpus: ParallelCorpus, batches: Int, sentences: Int,
                           report: (BenchmarkFigure) -> Void) throws {
        setBLASThreads(config.training.threads)
        let tokenizer = WordTokenizer(lowercase: config.vocabulary.lowercase)
        let data = try TrainingData(corpus: corpus, tokenizer: tokenizer, maxLength: config.training.maxLength,
                                config: config.vocabulary)
        var generator = SeededGenerator(seed: config.training.seed)
        let model = Seq2Seq(config: config.model, sourceVocabularySize: data.source.count,
                            targetVocabularySize: data.target.count, generator: &generator)
        report(BenchmarkFigure(name: "parameters", value: Double(model.parameterCount), unit: ""))
        var adam = Adam(parameters: model.parameters, learningRate: config.training.learningRate)
        let epoch = Batcher(pairs: data.pairs, batchSize: config.training.batchSize).epoch(using: &generator)
        var dropout: SeededGenerator? = SeededGenerator(seed: 1)
        var tokens = 0, seconds = 0.0
        for (i, batch) in (0..<(batches + 2)).map({ epoch[$0 % epoch.count] }).enumerated() {
            let start = monotonicSeconds()
            model.loss(batch, dropout: &dropout, smoothing: config.training.labelSmoothing).backward()
            clipGradientNorm(model.parameters, maxNorm: config.training.clipNorm)
            adam.update()
            if i >= 2 {
                seconds += monotonicSeconds() - start
                tokens += batch.targetTokens
            }
        }
        report(BenchmarkFigure(name: "training, target tokens/s (batch \(config.training.batchSize))",
                               value: Double(tokens) / seconds, unit: "tokens/s"))

        model.trackGradients(false)
        let translator = Translator(model: model, source: data.source, target: data.target,
                                    lowercase: config.vocabulary.lowercase)
        let sources = Array(corpus.sources.prefix(sentences))
        for beam in [1, 5] {
            let start = monotonicSeconds()
            _ = translator.translate(sources, beam: beam)
            let name = beam == 1 ? "greedy decoding (batch 64)" : "beam-5 decoding (batch 64)"
            report(BenchmarkFigure(name: name, value: Double(sources.count) / (monotonicSeconds() - start),
                                   unit: "sentences/s"))
        }
        report(BenchmarkFigure(name: "peak resident memory", value: peakMemoryMegabytes(), unit: "MB"))
    }

    /// The most memory this process has held in RAM, in megabytes.
    public static func peakMemoryMegabytes() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024  // Linux reports kilobytes
    }
}
