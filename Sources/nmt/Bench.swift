import ArgumentParser
import Translation

import Foundation

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure the engine's speed and print one line per figure.")

    @Option(help: "Threads for matrix products.")
    var threads: Int = 2

    func validate() throws {
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1, got \(threads)") }
    }

    func run() throws {
        setBLASThreads(threads)
        let kernels = ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] ?? "OpenBLAS's own choice"
        print("kernels: \(kernels), threads: \(threads)")
        EngineBenchmark.run { print($0) }
    }
}
