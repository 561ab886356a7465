import ArgumentParser
import Translation
import Autodiff

@main
struct NMT: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nmt",
        abstract: "Train and run a German→English attention-based translation model.",
        subcommands: [Train.self, Translate.self, Evaluate.self, Score.self, Bench.self, Bleu.self]
    )

    /// OpenBLAS picks its kernels when it loads, before this runs, so the right kernels
    /// for this CPU need a restart with `OPENBLAS_CORETYPE` set (see `BLASKernels`).
    static func main() {
        BLASKernels.relaunchWithKernelsForThisCPU()
        main(nil)
    }
}
