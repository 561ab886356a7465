/// Tests of byte-pair encoding: the merges learned, segmenting and joining, the codes file.

import Foundation
import TestSupport
import Testing
@testable import Text
@testable import Files

struct BytePairEncodingTests {
    typealias Merge = BytePairEncoding.Merge

    /// The toy dictionary of the paper's algorithm 1.
    let toy = ["low": 5, "lower": 2, "newest": 6, "widest": 3]

    /// The merges of algorithm 1 on {low: 5, lower: 2, newest: 6, widest: 3}, worked out
    /// by hand (· is `</w>`, attached to the last character). Pair counts at each step:
    /// 1. `e s` 9 and `s t·` 9 tie (above `w e` 8, `l o` 7); `s t·` sorts last;
    /// 2. `e st·` 9; 3. `l o` 7; 4. `n e`, `e w`, `w est·` 6 each: `w est·` sorts last;
    /// 5. `n e` and `e west·` 6: `n e`; 6. `ne west·` 6; 7. `lo w·` 5;
    /// 8–10. `w i`, `wi d`, `wid est·` 3; 11–13. `w e`, `we r·`, `lo wer·` 2.
    /// Then every word is one symbol and learning stops, however many merges were asked.
    ///
    /// The paper's figure 1 (`r·`, `lo`, `low`, `er·`) comes from another dictionary,
    /// {low, lowest, newer, wider}, with `·` a symbol of its own and ties in no fixed
    /// order; on this dictionary the counts above leave no doubt but for the ties.
    @Test func learnsTheToyDictionaryMergesInOrder() {
        let expected = [
            Merge("s", "t</w>"), Merge("e", "st</w>"), Merge("l", "o"), Merge("w", "est</w>"),
            Merge("n", "e"), Merge("ne", "west</w>"), Merge("lo", "w</w>"), Merge("w", "i"),
            Merge("wi", "d"), Merge("wid", "est</w>"), Merge("w", "e"), Merge("we", "r</w>"),
            Merge("lo", "wer</w>"),
        ]
        #expect(BytePairEncoding(learningFrom: toy, merges: 100).merges == expected)
        #expect(BytePairEncoding(learningFrom: toy, merges: 4).merges == Array(expected.prefix(4)))
        #expect(BytePairEncoding(learningFrom: toy, merges: 0).merges.isEmpty)
    }

    /// Equal counts go to the pair that sorts last, whatever the order of the words; a
    /// pair seen only once is never merged.
    @Test func tiesAreBrokenByTheSymbolsAndSingletonsAreNotMerged() {
        #expect(BytePairEncoding(learningFrom: ["ab": 2, "cd": 2], merges: 5).merges
                == [Merge("c", "d</w>"), Merge("a", "b</w>")])
        #expect(BytePairEncoding(learningFrom: ["ab": 1, "cd": 2], merges: 5).merges == [Merge("c", "d</w>")])
        let sentences = [["cd", "ab"], ["ab", "cd"]]
        #expect(BytePairEncoding(learningFrom: sentences, merges: 5)
                == BytePairEncoding(learningFrom: sentences.reversed(), merges: 5))
    }

    /// Learned merges applied lowest rank first: known words come out whole, others in
    /// the pieces the merges allow, with `@@` on every piece but the last.
    @Test func segmentsWordsByRank() {
        let bpe = BytePairEncoding(learningFrom: toy, merges: 100)
        #expect(bpe.segment(word: "newest") == ["newest"])
        #expect(bpe.segment(word: "lower") == ["lower"])
        #expect(bpe.segment(word: "lowest") == ["lo@@", "west"])
        #expect(bpe.segment(word: "slow") == ["s@@", "low"])
        #expect(bpe.segment(word: "wider") == ["wid@@", "e@@", "r"])
        #expect(BytePairEncoding(merges: []).segment(word: "new") == ["n@@", "e@@", "w"])
        // Merges never cross the end of a word: `st·` ends words, so "stow" keeps its s and t apart.
        #expect(bpe.segment(word: "stow") == ["s@@", "t@@", "o@@", "w"])
        #expect(bpe.segment([["low", "lowest"], [], ["low"]]) == [["low", "lo@@", "west"], [], ["low"]])
    }

    /// Segmenting then joining gives back every word, scalar for scalar: seen and unseen
    /// words, characters never seen, one-character words and any Unicode.
    @Test(arguments: ["lowest", "newer", "low", "a", "I", "Zürich", "Straße", "東京都", "Москва", "👍🏽👍",
                      "Cafe\u{301}", "\u{301}x", "\u{600}", "a\u{600}", "a\u{200D}", "don't", "E-Mail", "3,50", "z.B", "x</w>y", "qqqqq"])
    func segmentingThenJoiningGivesTheWordBack(word: String) {
        let bpe = BytePairEncoding(learningFrom: toy.merging(["Zürich": 2, "qq": 3]) { $1 }, merges: 100)
        let subwords = bpe.segment(word: word)
        let marked = subwords.map { $0.unicodeScalars.reversed().starts(with: "@@".unicodeScalars) }
        #expect(marked == Array(repeating: true, count: subwords.count - 1) + [false])
        let joined = BytePairEncoding.join(subwords)
        #expect(joined.count == 1)
        #expect(joined.first.map { Array($0.unicodeScalars) } == Array(word.unicodeScalars))
    }

    /// Whole sentences of tokens from the word tokenizer come back token for token.
    @Test func joiningRestoresTokenizedSentences() {
        let tokenizer = WordTokenizer()
        let sentences = ["Der Hund läuft schnell.", "Die Katze sieht @ den Hund @@ an!", "Ein Kind 👍🏽."]
            .map(tokenizer.tokenize)
        let bpe = BytePairEncoding(learningFrom: sentences, merges: 20)
        for (sentence, subwords) in zip(sentences, bpe.segment(sentences)) {
            #expect(subwords.count > sentence.count)
            #expect(BytePairEncoding.join(subwords) == sentence)
        }
    }

    /// A translation cut off after a continued subword still ends in a word.
    @Test func joinDropsADanglingContinuation() {
        #expect(BytePairEncoding.join(["the", "new@@", "est", "do@@"]) == ["the", "newest", "do"])
        #expect(BytePairEncoding.join([]) == [])
    }

    @Test func codesFileRoundTrips() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("bpe.codes.txt")
        let bpe = BytePairEncoding(learningFrom: toy, merges: 100)
        try bpe.write(to: path)
        let lines = try readLines(atPath: path)
        #expect(lines.prefix(3) == ["#version: 0.2", "s t</w>", "e st</w>"])
        #expect(lines.count == bpe.merges.count + 1)
        #expect(try BytePairEncoding(contentsOf: path) == bpe)
    }

    /// Each malformed codes file is refused with the line at fault.
    @Test(arguments: [
        ("", 1), ("s t</w>\n", 1), ("#version: 0.2\ns t</w>\nlo\n", 3),
        ("#version: 0.2\ns  t\n", 2), ("#version: 0.2\na b c\n", 2), ("#version: 0.2\n\n", 2),
        ("#version: 0.2\na\tb\n", 2), ("#version: 0.2\nl o\nn e\nl o\n", 4),
    ])
    func malformedCodesFileNamesTheLine(text: String, line: Int) throws {
        let folder = try TemporaryFolder()
        let path = folder.path("bpe.codes.txt")
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        #expect {
            try BytePairEncoding(contentsOf: path)
        } throws: { error in
            let error = error as? InputError
            return error?.path == path && error?.line == line
        }
    }

    @Test func missingCodesFileIsAnError() throws {
        let folder = try TemporaryFolder()
        #expect(throws: InputError(path: folder.path("none.txt"), "no such file")) {
            try BytePairEncoding(contentsOf: folder.path("none.txt"))
        }
    }
}
