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

    @Option(help: "Threads for matrix products.")
    var threads = 2
    @Option(help: "Corpus prefix to train and decode on.")
    var corpus = "data/train"
    @Option(help: "A JSON file of settings (the keys of config.json) for the model benchmark.")
    var config: String?
    @Option(help: "Training batches to time.")
    var batches = 50
    @Option(help: "Sentences to decode.")
    var sentences = 300
    @Flag(help: "Skip the engine's figures.")
    var modelOnly = false
    @Flag(help: "Skip the model's figures.")
    var engineOnly = false

    func validate() throws {
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1, got \(threads)") }
        guard batches >= 1, sentences >= 1 else { throw ValidationError("--batches and --sentences must be at least 1") }
    }

    func run() throws {
        try reportingErrors {
            setBLASThreads(threads)
            let kernels = ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] ?? "OpenBLAS's own choice"
            print("kernels: \(kernels), threads: \(threads)")
            if !modelOnly {
                EngineBenchmark.run { print($0) }
            }
            if !engineOnly {
                var settings = Configuration()
                if let config {
                    settings = try Configuration.parse(try readLines(atPath: config).joined(separator: "\n"), path: config)
                }
                settings.training.threads = threads
                ModelBenchmark.run(config: settings, corpus: try ParallelCorpus(prefix: corpus),
                                   batches: batches, sentences: sentences) { print($0) }
            }
        }
    }
}
