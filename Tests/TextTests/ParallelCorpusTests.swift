/// Tests of reading a line-aligned corpus and of its errors.
import Foundation
import TestSupport
import Testing
@testable import Files
@testable import Text

struct ParallelCorpusTests {
    let folder: TemporaryFolder

    init() throws { folder = try TemporaryFolder() }

    /// Writes `PREFIX.de` and `PREFIX.en` and returns the prefix.
    func corpus(de: String, en: String) throws -> String {
        let prefix = folder.path("train")
        try de.write(toFile: prefix + ".de", atomically: false, encoding: .utf8)
        try en.write(toFile: prefix + ".en", atomically: false, encoding: .utf8)
        return prefix
    }

    @Test func readsAlignedLines() throws {
        let prefix = try corpus(
            de: "Ein Hund läuft.\nZwei Kinder spielen.\n",
            en: "A dog runs.\nTwo children play.\n")
        let corpus = try ParallelCorpus(prefix: prefix)
        #expect(corpus.sources == ["Ein Hund läuft.", "Zwei Kinder spielen."])
        #expect(corpus.targets == ["A dog runs.", "Two children play."])
        #expect(corpus.pairs.map(\.line) == [1, 2])
        #expect(corpus.count == 2)
        #expect(corpus.sourcePath == prefix + ".de")
        #expect(corpus.emptyLinesSkipped == 0)
    }

    @Test func handlesWindowsLineEndingsAndAMissingFinalNewline() throws {
        let prefix = try corpus(de: "\u{FEFF}Hallo\r\nTschüss", en: "Hello\r\nBye")
        let corpus = try ParallelCorpus(prefix: prefix)
        #expect(corpus.sources == ["Hallo", "Tschüss"])
        #expect(corpus.targets == ["Hello", "Bye"])
    }

    @Test func skipsPairsWithAnEmptySideButKeepsLineNumbers() throws {
        let prefix = try corpus(de: "Eins\n\nDrei\nVier\n", en: "One\nTwo\n  \nFour\n")
        let corpus = try ParallelCorpus(prefix: prefix)
        #expect(corpus.sources == ["Eins", "Vier"])
        #expect(corpus.pairs.map(\.line) == [1, 4])
        #expect(corpus.emptyLinesSkipped == 2)
    }

    @Test func filtersLongPairs() throws {
        let prefix = try corpus(
            de: "Ja.\nDas ist ein ziemlich langer Satz.\nKurz.\n",
            en: "Yes.\nThat is a rather long sentence.\nA rather short one, really.\n")
        let corpus = try ParallelCorpus(prefix: prefix).filtered(
            maxTokens: 4, tokenizer: WordTokenizer())
        #expect(corpus.sources == ["Ja."])
        #expect(corpus.longLinesSkipped == 2)
        #expect(corpus.pairs.first?.line == 1)
    }

    @Test func reportsFilesOfDifferentLengths() throws {
        let prefix = try corpus(de: "Eins\nZwei\nDrei\n", en: "One\nTwo\n")
        let error = #expect(throws: InputError.self) { try ParallelCorpus(prefix: prefix) }
        #expect(
            error?.description
                == "\(prefix).en: 2 lines, but \(prefix).de has 3; the files must be line-aligned")
    }

    @Test func reportsAnEmptyCorpus() throws {
        for (de, en) in [("", ""), ("\n\n", "x\n\n")] {
            let prefix = try corpus(de: de, en: en)
            let error = #expect(throws: InputError.self) { try ParallelCorpus(prefix: prefix) }
            #expect(
                error?.description
                    == "\(prefix).de: no sentence pairs (with \(prefix).en); the corpus is empty")
        }
    }

    @Test func reportsAMissingFile() throws {
        let prefix = folder.path("nothing")
        let error = #expect(throws: InputError.self) { try ParallelCorpus(prefix: prefix) }
        #expect(error?.description == "\(prefix).de: no such file")
        #expect(error?.line == nil)
    }

    @Test func reportsAFolderInPlaceOfAFile() throws {
        let prefix = try corpus(de: "Eins\n", en: "One\n")
        try FileManager.default.removeItem(atPath: prefix + ".en")
        try FileManager.default.createDirectory(
            atPath: prefix + ".en", withIntermediateDirectories: false)
        let error = #expect(throws: InputError.self) { try ParallelCorpus(prefix: prefix) }
        #expect(error?.description == "\(prefix).en: is a folder, not a file")
    }

    @Test func reportsTheLineWithInvalidUTF8() throws {
        let prefix = try corpus(de: "", en: "One\nTwo\nThree\n")
        let bytes = Array("Eins\nZwei\n".utf8) + [0x44, 0x72, 0xC3, 0x28, 0x0A]
        try Data(bytes).write(to: URL(fileURLWithPath: prefix + ".de"))
        let error = #expect(throws: InputError.self) { try ParallelCorpus(prefix: prefix) }
        #expect(error?.description == "\(prefix).de:3: invalid UTF-8")
        #expect(error?.line == 3)
    }

    @Test func readsOtherLanguagePairs() throws {
        let prefix = folder.path("tiny")
        try "Bonjour\n".write(toFile: prefix + ".fr", atomically: false, encoding: .utf8)
        try "Hello\n".write(toFile: prefix + ".en", atomically: false, encoding: .utf8)
        let corpus = try ParallelCorpus(prefix: prefix, source: "fr", target: "en")
        #expect(corpus.pairs == [ParallelCorpus.Pair(source: "Bonjour", target: "Hello", line: 1)])
    }
}
