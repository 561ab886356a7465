/// Tests of corpus chrF against sacreBLEU 2.6.0's own output.
import Testing
@testable import Scoring

struct CHRFTests {
    @Test(arguments: SacreBLEUFixtures.caseNames)
    func printsTheSameLineAsSacreBLEU(caseName: String) throws {
        let fixture = try SacreBLEUFixtures.loadCase(caseName)
        for expected in fixture.scores {
            let score = CHRF(lowercase: expected.lowercase)
                .corpusScore(hypotheses: fixture.hypotheses, references: fixture.references)
            #expect(score.line == expected.chrf.line)
            #expect(score.json == expected.chrf.json)
            #expect(score.score == Double(expected.chrf.score))
        }
    }

    @Test func printsTheSameLineAsSacreBLEUForEachSentenceAlone() throws {
        let fixture = try SacreBLEUFixtures.loadCase("realistic")
        for (i, expected) in fixture.sentenceLines.enumerated() {
            let score = CHRF().corpusScore(hypotheses: [fixture.hypotheses[i]], references: [fixture.references[i]])
            #expect(score.line == expected.chrf, "sentence \(i + 1)")
        }
    }

    @Test func identicalTextScoresOneHundredAndDisjointTextZero() {
        let chrF = CHRF()
        #expect(chrF.corpusScore(hypotheses: ["a cat"], references: ["a cat"]).score == 100)
        #expect(chrF.corpusScore(hypotheses: ["xyz"], references: ["abc"]).score == 0)
    }

    @Test func whitespaceIsIgnored() {
        let chrF = CHRF()
        #expect(chrF.characters("a b\tc\u{00A0}d") == ["a", "b", "c", "d"])
        #expect(chrF.corpusScore(hypotheses: ["ab cd"], references: ["a bcd"]).score == 100)
    }

    @Test func statisticsLeaveOutOrdersTheReferenceLacks() {
        // The reference has n-grams only up to order 2, so the hypothesis's longer
        // n-grams are not held against its precision.
        let statistics = CHRFStatistics(hypothesis: Array("abcd".unicodeScalars), reference: Array("ab".unicodeScalars))
        #expect(statistics.hypothesisCounts == [4, 3, 0, 0, 0, 0])
        #expect(statistics.referenceCounts == [2, 1, 0, 0, 0, 0])
        #expect(statistics.matches == [2, 1, 0, 0, 0, 0])
    }

    @Test func signatureNamesTheSettings() {
        #expect(CHRF().signature == "nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.6.0")
        #expect(CHRF(lowercase: true).corpusScore(hypotheses: ["A"], references: ["a"]).line
            == "chrF2|nrefs:1|case:lc|eff:yes|nc:6|nw:0|space:no|version:2.6.0 = 100.0")
    }
}
