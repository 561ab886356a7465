/// Reading a sentence-aligned corpus: two files whose lines translate each other.
import Files

/// Source and target sentences read from `PREFIX.de` and `PREFIX.en` (or any two
/// line-aligned files), with the line each pair came from.
///
/// Pairs with an empty side are skipped, since there is nothing to learn from them; so can
/// be pairs with more tokens than training allows. Both are counted so that a training
/// run can say how much of its corpus it used.
public struct ParallelCorpus: Sendable {
    /// One sentence and its translation.
    public struct Pair: Equatable, Sendable {
        public let source: String
        public let target: String
        /// The line of both files this pair was read from, counting from 1.
        public let line: Int

        public init(source: String, target: String, line: Int) {
            self.source = source
            self.target = target
            self.line = line
        }
    }

    public let sourcePath: String
    public let targetPath: String
    public private(set) var pairs: [Pair]
    /// Lines left out because one side was empty or only whitespace.
    public let emptyLinesSkipped: Int
    /// Lines left out by ``filtered(maxTokens:tokenizer:)`` for being too long.
    public private(set) var longLinesSkipped = 0

    /// Reads `prefix.source` and `prefix.target`, for example `data/train.de` and
    /// `data/train.en`.
    public init(prefix: String, source: String = "de", target: String = "en") throws(InputError) {
        try self.init(sourcePath: prefix + "." + source, targetPath: prefix + "." + target)
    }

    /// Reads two line-aligned files. Throws if either cannot be read or is not UTF-8,
    /// if their numbers of lines differ, or if no pair has text on both sides.
    public init(sourcePath: String, targetPath: String) throws(InputError) {
        let sources = try readLines(atPath: sourcePath)
        let targets = try readLines(atPath: targetPath)
        guard sources.count == targets.count else {
            throw InputError(
                path: targetPath,
                "\(targets.count) lines, but \(sourcePath) has \(sources.count); "
                    + "the files must be line-aligned")
        }
        self.sourcePath = sourcePath
        self.targetPath = targetPath
        self.pairs = zip(sources, targets).enumerated().compactMap { index, sentences in
            let (source, target) = sentences
            guard !Self.isBlank(source) && !Self.isBlank(target) else { return nil }
            return Pair(source: source, target: target, line: index + 1)
        }
        self.emptyLinesSkipped = sources.count - pairs.count
        guard !pairs.isEmpty else {
            throw InputError(
                path: sourcePath, "no sentence pairs (with \(targetPath)); the corpus is empty")
        }
    }

    /// The source sentences, in order.
    public var sources: [String] { pairs.map(\.source) }
    /// The target sentences, in order.
    public var targets: [String] { pairs.map(\.target) }
    /// The number of pairs.
    public var count: Int { pairs.count }

    /// The corpus without the pairs whose source or target has more than `maxTokens`
    /// tokens, counting how many were removed in ``longLinesSkipped``.
    public func filtered(maxTokens: Int, tokenizer: WordTokenizer) -> ParallelCorpus {
        var corpus = self
        corpus.pairs = pairs.filter { pair in
            tokenizer.tokenize(pair.source).count <= maxTokens
                && tokenizer.tokenize(pair.target).count <= maxTokens
        }
        corpus.longLinesSkipped += pairs.count - corpus.pairs.count
        return corpus
    }

    private static func isBlank(_ line: String) -> Bool {
        line.unicodeScalars.allSatisfy { $0.properties.isWhitespace }
    }
}
