/// Corpus BLEU (Papineni et al., 2002) exactly as sacreBLEU 2.6.0 computes and prints it
/// with its defaults: one reference, 13a tokenization, n-grams up to 4, `exp` smoothing.
import Foundation

/// The sacreBLEU release whose numbers and output this file and `CHRF.swift` reproduce,
/// and which the test fixtures were made with; signatures name it (`version:2.6.0`).
public let sacreBLEUVersion = "2.6.0"

/// The BLEU metric with sacreBLEU's default settings.
public struct BLEU: Sendable {
    /// The longest n-gram counted.
    public static let maxOrder = 4

    /// Lowercase hypotheses and references before tokenizing (`case:lc`).
    public var lowercase: Bool
    public let tokenizer = Tokenizer13a()

    public init(lowercase: Bool = false) {
        self.lowercase = lowercase
    }

    /// sacreBLEU's reproducibility signature for these settings.
    public var signature: String {
        let settings = [
            "nrefs:1", "case:\(lowercase ? "lc" : "mixed")", "eff:no",
            "tok:\(tokenizer.signature)", "smooth:exp", "version:\(sacreBLEUVersion)",
        ]
        return settings.joined(separator: "|")
    }

    /// The BLEU score of `hypotheses` against one reference each, line by line.
    public func corpusScore(hypotheses: [String], references: [String]) -> BLEUScore {
        precondition(hypotheses.count == references.count, "one reference per hypothesis")
        let statistics = zip(hypotheses, references).reduce(into: BLEUStatistics()) { total, pair in
            total += BLEUStatistics(hypothesis: tokens(pair.0), reference: tokens(pair.1))
        }
        return BLEUScore(statistics: statistics, signature: signature)
    }

    /// The 13a tokens of a segment, after optional lowercasing and removal of trailing
    /// whitespace (sacreBLEU's `_preprocess_segment`).
    public func tokens(_ segment: String) -> [ArraySlice<Unicode.Scalar>] {
        let text = lowercase ? PythonText.lower(segment) : segment
        return tokenizer.tokens(PythonText.rstrip(text))
    }
}

/// BLEU's sufficient statistics: lengths, and per order n the hypothesis n-grams and how
/// many of them the reference has ("clipped" counts). They add up over a corpus.
public struct BLEUStatistics: Equatable, Sendable {
    public var hypothesisLength = 0
    public var referenceLength = 0
    /// `matches[n - 1]`: clipped n-gram matches, Σ min(count in hypothesis, count in reference).
    public var matches = [Int](repeating: 0, count: BLEU.maxOrder)
    /// `totals[n - 1]`: the number of n-grams in the hypothesis.
    public var totals = [Int](repeating: 0, count: BLEU.maxOrder)

    public init() {}

    /// The statistics of one tokenized segment against its reference.
    public init(hypothesis: [ArraySlice<Unicode.Scalar>], reference: [ArraySlice<Unicode.Scalar>]) {
        hypothesisLength = hypothesis.count
        referenceLength = reference.count
        for n in 1...BLEU.maxOrder {
            let referenceCounts = Self.ngramCounts(reference, order: n)
            for (ngram, count) in Self.ngramCounts(hypothesis, order: n) {
                totals[n - 1] += count
                matches[n - 1] += min(count, referenceCounts[ngram] ?? 0)
            }
        }
    }

    /// How often each n-gram of order `n` occurs in `tokens`.
    private static func ngramCounts(
        _ tokens: [ArraySlice<Unicode.Scalar>], order n: Int
    ) -> [ArraySlice<ArraySlice<Unicode.Scalar>>: Int] {
        var counts: [ArraySlice<ArraySlice<Unicode.Scalar>>: Int] = [:]
        counts.reserveCapacity(tokens.count)
        if tokens.count >= n {
            for start in 0...(tokens.count - n) {
                counts[tokens[start..<(start + n)], default: 0] += 1
            }
        }
        return counts
    }

    public static func += (total: inout BLEUStatistics, segment: BLEUStatistics) {
        total.hypothesisLength += segment.hypothesisLength
        total.referenceLength += segment.referenceLength
        for i in 0..<BLEU.maxOrder {
            total.matches[i] += segment.matches[i]
            total.totals[i] += segment.totals[i]
        }
    }
}

/// A corpus BLEU score with the figures sacreBLEU prints beside it.
public struct BLEUScore: Equatable, Sendable {
    /// BLEU in percent, 0…100.
    public let score: Double
    /// The modified n-gram precisions p₁…p₄ in percent, after smoothing.
    public let precisions: [Double]
    /// BP = exp(1 − r/c) when the hypothesis length c is below the reference length r, else 1.
    public let brevityPenalty: Double
    /// c / r, or 0 when there is no reference token.
    public let ratio: Double
    public let hypothesisLength: Int
    public let referenceLength: Int
    public let signature: String

    /// BLEU = BP · exp(¼ Σₙ log pₙ), computed step by step as sacreBLEU's `compute_bleu`.
    ///
    /// `exp` smoothing (NIST's, Chen and Cherry's method 3): the k-th order with no match
    /// gets the precision 1 / (2ᵏ · totalₙ) instead of 0. With no match of any order, or
    /// an order the hypothesis is too short to have, the score is 0.
    public init(statistics: BLEUStatistics, signature: String) {
        let c = statistics.hypothesisLength, r = statistics.referenceLength
        hypothesisLength = c
        referenceLength = r
        self.signature = signature
        ratio = r > 0 ? Double(c) / Double(r) : 0
        brevityPenalty = c >= r ? 1 : (c > 0 ? exp(1 - Double(r) / Double(c)) : 0)

        guard statistics.matches.contains(where: { $0 > 0 }) else {
            precisions = [Double](repeating: 0, count: BLEU.maxOrder)
            score = 0
            return
        }
        precisions = Self.smoothedPrecisions(statistics)
        // Summed left to right like Python's `sum` before 3.12; `flooredLog(0)` is huge and
        // negative, so a zero precision gives a score of exactly 0.
        let logSum = precisions.map(Self.flooredLog).reduce(0, +)
        score = brevityPenalty * exp(logSum / Double(BLEU.maxOrder))
    }

    /// p₁…p₄ in percent with `exp` smoothing; orders after one with no n-grams stay 0.
    private static func smoothedPrecisions(_ statistics: BLEUStatistics) -> [Double] {
        var precisions = [Double](repeating: 0, count: BLEU.maxOrder)
        var smoothing = 1.0
        for i in 0..<BLEU.maxOrder {
            let total = Double(statistics.totals[i])
            guard total > 0 else { break }
            if statistics.matches[i] == 0 {
                smoothing *= 2
                precisions[i] = 100 / (smoothing * total)
            } else {
                precisions[i] = 100 * Double(statistics.matches[i]) / total
            }
        }
        return precisions
    }

    /// sacreBLEU's `my_log`: log, with log 0 replaced by −9,999,999,999.
    private static func flooredLog(_ x: Double) -> Double {
        x == 0 ? -9_999_999_999 : log(x)
    }

    /// The figures after the score: `p₁/p₂/p₃/p₄ (BP = … ratio = … hyp_len = … ref_len = …)`.
    public var verboseScore: String {
        let precisionText = precisions.map { SacreBLEUFormat.fixed($0, digits: 1) }.joined(separator: "/")
        let bp = SacreBLEUFormat.fixed(brevityPenalty, digits: 3)
        let ratioText = SacreBLEUFormat.fixed(ratio, digits: 3)
        return "\(precisionText) (BP = \(bp) ratio = \(ratioText) hyp_len = \(hypothesisLength) ref_len = \(referenceLength))"
    }

    /// sacreBLEU's text line, `BLEU|<signature> = <score> <verbose score>`.
    public var line: String {
        "BLEU|\(signature) = \(SacreBLEUFormat.fixed(score, digits: 1)) \(verboseScore)"
    }

    /// What `sacrebleu --format json` prints for this score.
    public var json: String {
        SacreBLEUFormat.json(name: "BLEU", score: score, signature: signature, verboseScore: verboseScore)
    }
}
