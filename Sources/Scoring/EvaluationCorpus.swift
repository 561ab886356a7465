/// Reading a reference and a hypothesis file for scoring, as sacreBLEU's command line does.
import Files

/// A reference file and a hypothesis file read as sacreBLEU's command line reads them:
/// line by line, each line without trailing whitespace, and as many hypotheses as references.
public struct EvaluationCorpus: Sendable {
    public let references: [String]
    public let hypotheses: [String]

    /// The hypothesis path that stands for standard input, as in most Unix tools.
    public static let standardInput = standardInputPath

    /// Reads both files; throws, naming the file, when one is missing, unreadable, not
    /// UTF-8, empty, or of a different length than the other.
    ///
    /// Unlike sacreBLEU, a byte order mark is not taken as part of the first word, and
    /// tabs on standard input do not separate several systems' outputs.
    public init(referencePath: String, hypothesisPath: String) throws(InputError) {
        let hypothesisName = displayName(ofPath: hypothesisPath)
        let references = try readLines(atPath: referencePath)
        let hypotheses = try readLines(atPathOrStandardInput: hypothesisPath)
        guard !references.isEmpty else { throw InputError(path: referencePath, "empty file") }
        guard hypotheses.count == references.count else {
            throw InputError(
                path: hypothesisName,
                "\(hypotheses.count) lines, but \(referencePath) has \(references.count)")
        }
        self.references = references.map(PythonText.rstrip)
        self.hypotheses = hypotheses.map(PythonText.rstrip)
    }
}
