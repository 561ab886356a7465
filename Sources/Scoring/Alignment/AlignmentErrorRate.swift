/// The alignment error rate of Och and Ney (2003, "A Systematic Comparison of Various
/// Statistical Alignment Models", section 5) of a system's word alignments against gold
/// alignments with sure and possible links, and the precision and recall beside it.
import Files

/// AER's sufficient statistics: the sizes of the system's links A, the gold's sure links S
/// and possible links P, and of their intersections. They add up over a corpus.
public struct AERStatistics: Equatable, Sendable {
    public var sentences = 0
    /// |A|: the system's links.
    public var hypothesisLinks = 0
    /// |S|: the gold's sure links.
    public var sureLinks = 0
    /// |P|: the gold's possible links, the sure ones included.
    public var possibleLinks = 0
    /// |A ∩ S|: the system's links that are sure.
    public var sureMatches = 0
    /// |A ∩ P|: the system's links that are possible (sure ones included).
    public var possibleMatches = 0

    public init() {}

    /// The statistics of one sentence pair: the system's links `hypothesis` against `gold`.
    public init(hypothesis: Set<AlignmentLink>, gold: WordAlignment) {
        sentences = 1
        hypothesisLinks = hypothesis.count
        sureLinks = gold.sure.count
        possibleLinks = gold.possible.count
        sureMatches = hypothesis.intersection(gold.sure).count
        possibleMatches = hypothesis.intersection(gold.possible).count
    }

    public static func += (total: inout AERStatistics, sentence: AERStatistics) {
        total.sentences += sentence.sentences
        total.hypothesisLinks += sentence.hypothesisLinks
        total.sureLinks += sentence.sureLinks
        total.possibleLinks += sentence.possibleLinks
        total.sureMatches += sentence.sureMatches
        total.possibleMatches += sentence.possibleMatches
    }
}

/// The alignment error rate of a corpus, with precision and recall, as fractions from 0 to 1.
///
/// All three are ratios of counts summed over every sentence of the corpus, as Och and Ney
/// define them, not means of each sentence's ratio: a sentence of thirty links weighs
/// thirty times as much as one of a single link.
public struct AERScore: Equatable, Sendable {
    public let statistics: AERStatistics
    /// |A ∩ P| / |A|: how many of the system's links the gold allows. `nil` when the system
    /// proposed no link: a ratio over no links says nothing.
    public let precision: Double?
    /// |A ∩ S| / |S|: how many of the sure links the system found. `nil` when the gold has
    /// no sure link.
    public let recall: Double?
    /// AER = 1 − (|A ∩ S| + |A ∩ P|) / (|A| + |S|): 0 when every link proposed is possible
    /// and every sure link is found, 1 when no proposed link is even possible. A system
    /// with no link at all against a gold with sure links scores 1; `nil` only when both A
    /// and S are empty, where the equation is 0 / 0.
    public let aer: Double?

    public init(statistics: AERStatistics) {
        self.statistics = statistics
        let s = statistics
        precision = s.hypothesisLinks > 0 ? Double(s.possibleMatches) / Double(s.hypothesisLinks) : nil
        recall = s.sureLinks > 0 ? Double(s.sureMatches) / Double(s.sureLinks) : nil
        let denominator = s.hypothesisLinks + s.sureLinks
        aer = denominator > 0 ? 1 - Double(s.sureMatches + s.possibleMatches) / Double(denominator) : nil
    }

    /// The score of the system's links `hypotheses`, one set per sentence pair, against
    /// `gold`, pair by pair.
    public init(hypotheses: [Set<AlignmentLink>], gold: [WordAlignment]) {
        precondition(hypotheses.count == gold.count, "one gold alignment per hypothesis")
        let statistics = zip(hypotheses, gold).reduce(into: AERStatistics()) { total, pair in
            total += AERStatistics(hypothesis: pair.0, gold: pair.1)
        }
        self.init(statistics: statistics)
    }

    /// Reads and scores a gold Pharaoh file and a system's (`-` for standard input).
    ///
    /// `oneBased` is for the gold file alone (the talp files count words from 1); the
    /// system's links count from 0, as `nmt align` writes them, and may not be marked
    /// possible. Throws, naming the file and line, when a file is missing, unreadable, not
    /// UTF-8 or has a bad link, when the gold file is empty, or when the two have different
    /// numbers of lines.
    public init(goldPath: String, hypothesisPath: String, oneBased: Bool = false) throws(InputError) {
        let gold = try WordAlignment.read(atPath: goldPath, oneBased: oneBased)
        guard !gold.isEmpty else { throw InputError(path: goldPath, "empty file") }
        let hypothesisName = displayName(ofPath: hypothesisPath)
        var hypotheses: [Set<AlignmentLink>] = []
        for (index, text) in try readLines(atPathOrStandardInput: hypothesisPath).enumerated() {
            let alignment = try WordAlignment(pharaoh: text, allowsPossible: false, path: hypothesisName, line: index + 1)
            hypotheses.append(alignment.sure)
        }
        guard hypotheses.count == gold.count else {
            throw InputError(path: hypothesisName, "\(hypotheses.count) lines, but \(goldPath) has \(gold.count)")
        }
        self.init(hypotheses: hypotheses, gold: gold)
    }

    /// One line for the terminal, in percent with one decimal, and the counts behind it:
    /// `AER = 28.6% (precision 75.0%, recall 66.7%; 1 sentence, |A| = 4, |S| = 3, |P| = 5,
    /// |A∩S| = 2, |A∩P| = 3)`; a ratio that is not defined is written `undefined`.
    public var line: String {
        let s = statistics
        let counts = "\(s.sentences) sentence\(s.sentences == 1 ? "" : "s"), |A| = \(s.hypothesisLinks), "
            + "|S| = \(s.sureLinks), |P| = \(s.possibleLinks), |A∩S| = \(s.sureMatches), |A∩P| = \(s.possibleMatches)"
        return "AER = \(Self.percent(aer)) (precision \(Self.percent(precision)), recall \(Self.percent(recall)); \(counts))"
    }

    private static func percent(_ fraction: Double?) -> String {
        fraction.map { SacreBLEUFormat.fixed(100 * $0, digits: 1) + "%" } ?? "undefined"
    }
}
