/// `nmt bench`: the speed benchmark.
import ArgumentParser
import Foundation
import Translation
import Autodiff
import NeuralNet
import Text

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure speed and memory, printing one line per figure.",
        discussion: """
            First the engine (matrix products against bare cblas_sgemm, the cost of one
            recorded op, one LSTM step), then the model: training throughput on a fixed
            number of batches of a freshly initialised model, greedy decoding in batches of
            64 and of 1 and beam-5 decoding in batches of 64 (each with its mean output
            length), and peak memory. Decoding uses the trained weights of --checkpoint
            when given: an untrained model's translations run to the length limit.
            """)

    // Numbers parse `.unconditional`ly, so that a negative one is reported as out of range.
    @Option(parsing: .unconditional, help: "Threads: training replicas, each with its share of a batch; batches decoded at once.")
    var threads = 2
    @Option(help: "Corpus prefix to train and decode on.")
    var corpus = "data/train"
    @Option(help: "Corpus prefix whose source sentences are decoded (default: --corpus).")
    var decodeCorpus: String?
    @Option(help: ArgumentHelp("Decode with this checkpoint's trained model (default: the model just timed in training).",
                               valueName: "dir"))
    var checkpoint: String?
    @Option(help: "With --checkpoint, which weights to load: best, last, or averaged.")
    var weights = Weights.best
    @Option(help: "A JSON file of settings (the keys of config.json) for the training benchmark.")
    var config: String?
    @Option(parsing: .unconditional, help: "Training batches to time.")
    var batches = 50
    @Option(parsing: .unconditional, help: "Sentences to decode.")
    var sentences = 300
    @Flag(help: "Skip the engine's figures.")
    var modelOnly = false
    @Flag(help: "Skip the model's figures.")
    var engineOnly = false

    /// Checks the values given, inside `reportingErrors` as the other commands do: one
    /// `error:` line and status 1.
    func check() throws {
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1, got \(threads)") }
        guard batches >= 1 else { throw ValidationError("--batches must be at least 1, got \(batches)") }
        guard sentences >= 1 else { throw ValidationError("--sentences must be at least 1, got \(sentences)") }
    }

    func run() throws {
        try reportingErrors {
            try check()
            setBLASThreads(threads)
            let kernels = ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] ?? "OpenBLAS's own choice"
            print("kernels: \(kernels), threads: \(threads)")
            if !modelOnly {
                EngineBenchmark.run { print($0) }
            }
            if !engineOnly {
                var settings = Configuration()
                if let config {
                    settings = try Configuration(contentsOf: config, as: .overrides)
                }
                settings.training.threads = threads
                let trained = try checkpoint.map {
                    try Translator(checkpoint: Checkpoint(folder: $0), weightsFile: weights.file)
                }
                try ModelBenchmark.run(config: settings, corpus: try ParallelCorpus(prefix: corpus),
                                       batches: batches, sentences: sentences, trained: trained,
                                       decodeCorpus: try decodeCorpus.map { try ParallelCorpus(prefix: $0) }) { print($0) }
            }
        }
    }
}
