/// The options that commands share: which checkpoint and weights, and how to search.
import ArgumentParser
import Translation

/// Which weights file of a checkpoint to load.
enum Weights: String, ExpressibleByArgument, CaseIterable {
    /// The weights with the best validation BLEU.
    case best
    /// The weights after the latest training step.
    case last
    /// The mean of the weights of the last validations (`training.averageLast`).
    case averaged

    var file: String { rawValue + ".safetensors" }
}

/// Which model a command loads: a checkpoint folder and one of its weights files.
struct CheckpointOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Checkpoint folder (default: the most recently trained one under checkpoints/).",
                               valueName: "dir"))
    var checkpoint: String?
    @Option(help: """
        Which weights to load: best (by validation BLEU), last, or averaged (the last validations' mean); \
        default best, and for evaluate the better of best and averaged on --valid.
        """)
    var weights: Weights?

    /// The weights file asked for, best if none was.
    var weightsFile: String { (weights ?? .best).file }

    /// --checkpoint, or else the most recently trained folder under checkpoints/.
    func checkpointFolder() throws -> String {
        if let checkpoint { return checkpoint }
        guard let recent = Checkpoint.mostRecent() else {
            throw ValidationError("no checkpoint under checkpoints/: train one with `nmt train`, or give --checkpoint DIR")
        }
        return recent
    }

    /// The translator saved in the checkpoint, with the weights asked for.
    func translator() throws -> Translator {
        try Translator(checkpoint: Checkpoint(folder: try checkpointFolder()), weightsFile: weightsFile)
    }
}

/// The options of every command that decodes: which model, and how to search.
struct DecodingOptions: ParsableArguments {
    @OptionGroup var model: CheckpointOptions
    // Numbers parse `.unconditional`ly, so that `--beam -1` is reported as out of range
    // rather than as a missing value.
    @Option(parsing: .unconditional, help: ArgumentHelp("Beam size; 1 is greedy search.", valueName: "k"))
    var beam = 1
    @Option(parsing: .unconditional, help: "Length normalisation: a beam hypothesis scores log P / length^alpha.")
    var alpha: Float = 1
    @Option(parsing: .unconditional, help: ArgumentHelp("Longest translation, in tokens: ratio × source tokens + --max-length-extra.",
                               valueName: "ratio"))
    var maxLengthRatio: Float = 2
    @Option(parsing: .unconditional, help: ArgumentHelp("Tokens allowed beyond --max-length-ratio × source tokens.", valueName: "n"))
    var maxLengthExtra = 10
    @Option(parsing: .unconditional, help: ArgumentHelp("Sentences decoded together.", valueName: "n"))
    var batchSize = 32
    @Option(parsing: .unconditional, help: ArgumentHelp("Threads, each decoding a batch at a time.", valueName: "n"))
    var threads = 1

    /// Checks the values given. Called inside `reportingErrors` rather than as the argument
    /// parser's `validate()`, so that a bad value gives one `error:` line and status 1 like
    /// every other error of these commands.
    func check() throws {
        guard beam >= 1 else { throw ValidationError("--beam must be at least 1, got \(beam)") }
        guard alpha >= 0 && alpha.isFinite else { throw ValidationError("--alpha must be 0 or more, got \(alpha)") }
        // The upper bounds keep the length limit's arithmetic far from overflowing.
        guard maxLengthRatio >= 0 && maxLengthRatio <= 100 else {
            throw ValidationError("--max-length-ratio must be between 0 and 100, got \(maxLengthRatio)")
        }
        guard maxLengthExtra >= 0 && maxLengthExtra <= 10_000 else {
            throw ValidationError("--max-length-extra must be between 0 and 10000, got \(maxLengthExtra)")
        }
        guard batchSize >= 1 else { throw ValidationError("--batch-size must be at least 1, got \(batchSize)") }
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1, got \(threads)") }
    }

    var limit: LengthLimit { LengthLimit(ratio: maxLengthRatio, extra: maxLengthExtra) }
}
