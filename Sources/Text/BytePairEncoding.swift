/// Subword units by byte-pair encoding: learning merges, splitting words, joining them back.
import Files

/// Byte-pair encoding for words (Sennrich, Haddow & Birch 2016, "Neural Machine
/// Translation of Rare Words with Subword Units", section 3.2 and algorithm 1).
///
/// A word starts as its characters, the last one marked as ending the word (`w</w>`,
/// the paper's `·`, attached to the character as subword-nmt does, so that no merge is
/// spent on the marker alone). Learning repeatedly merges the most frequent adjacent
/// pair of symbols in the training words into one new symbol; since the marker belongs
/// to the symbol, a merge never reaches across the end of a word. Segmenting a word
/// replays the merges it allows, in the order they were learned.
///
/// Every subword but a word's last is written with the continuation mark `@@`
/// (`new@@ est`), so ``join(_:)`` can restore the words. The marks cannot be confused
/// with text: ``WordTokenizer`` makes every `@` a token of its own, so no word ends in `@@`.
public struct BytePairEncoding: Equatable, Sendable {
    /// One merge: two adjacent symbols that become one.
    public struct Merge: Hashable, Sendable {
        public var left: String
        public var right: String

        public init(_ left: String, _ right: String) {
            self.left = left
            self.right = right
        }
    }

    /// What follows the last character of a word while merging.
    public static let endOfWord = "</w>"
    /// What ends every subword that is not the end of its word.
    public static let continuation = "@@"

    /// The merges in the order they were learned: a merge's rank is its index.
    public let merges: [Merge]
    private let ranks: [Merge: Int]

    /// Merges to apply; a merge listed twice keeps its first rank.
    public init(merges: [Merge]) {
        self.merges = merges
        var ranks: [Merge: Int] = [:]
        for (rank, merge) in merges.enumerated() where ranks[merge] == nil { ranks[merge] = rank }
        self.ranks = ranks
    }

    // MARK: Segmenting

    /// The subwords of `word`, each but the last ending in `@@`.
    ///
    /// Of the adjacent pairs that some merge joins, the one learned first is merged
    /// wherever it occurs (left to right, never overlapping), until no pair is a merge.
    public func segment(word: String) -> [String] {
        var symbols = word.map(String.init)
        guard !symbols.isEmpty else { return [] }
        symbols[symbols.count - 1] += Self.endOfWord
        while symbols.count > 1 {
            let pairs = zip(symbols, symbols.dropFirst()).map { Merge($0, $1) }
            guard let best = pairs.compactMap({ ranks[$0] }).min() else { break }
            let merge = merges[best]
            symbols = replacingPairs(merge.left, merge.right, with: merge.left + merge.right, in: symbols)
        }
        symbols[symbols.count - 1] = symbols[symbols.count - 1].removingScalars(Self.endOfWord)!
        return symbols.dropLast().map { $0 + Self.continuation } + [symbols.last!]
    }

    /// Each sentence's words replaced by their subwords. A word is segmented once however
    /// often it occurs, since corpora repeat their words many times over.
    public func segment(_ sentences: [[String]]) -> [[String]] {
        var cache: [String: [String]] = [:]
        return sentences.map { words in
            words.flatMap { word in
                if let known = cache[word] { return known }
                let subwords = segment(word: word)
                cache[word] = subwords
                return subwords
            }
        }
    }

    /// Words from subwords: each subword ending in `@@` is joined to the one after it.
    /// A dangling `@@` at the very end (a translation cut off mid-word) is dropped.
    public static func join(_ subwords: [String]) -> [String] {
        var words: [String] = []
        var pending = ""
        for subword in subwords {
            if let start = subword.removingScalars(continuation) {
                pending += start
            } else {
                words.append(pending + subword)
                pending = ""
            }
        }
        if !pending.isEmpty { words.append(pending) }
        return words
    }
}

/// `symbols` with each `left` followed by `right` replaced by `joined`, scanning from the
/// left so that occurrences never overlap ("a a a" merges "a a" once, at the start): the
/// one step that both learning and segmenting repeat.
private func replacingPairs<Symbol: Equatable>(_ left: Symbol, _ right: Symbol, with joined: Symbol,
                                               in symbols: [Symbol]) -> [Symbol] {
    var merged: [Symbol] = []
    var i = 0
    while i < symbols.count {
        if i + 1 < symbols.count && symbols[i] == left && symbols[i + 1] == right {
            merged.append(joined)
            i += 2
        } else {
            merged.append(symbols[i])
            i += 1
        }
    }
    return merged
}

extension String {
    /// The text without `suffix`, or `nil` if it does not end with it, compared scalar by
    /// scalar: a mark appended to a word can fuse with the word's last character into one
    /// `Character` (after U+0600, say), so comparing characters could miss it.
    fileprivate func removingScalars(_ suffix: String) -> String? {
        guard unicodeScalars.reversed().starts(with: suffix.unicodeScalars.reversed()) else { return nil }
        return String(unicodeScalars.dropLast(suffix.unicodeScalars.count))
    }
}

// MARK: Learning

extension BytePairEncoding {
    /// Learns up to `count` merges jointly from the words of `sentences` (both sides of
    /// a training corpus, as subword-nmt's joint BPE does).
    public init(learningFrom sentences: some Sequence<[String]>, merges count: Int) {
        var frequencies: [String: Int] = [:]
        for sentence in sentences {
            for word in sentence { frequencies[word, default: 0] += 1 }
        }
        self.init(learningFrom: frequencies, merges: count)
    }

    /// Learns up to `count` merges from word frequencies (algorithm 1 of the paper).
    ///
    /// Each merge joins the most frequent adjacent pair of symbols, counted over every
    /// word times its frequency; of pairs equally frequent, the one whose (left, right)
    /// sorts last is taken, so the same words always give the same merges. Learning stops
    /// early when no pair occurs twice: a merge seen once would only memorise a word.
    ///
    /// Symbols are numbered, and only the words holding the merged pair are recounted
    /// after each merge: a merge costs one pass over the pair counts, not over the corpus.
    public init(learningFrom frequencies: [String: Int], merges count: Int) {
        var learner = Learner(frequencies)
        var merges: [Merge] = []
        var learned: Set<Merge> = []
        while merges.count < count, let best = learner.mostFrequentPair(), learner.pairCounts[best]! >= 2 {
            // A symbol made a second way ("a bc", then "ab c") can meet a neighbour it was
            // already merged with; that merge is done again but listed once.
            let merge = Merge(learner.symbols[best.left], learner.symbols[best.right])
            if learned.insert(merge).inserted { merges.append(merge) }
            learner.merge(best)
        }
        self.init(merges: merges)
    }

    /// Two adjacent symbols, by number.
    private struct Pair: Hashable {
        var left: Int
        var right: Int
    }

    /// The state of learning: every distinct word as numbered symbols, and how often
    /// each adjacent pair occurs in the corpus.
    private struct Learner {
        /// The text of each symbol, by number.
        var symbols: [String] = []
        var numbers: [String: Int] = [:]
        var words: [[Int]] = []
        var frequencies: [Int] = []
        var pairCounts: [Pair: Int] = [:]
        /// The words in which a pair has occurred (some may no longer hold it).
        var wordsHolding: [Pair: Set<Int>] = [:]

        init(_ frequencies: [String: Int]) {
            // Sorted, so that symbol numbers, and with them everything after, never
            // depend on the dictionary's order.
            for (word, frequency) in frequencies.sorted(by: { $0.key < $1.key }) where !word.isEmpty {
                var characters = word.map(String.init)
                characters[characters.count - 1] += BytePairEncoding.endOfWord
                words.append(characters.map { number(of: $0) })
                self.frequencies.append(frequency)
                count(wordAt: words.count - 1, adding: 1)
            }
        }

        mutating func number(of symbol: String) -> Int {
            if let known = numbers[symbol] { return known }
            symbols.append(symbol)
            numbers[symbol] = symbols.count - 1
            return symbols.count - 1
        }

        /// Adds (`sign` 1) or removes (−1) the pairs of one word to the counts.
        mutating func count(wordAt index: Int, adding sign: Int) {
            let word = words[index]
            for (left, right) in zip(word, word.dropFirst()) {
                let pair = Pair(left: left, right: right)
                let updated = pairCounts[pair, default: 0] + sign * frequencies[index]
                pairCounts[pair] = updated == 0 ? nil : updated
                if sign > 0 { wordsHolding[pair, default: []].insert(index) }
            }
        }

        /// The most frequent pair, ties going to the one whose texts sort last.
        func mostFrequentPair() -> Pair? {
            pairCounts.max { a, b in
                if a.value != b.value { return a.value < b.value }
                let (x, y) = (a.key, b.key)
                if x.left != y.left { return symbols[x.left] < symbols[y.left] }
                return symbols[x.right] < symbols[y.right]
            }?.key
        }

        /// Replaces `pair` by one new symbol in every word that holds it.
        mutating func merge(_ pair: Pair) {
            let joined = number(of: symbols[pair.left] + symbols[pair.right])
            for index in wordsHolding.removeValue(forKey: pair) ?? [] {
                count(wordAt: index, adding: -1)
                words[index] = replacingPairs(pair.left, pair.right, with: joined, in: words[index])
                count(wordAt: index, adding: 1)
            }
        }
    }
}

// MARK: The codes file

extension BytePairEncoding {
    /// The first line of a codes file, as subword-nmt writes it for this layout (the
    /// end-of-word mark attached to the last character).
    public static let fileHeader = "#version: 0.2"

    /// Writes the header line, then one merge per line (`left right`) in rank order,
    /// replacing `path` whole or not at all.
    public func write(to path: String) throws {
        let lines = [Self.fileHeader] + merges.map { "\($0.left) \($0.right)" }
        try AtomicFile.write(lines.map { $0 + "\n" }.joined(), to: path)
    }

    /// Reads a codes file written by ``write(to:)``, checking the header line and that
    /// every other line is two symbols separated by one space, never listed before.
    public init(contentsOf path: String) throws(InputError) {
        let lines = try readLines(atPath: path)
        guard lines.first == Self.fileHeader else {
            throw InputError(path: path, line: 1, "expected '\(Self.fileHeader)' (a byte-pair codes file), found '\(lines.first ?? "")'")
        }
        var merges: [Merge] = []
        var firstLine: [Merge: Int] = [:]
        for (index, text) in lines.enumerated().dropFirst() {
            let line = index + 1
            let parts = text.split(separator: " ", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty,
                  !text.unicodeScalars.contains(where: { $0.properties.isWhitespace && $0 != " " }) else {
                throw InputError(path: path, line: line, "expected two symbols separated by one space, found '\(text)'")
            }
            let merge = Merge(String(parts[0]), String(parts[1]))
            if let earlier = firstLine[merge] {
                throw InputError(path: path, line: line, "merge '\(text)' already on line \(earlier)")
            }
            firstLine[merge] = line
            merges.append(merge)
        }
        self.init(merges: merges)
    }
}
