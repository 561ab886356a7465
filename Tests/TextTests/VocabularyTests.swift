/// Tests of the vocabulary: its ordering, its limits and its file.
import Foundation
import TestSupport
import Testing
@testable import Files
@testable import Text

struct VocabularyTests {
    let sentences = [
        ["der", "Hund", "und", "die", "Katze"],
        ["die", "Katze", "schläft"],
        ["der", "Hund", "bellt", "die", "Katze", "an"],
    ]

    @Test func specialsComeFirst() {
        let vocabulary = Vocabulary(counting: [])
        #expect(vocabulary.tokens == ["<unk>", "<pad>", "<s>", "</s>"])
        #expect([Vocabulary.unk, Vocabulary.pad, Vocabulary.bos, Vocabulary.eos] == [Int](0..<4))
        #expect(vocabulary.count == 4)
    }

    @Test func ordersByFrequencyThenAlphabetically() {
        let vocabulary = Vocabulary(counting: sentences)
        // die, Katze: 3; der, Hund: 2; an, bellt, schläft, und: 1.
        #expect(
            Array(vocabulary.tokens.dropFirst(4))
                == ["Katze", "die", "Hund", "der", "an", "bellt", "schläft", "und"])
    }

    @Test func keepsFrequentTokensWithinTheSize() {
        let frequent = Vocabulary(counting: sentences, minFrequency: 2)
        #expect(Array(frequent.tokens.dropFirst(4)) == ["Katze", "die", "Hund", "der"])
        let small = Vocabulary(counting: sentences, maxSize: 7)
        #expect(small.count == 7)
        #expect(Array(small.tokens.dropFirst(4)) == ["Katze", "die", "Hund"])
        #expect(Vocabulary(counting: sentences, maxSize: 2).count == 4)
    }

    @Test func leavesOutTokensThatCannotBeStored() {
        let vocabulary = Vocabulary(counting: [["a", "", "b c", "<s>", "</s>"]])
        #expect(vocabulary.tokens == Vocabulary.specials + ["a"])
    }

    @Test func encodesAndDecodes() {
        let vocabulary = Vocabulary(counting: sentences)
        let ids = vocabulary.encode(["die", "Maus", "schläft"])
        #expect(ids == [5, Vocabulary.unk, 10])
        #expect(
            vocabulary.decode(ids + [Vocabulary.eos, Vocabulary.pad]) == [
                "die", "<unk>", "schläft", "</s>", "<pad>",
            ])
    }

    @Test func writesAndReadsBack() throws {
        let folder = try TemporaryFolder()
        let vocabulary = Vocabulary(counting: sentences)
        let path = folder.path("vocab.txt")
        try vocabulary.write(to: path)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.hasPrefix("<unk>\n<pad>\n<s>\n</s>\nKatze\ndie\n"))
        #expect(try Vocabulary(contentsOf: path) == vocabulary)
    }

    @Test(arguments: [
        (
            "", 1,
            "a vocabulary starts with the 4 lines <unk> <pad> <s> </s>, but the file ends after 0"
        ),
        (
            "<unk>\n<pad>\n<s>\n", 4,
            "a vocabulary starts with the 4 lines <unk> <pad> <s> </s>, but the file ends after 3"
        ),
        ("<unk>\n<pad>\n</s>\n<s>\n", 3, "expected <s> (id 2), found '</s>'"),
        ("<unk>\n<pad>\n<s>\n</s>\nHaus\n\nBaum\n", 6, "empty token"),
        ("<unk>\n<pad>\n<s>\n</s>\nHaus\nBaum Haus\n", 6, "token 'Baum Haus' contains whitespace"),
        ("<unk>\n<pad>\n<s>\n</s>\nHaus\nBaum\nHaus\n", 7, "token 'Haus' already on line 5"),
        ("<unk>\n<pad>\n<s>\n</s>\n<pad>\n", 5, "token '<pad>' already on line 2"),
    ])
    func reportsBadFiles(contents: String, line: Int, message: String) throws {
        let folder = try TemporaryFolder()
        let path = folder.path("vocab.txt")
        try contents.write(toFile: path, atomically: false, encoding: .utf8)
        let error = #expect(throws: InputError.self) { try Vocabulary(contentsOf: path) }
        #expect(error?.description == "\(path):\(line): \(message)")
    }

    @Test func reportsInvalidUTF8AndMissingFiles() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("vocab.txt")
        let bytes = Array("<unk>\n<pad>\n<s>\n</s>\nok\n".utf8) + [0x62, 0xFF, 0x0A]
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let invalid = #expect(throws: InputError.self) { try Vocabulary(contentsOf: path) }
        #expect(invalid?.description == "\(path):6: invalid UTF-8")
        let missing = #expect(throws: InputError.self) {
            try Vocabulary(contentsOf: folder.path("none.txt"))
        }
        #expect(missing?.description == "\(folder.path("none.txt")): no such file")
    }
}
