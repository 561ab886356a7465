/// `nmt bench`: the speed benchmark.
import ArgumentParser
import Foundation
import Translation

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure speed and memory, printing one line per figure.",
        discussion: """
            First the engine (matrix products against bare cblas_sgemm, the cost of one
            recorded op, one LSTM step), then the model: training throughput on a fixed
            number of batches, greedy and beam-5 decoding, and peak memory.
            """)

    // Numbers parse `.unconditional`ly, so that a negative one is reported as out of range.
    @Option(parsing: .unconditional, help: "Threads for matrix products.")
    var threads = 2
    @Option(help: "Corpus prefix to train and decode on.")
    var corpus = "data/train"
    @Option(help: "A JSON file of settings (the keys of config.json) for the model benchmark.")
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
                    settings = try Configuration(contentsOf: config)
                }
                settings.training.threads = threads
                try ModelBenchmark.run(config: settings, corpus: try ParallelCorpus(prefix: corpus),
                                   batches: batches, sentences: sentences) { print($0) }
            }
        }
    }
}
