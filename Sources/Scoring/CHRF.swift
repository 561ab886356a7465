/// chrF (Popović, 2015) exactly as sacreBLEU 2.6.0 computes and prints it with its
/// defaults: character n-grams of orders 1–6, no word n-grams, β = 2, whitespace ignored.

/// The chrF metric with sacreBLEU's default settings.
public struct CHRF: Sendable {
    /// The longest character n-gram counted (`nc:6`).
    public static let charOrder = 6
    /// Recall weighs β times as much as precision; sacreBLEU's name `chrF2` carries it.
    public static let beta = 2

    /// Lowercase hypotheses and references first (`case:lc`).
    public var lowercase: Bool

    public init(lowercase: Bool = false) {
        self.lowercase = lowercase
    }

    /// sacreBLEU's reproducibility signature for these settings. `eff:yes` says that
    /// orders absent from hypothesis or reference are left out of the averages (below),
    /// rather than smoothed with a tiny ε.
    public var signature: String {
        let settings = [
            "nrefs:1", "case:\(lowercase ? "lc" : "mixed")", "eff:yes",
            "nc:\(Self.charOrder)", "nw:0", "space:no", "version:\(sacreBLEUVersion)",
        ]
        return settings.joined(separator: "|")
    }

    /// The chrF score of `hypotheses` against one reference each, line by line.
    public func corpusScore(hypotheses: [String], references: [String]) -> CHRFScore {
        precondition(hypotheses.count == references.count, "one reference per hypothesis")
        let statistics = zip(hypotheses, references).reduce(into: CHRFStatistics()) { total, pair in
            total += CHRFStatistics(hypothesis: characters(pair.0), reference: characters(pair.1))
        }
        return CHRFScore(statistics: statistics, signature: signature)
    }

    /// The code points of a segment with all whitespace removed, after optional lowercasing.
    public func characters(_ segment: String) -> [Unicode.Scalar] {
        let text = lowercase ? PythonText.lower(segment) : segment
        return Array(PythonText.split(Array(text.unicodeScalars)).joined())
    }
}

/// chrF's sufficient statistics per order n = 1…6: character n-grams in the hypothesis, in
/// the reference, and matched (clipped). They add up over a corpus.
public struct CHRFStatistics: Equatable, Sendable {
    /// Hypothesis n-grams, counted only for segments whose reference has n-grams of that
    /// order, so that a too-short reference does not lower precision.
    public var hypothesisCounts = [Int](repeating: 0, count: CHRF.charOrder)
    public var referenceCounts = [Int](repeating: 0, count: CHRF.charOrder)
    public var matches = [Int](repeating: 0, count: CHRF.charOrder)

    public init() {}

    /// The statistics of one segment against its reference, both as whitespace-free code points.
    public init(hypothesis: [Unicode.Scalar], reference: [Unicode.Scalar]) {
        for n in 1...CHRF.charOrder {
            let hypothesisNgrams = Self.ngramCounts(hypothesis, order: n)
            let referenceNgrams = Self.ngramCounts(reference, order: n)
            let hypothesisTotal = hypothesisNgrams.values.reduce(0, +)
            hypothesisCounts[n - 1] = referenceNgrams.isEmpty ? 0 : hypothesisTotal
            referenceCounts[n - 1] = referenceNgrams.values.reduce(0, +)
            matches[n - 1] = hypothesisNgrams.reduce(0) { sum, entry in
                sum + min(entry.value, referenceNgrams[entry.key] ?? 0)
            }
        }
    }

    /// How often each run of `n` consecutive code points occurs in `text`.
    private static func ngramCounts(_ text: [Unicode.Scalar], order n: Int) -> [ArraySlice<Unicode.Scalar>: Int] {
        var counts: [ArraySlice<Unicode.Scalar>: Int] = [:]
        counts.reserveCapacity(text.count)
        if text.count >= n {
            for start in 0...(text.count - n) {
                counts[text[start..<(start + n)], default: 0] += 1
            }
        }
        return counts
    }

    public static func += (total: inout CHRFStatistics, segment: CHRFStatistics) {
        for i in 0..<CHRF.charOrder {
            total.hypothesisCounts[i] += segment.hypothesisCounts[i]
            total.referenceCounts[i] += segment.referenceCounts[i]
            total.matches[i] += segment.matches[i]
        }
    }
}

/// A corpus chrF score.
public struct CHRFScore: Equatable, Sendable {
    /// chrF in percent, 0…100.
    public let score: Double
    public let signature: String

    /// chrFβ = (1 + β²) · P · R / (β² · P + R), in percent, where P and R are the
    /// character n-gram precision and recall averaged over the orders that both the
    /// hypotheses and the references have (sacreBLEU's effective order).
    public init(statistics: CHRFStatistics, signature: String) {
        self.signature = signature
        var precisionSum = 0.0, recallSum = 0.0, effectiveOrder = 0
        for i in 0..<CHRF.charOrder {
            let hypothesisCount = statistics.hypothesisCounts[i]
            let referenceCount = statistics.referenceCounts[i]
            guard hypothesisCount > 0 && referenceCount > 0 else { continue }
            let matches = Double(statistics.matches[i])
            precisionSum += matches / Double(hypothesisCount)
            recallSum += matches / Double(referenceCount)
            effectiveOrder += 1
        }
        guard effectiveOrder > 0 else {
            score = 0
            return
        }
        let precision = precisionSum / Double(effectiveOrder)
        let recall = recallSum / Double(effectiveOrder)
        guard precision + recall > 0 else {
            score = 0
            return
        }
        let betaSquared = Double(CHRF.beta * CHRF.beta)
        let f = (1 + betaSquared) * precision * recall / (betaSquared * precision + recall)
        score = 100 * f
    }

    /// sacreBLEU's name for the metric: `chrF` and β.
    public var name: String { "chrF\(CHRF.beta)" }

    /// sacreBLEU's text line, `chrF2|<signature> = <score>`.
    public var line: String {
        "\(name)|\(signature) = \(SacreBLEUFormat.fixed(score, digits: 1))"
    }

    /// What `sacrebleu --metrics chrf --format json` prints for this score.
    public var json: String {
        SacreBLEUFormat.json(name: name, score: score, signature: signature, verboseScore: nil)
    }
}
