/// Reading a file or, for `-`, standard input, as the scoring commands do.
import Files

/// The path that stands for standard input on the command line, as in most Unix tools
/// (``EvaluationCorpus/standardInput`` gives it to the command line).
let standardInputPath = "-"

/// The lines of the file at `path`, or of standard input when `path` is
/// ``standardInputPath``, read alike by `LineReader`; errors name "standard input".
func readLines(atPathOrStandardInput path: String) throws(InputError) -> [String] {
    path == standardInputPath ? try LineReader().remainingLines() : try readLines(atPath: path)
}

/// How `path` is named in errors: "standard input" for ``standardInputPath``.
func displayName(ofPath path: String) -> String {
    path == standardInputPath ? "standard input" : path
}
