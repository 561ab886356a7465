import ArgumentParser
import Translation
import Autodiff

@main
struct NMT: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nmt",
        abstract: "Train and run a German→English attention-based translation model.",
        subcommands: [Train.self, Translate.self, Evaluate.self, Bleu.self, Score.self, Bench.self, Align.self,
                      Aer.self, Serve.self]
    )

    /// OpenBLAS picks its kernels when it loads, before this runs, so the right kernels
    /// for this CPU need a restart with `OPENBLAS_CORETYPE` set (see `BLASKernels`). The
    /// allocator is set up before any other thread exists (see `keepFreedMemory`).
    static func main() async {
        BLASKernels.relaunchWithKernelsForThisCPU()
        keepFreedMemory()
        do {
            var command = try parseAsRoot()
            if var asynchronous = command as? AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}
