/// Tests of corpus BLEU against sacreBLEU 2.6.0's own output, and the loader of those
/// fixtures (made by `scripts/make_bleu_fixtures.py`), which the chrF and 13a tests share.
import Foundation
import Testing
@testable import Scoring
@testable import Files

/// The fixtures in `Fixtures/bleu/`, found next to this file.
enum SacreBLEUFixtures {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/bleu")

    /// The names of the cases in `cases/`, one test argument each.
    static let caseNames: [String] = {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("cases").path)) ?? []
        return files.filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()
    }()

    /// The command-line cases in `cli/`.
    static let commandLineCaseNames: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("cli").path)) ?? []
        return names.sorted()
    }()

    static func loadCase(_ name: String) throws -> CaseFixture {
        try decode(CaseFixture.self, from: "cases/\(name).json")
    }

    static func loadTextRules() throws -> TextRulesFixture {
        try decode(TextRulesFixture.self, from: "text_rules.json")
    }

    static func text(_ relativePath: String) throws -> String {
        try String(contentsOf: folder.appendingPathComponent(relativePath), encoding: .utf8)
    }

    private static func decode<T: Decodable>(_ type: T.Type, from relativePath: String) throws -> T {
        let data = try Data(contentsOf: folder.appendingPathComponent(relativePath))
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(type, from: data)
    }
}

/// One case: segments, their 13a tokenization, and sacreBLEU's scores with lowercasing off and on.
struct CaseFixture: Decodable {
    let name: String
    let hypotheses: [String]
    let references: [String]
    let tokenizedHypotheses: [String]
    let tokenizedReferences: [String]
    let scores: [ScoresFixture]
    /// sacreBLEU's lines for each pair scored alone, lowercasing off.
    let sentenceLines: [SentenceLines]

    struct ScoresFixture: Decodable {
        let lowercase: Bool
        let bleu: MetricFixture
        let chrf: MetricFixture
    }

    struct MetricFixture: Decodable {
        let line: String
        let json: String
        /// Python's `repr` of the unrounded score: the shortest text giving the same double.
        let score: String
    }

    struct SentenceLines: Decodable {
        let bleu: String
        let chrf: String
    }
}

/// Python's string methods and number formatting on tricky input.
struct TextRulesFixture: Decodable {
    let tokenizerExtras: [Tokenized]
    let pythonStrings: [PythonString]
    let fixed: [Fixed]

    struct Tokenized: Decodable {
        let text: String
        let tokenized: String
    }

    struct PythonString: Decodable {
        let text: String
        let lower: String
        let rstrip: String
        let split: [String]
    }

    struct Fixed: Decodable {
        let value: String
        let one: String
        let three: String
    }
}

/// Exact equality of text, code point by code point: Swift's `==` on strings would
/// accept a canonically equivalent spelling, which sacreBLEU would not.
func sameScalars(_ a: String, _ b: String) -> Bool {
    a.unicodeScalars.elementsEqual(b.unicodeScalars)
}

struct BLEUTests {
    @Test(arguments: SacreBLEUFixtures.caseNames)
    func printsTheSameLineAsSacreBLEU(caseName: String) throws {
        let fixture = try SacreBLEUFixtures.loadCase(caseName)
        for expected in fixture.scores {
            let score = BLEU(lowercase: expected.lowercase)
                .corpusScore(hypotheses: fixture.hypotheses, references: fixture.references)
            #expect(score.line == expected.bleu.line)
            #expect(score.json == expected.bleu.json)
            #expect(score.score == Double(expected.bleu.score))
        }
    }

    @Test func printsTheSameLineAsSacreBLEUForEachSentenceAlone() throws {
        let fixture = try SacreBLEUFixtures.loadCase("realistic")
        #expect(fixture.hypotheses.count >= 200)
        for (i, expected) in fixture.sentenceLines.enumerated() {
            let score = BLEU().corpusScore(hypotheses: [fixture.hypotheses[i]], references: [fixture.references[i]])
            #expect(score.line == expected.bleu, "sentence \(i + 1)")
        }
    }

    @Test func sufficientStatisticsOfOneSegment() {
        let bleu = BLEU()
        let statistics = BLEUStatistics(
            hypothesis: bleu.tokens("the the the cat"), reference: bleu.tokens("the cat sat on the mat"))
        #expect(statistics.hypothesisLength == 4)
        #expect(statistics.referenceLength == 6)
        // "the" occurs 3 times but only twice in the reference: clipped to 2, plus "cat".
        #expect(statistics.matches == [3, 1, 0, 0])
        #expect(statistics.totals == [4, 3, 2, 1])
    }

    @Test func expSmoothingHalvesEachFurtherMissingOrder() {
        var statistics = BLEUStatistics()
        statistics.hypothesisLength = 10
        statistics.referenceLength = 10
        statistics.matches = [5, 0, 0, 0]
        statistics.totals = [10, 9, 8, 7]
        let score = BLEUScore(statistics: statistics, signature: "")
        let expected: [Double] = [50, 100.0 / 18, 100.0 / 32, 100.0 / 56]  // 100 / (2ᵏ · total)
        #expect(score.precisions == expected)
        #expect(score.brevityPenalty == 1)
    }

    @Test func brevityPenaltyOfAShortHypothesis() {
        var statistics = BLEUStatistics()
        statistics.hypothesisLength = 8
        statistics.referenceLength = 10
        statistics.matches = [8, 7, 6, 5]
        statistics.totals = [8, 7, 6, 5]
        let score = BLEUScore(statistics: statistics, signature: "")
        #expect(score.brevityPenalty == exp(1 - 10.0 / 8.0))
        #expect(abs(score.score - 100 * exp(1 - 10.0 / 8.0)) < 1e-12)
        #expect(score.ratio == 0.8)
    }

    @Test func signatureNamesTheSettings() {
        #expect(BLEU().signature == "nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0")
        #expect(BLEU(lowercase: true).signature == "nrefs:1|case:lc|eff:no|tok:13a|smooth:exp|version:2.6.0")
    }

    @Test func roundsNumbersAsPythonFormatsThem() throws {
        for number in try SacreBLEUFixtures.loadTextRules().fixed {
            let value = try #require(Double(number.value))
            #expect(SacreBLEUFormat.fixed(value, digits: 1) == number.one, "\(number.value)")
            #expect(SacreBLEUFormat.fixed(value, digits: 3) == number.three, "\(number.value)")
        }
    }
}

/// Reading files as the `sacrebleu` command does, and what `nmt bleu` says about bad files.
struct EvaluationCorpusTests {
    @Test(arguments: SacreBLEUFixtures.commandLineCaseNames)
    func printsWhatTheSacreBLEUCommandPrints(caseName: String) throws {
        let folder = SacreBLEUFixtures.folder.appendingPathComponent("cli/\(caseName)")
        let corpus = try EvaluationCorpus(
            referencePath: folder.appendingPathComponent("ref.txt").path,
            hypothesisPath: folder.appendingPathComponent("hyp.txt").path)
        for lowercase in [false, true] {
            let bleu = BLEU(lowercase: lowercase).corpusScore(hypotheses: corpus.hypotheses, references: corpus.references)
            let chrF = CHRF(lowercase: lowercase).corpusScore(hypotheses: corpus.hypotheses, references: corpus.references)
            let stem = "cli/\(caseName)/expected.\(lowercase ? "lc" : "mixed")"
            let expectedText = try SacreBLEUFixtures.text(stem + ".txt")
            let expectedJSON = try SacreBLEUFixtures.text(stem + ".json")
            #expect(SacreBLEUFormat.textReport([bleu.line, chrF.line]) + "\n" == expectedText)
            #expect(SacreBLEUFormat.jsonReport([bleu.json, chrF.json]) + "\n" == expectedJSON)
        }
    }

    @Test func linesOfUnequalCountsNameBothFiles() throws {
        let folder = try temporaryFolder()
        let reference = try write("a\nb\nc\n", to: "ref.txt", in: folder)
        let hypothesis = try write("a\nb\n", to: "hyp.txt", in: folder)
        #expect(throws: InputError(path: hypothesis, "2 lines, but \(reference) has 3")) {
            try EvaluationCorpus(referencePath: reference, hypothesisPath: hypothesis)
        }
    }

    @Test func invalidUTF8IsReportedWithItsLine() throws {
        let folder = try temporaryFolder()
        let reference = try write("a\nb\nc\n", to: "ref.txt", in: folder)
        let hypothesis = folder.appendingPathComponent("hyp.txt").path
        try Data([0x61, 0x0A, 0x62, 0x0A, 0xC3, 0x28, 0x0A]).write(to: URL(fileURLWithPath: hypothesis))
        #expect(throws: InputError(path: hypothesis, line: 3, "invalid UTF-8")) {
            try EvaluationCorpus(referencePath: reference, hypothesisPath: hypothesis)
        }
    }

    @Test func missingAndEmptyFilesAreErrors() throws {
        let folder = try temporaryFolder()
        let empty = try write("", to: "empty.txt", in: folder)
        let missing = folder.appendingPathComponent("missing.txt").path
        #expect(throws: InputError(path: missing, "no such file")) {
            try EvaluationCorpus(referencePath: missing, hypothesisPath: empty)
        }
        #expect(throws: InputError(path: empty, "empty file")) {
            try EvaluationCorpus(referencePath: empty, hypothesisPath: empty)
        }
    }

    private func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bleu-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    private func write(_ text: String, to name: String, in folder: URL) throws -> String {
        let path = folder.appendingPathComponent(name).path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }
}
