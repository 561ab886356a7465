/// The mapping between tokens and the integer ids a model works with, and its file format.
import Files

/// A fixed list of tokens whose positions are their ids.
///
/// Ids 0–3 are the special tokens (`<unk>`, `<pad>`, `<s>`, `</s>`); the rest are corpus
/// tokens, most frequent first. The file form is one token per line, the id being the
/// line number counted from 0, so a vocabulary can be read and edited by hand.
public struct Vocabulary: Equatable, Sendable {
    /// The id of `<unk>`, which stands for every token not in the vocabulary.
    public static let unk = 0
    /// The id of `<pad>`, which fills batches up to their longest sentence.
    public static let pad = 1
    /// The id of `<s>`, the decoder's first input.
    public static let bos = 2
    /// The id of `</s>`, which ends every sentence.
    public static let eos = 3
    /// The special tokens, in id order.
    public static let specials = ["<unk>", "<pad>", "<s>", "</s>"]

    /// Every token, indexed by id.
    public let tokens: [String]
    private let ids: [String: Int]

    /// A vocabulary of `specials` followed by `tokens`, which must be distinct, non-empty,
    /// free of whitespace and not specials themselves.
    public init(tokens: [String]) {
        let all = Self.specials + tokens
        precondition(tokens.allSatisfy(Self.isStorable), "a token is empty or holds whitespace")
        precondition(Set(all).count == all.count, "a token appears twice or is a special")
        self.tokens = all
        self.ids = Dictionary(uniqueKeysWithValues: all.enumerated().map { ($1, $0) })
    }

    /// The vocabulary of a tokenized corpus: tokens that occur at least `minFrequency`
    /// times, most frequent first, ties in alphabetical order (so the same corpus always
    /// gives the same ids), cut so that with the specials there are at most `maxSize`.
    ///
    /// Tokens that could not be written one per line (empty ones, or ones holding
    /// whitespace) and the specials' own spellings are left out; they will read as `<unk>`.
    public init(
        counting sentences: some Sequence<[String]>, minFrequency: Int = 1, maxSize: Int = .max
    ) {
        var counts: [String: Int] = [:]
        for sentence in sentences {
            for token in sentence { counts[token, default: 0] += 1 }
        }
        let eligible = counts.filter { token, count in
            count >= minFrequency && Self.isStorable(token) && !Self.specials.contains(token)
        }
        let kept = eligible
            .sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .prefix(max(0, maxSize - Self.specials.count))
        self.init(tokens: kept.map(\.key))
    }

    /// The number of ids, specials included.
    public var count: Int { tokens.count }

    /// The id of `token`, or ``unk`` if it is not in the vocabulary.
    public func id(of token: String) -> Int { ids[token] ?? Self.unk }

    /// The ids of `tokens`; no `<s>` or `</s>` is added.
    public func encode(_ tokens: [String]) -> [Int] { tokens.map(id(of:)) }

    /// The tokens of `ids`, specials included: removing them is up to the caller.
    public func decode(_ ids: [Int]) -> [String] {
        ids.map { id in
            precondition(
                tokens.indices.contains(id), "id \(id) is outside the vocabulary of \(count)")
            return tokens[id]
        }
    }

    private static func isStorable(_ token: String) -> Bool {
        !token.isEmpty && !token.unicodeScalars.contains { $0.properties.isWhitespace }
    }

    // MARK: The file

    /// Writes one token per line, replacing `path` whole or not at all.
    public func write(to path: String) throws {
        let text = tokens.map { $0 + "\n" }.joined()
        try AtomicFile.write(text, to: path)
    }

    /// Reads a vocabulary written by ``write(to:)``, checking that the first four lines
    /// are the specials and that every other line holds one distinct token.
    public init(contentsOf path: String) throws(InputError) {
        let lines = try readLines(atPath: path)
        guard lines.count >= Self.specials.count else {
            throw InputError(
                path: path, line: lines.count + 1,
                "a vocabulary starts with the \(Self.specials.count) lines \(Self.specials.joined(separator: " ")), "
                    + "but the file ends after \(lines.count)")
        }
        for (id, special) in Self.specials.enumerated() where lines[id] != special {
            throw InputError(
                path: path, line: id + 1, "expected \(special) (id \(id)), found '\(lines[id])'")
        }
        var firstLine: [String: Int] = [:]
        for (index, token) in lines.enumerated() {
            let line = index + 1
            guard !token.isEmpty else { throw InputError(path: path, line: line, "empty token") }
            guard Self.isStorable(token) else {
                throw InputError(path: path, line: line, "token '\(token)' contains whitespace")
            }
            if let earlier = firstLine[token] {
                throw InputError(
                    path: path, line: line, "token '\(token)' already on line \(earlier)")
            }
            firstLine[token] = line
        }
        self.init(tokens: Array(lines.dropFirst(Self.specials.count)))
    }
}
