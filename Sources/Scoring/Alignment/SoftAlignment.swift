/// Alignments read off attention: weights over subword pieces turned into weights over
/// whole words, the hard links they imply, and the weights as JSON.
import Foundation

/// How much each target word attended to each source word in one translation, with words
/// whole and the `</s>` row and column gone: the soft alignment that `--alignment soft`
/// prints, and from which ``hardAlignment`` takes one link per target word.
public struct SoftAlignment: Equatable, Sendable {
    public let sourceWords: [String]
    public let targetWords: [String]
    /// `weights[j][i]`: the weight of target word j on source word i.
    public let weights: [[Float]]

    /// A soft alignment of whole words given directly.
    public init(sourceWords: [String], targetWords: [String], weights: [[Float]]) {
        precondition(weights.count == targetWords.count, "one row of weights per target word")
        precondition(weights.allSatisfy { $0.count == sourceWords.count }, "one weight per source word")
        self.sourceWords = sourceWords
        self.targetWords = targetWords
        self.weights = weights
    }

    /// The soft alignment of whole words from a model's attention over subword pieces.
    ///
    /// `attention[t][s]` is the weight of output step t on source position s: one row per
    /// target piece, and maybe one more for the step that produced `</s>`; one column per
    /// source piece and one more, the last, for the source's `</s>`. The pieces are given
    /// without `</s>`; pieces ending in `@@` continue into the next one (``words(fromPieces:)``).
    ///
    /// - A source word's weight is the sum of its pieces' weights. A row of attention is a
    ///   probability distribution over source positions, and the probability of looking at
    ///   some piece of the word is the sum of theirs.
    /// - A target word's row is the mean of its pieces' rows. Each piece's row is a
    ///   distribution and so is their mean: a word of three pieces weighs as much as a word
    ///   of one, where a sum would give it up to three times the mass.
    /// - The `</s>` row and column are dropped: neither is a word. Weight on the source's
    ///   `</s>` is left out rather than spread over the words, so a row can sum to less than 1.
    public init(attention: [[Float]], sourcePieces: [String], targetPieces: [String]) {
        precondition(attention.count == targetPieces.count || attention.count == targetPieces.count + 1,
                     "one row of attention per target piece, and maybe one for </s>")
        precondition(attention.allSatisfy { $0.count == sourcePieces.count + 1 },
                     "one column of attention per source piece, and one for </s>")
        let sources = Self.words(fromPieces: sourcePieces), targets = Self.words(fromPieces: targetPieces)
        let weights = targets.map { target in
            sources.map { source in
                let sum = target.pieces.reduce(Float(0)) { total, t in total + attention[t][source.pieces].reduce(0, +) }
                return sum / Float(target.pieces.count)
            }
        }
        self.init(sourceWords: sources.map(\.text), targetWords: targets.map(\.text), weights: weights)
    }

    /// The words that subword pieces spell, each with the range of its pieces, as
    /// `BytePairEncoding.join` in Text joins them: a piece ending in `@@` is continued by
    /// the next (`Krank@@ en@@ haus` is `Krankenhaus`); at the very end a piece ending in
    /// `@@` (a translation cut off mid-word) ends its word, and pieces that spell nothing
    /// (bare `@@`) belong to no word. Whole words are pieces of their own.
    public static func words(fromPieces pieces: [String]) -> [(text: String, pieces: Range<Int>)] {
        var words: [(text: String, pieces: Range<Int>)] = []
        var start = 0, pending = ""
        for (index, piece) in pieces.enumerated() {
            let scalars = piece.unicodeScalars
            if scalars.reversed().starts(with: continuation.unicodeScalars.reversed()) {
                pending += String(scalars.dropLast(continuation.unicodeScalars.count))
                if index < pieces.count - 1 { continue }
                if pending.isEmpty { break }
            } else {
                pending += piece
            }
            words.append((pending, start..<(index + 1)))
            start = index + 1
            pending = ""
        }
        return words
    }

    /// What ends every piece that is not the end of its word (Text's `BytePairEncoding.continuation`).
    static let continuation = "@@"

    /// One link per target word j, to the source word i it gave the most weight (the lower
    /// i on ties). A target word that gave no weight to any source word (all of it on
    /// `</s>`, or outside a local window) attended to none, so it gets no link.
    public var hardAlignment: WordAlignment {
        var links: Set<AlignmentLink> = []
        for (j, row) in weights.enumerated() {
            var best: Int?
            // Strictly greater: an equal weight later in the row does not take the link.
            for (i, weight) in row.enumerated() where weight > (best.map { row[$0] } ?? 0) { best = i }
            if let best { links.insert(AlignmentLink(source: best, target: j)) }
        }
        return WordAlignment(sure: links)
    }

    /// The weights as a JSON array of rows, one per target word, each weight rounded to
    /// four decimals (trailing zeros dropped): `[[0.9,0.05],[0.1,0.8]]`. Four decimals tell
    /// apart any weights a person can; the full digits of a `Float` would triple the line.
    /// JSON has no NaN or infinity: such a weight is written `null`.
    public var json: String {
        "[" + weights.map { row in "[" + row.map(Self.jsonNumber).joined(separator: ",") + "]" }
            .joined(separator: ",") + "]"
    }

    static func jsonNumber(_ weight: Float) -> String {
        guard weight.isFinite else { return "null" }
        var text = String(format: "%.4f", Double(weight))
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text == "-0" ? "0" : text
    }
}
