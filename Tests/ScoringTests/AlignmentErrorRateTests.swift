/// Tests of the alignment error rate on hand-made alignments whose counts and rates are
/// worked out in the comments, of the corpus-level sums, and of reading the two files.
import Foundation
import TestSupport
import Testing
@testable import Files
@testable import Scoring

/// `value` is within rounding of `expected`; `nil` only if `expected` is.
private func close(_ value: Double?, _ expected: Double?) -> Bool {
    guard let value, let expected else { return value == nil && expected == nil }
    return abs(value - expected) < 1e-12
}

/// The score of system lines against gold lines, both in the Pharaoh format.
private func score(_ hypotheses: [String], gold: [String]) throws -> AERScore {
    try AERScore(hypotheses: hypotheses.map { try alignment($0).sure }, gold: gold.map { try alignment($0) })
}

struct AlignmentErrorRateTests {
    /// S = {0-0, 1-1, 2-2}, P = S ∪ {1-2}. A = S: |A ∩ S| = |A ∩ P| = |A| = |S| = 3, so
    /// AER = 1 − (3 + 3)/(3 + 3) = 0, precision 3/3, recall 3/3.
    /// With the possible link too, A = S ∪ {1-2}: |A| = 4, |A ∩ S| = 3, |A ∩ P| = 4, so
    /// AER = 1 − (3 + 4)/(4 + 3) = 0 still: a possible link costs nothing.
    @Test func aPerfectAlignmentScoresZeroWithOrWithoutPossibleLinks() throws {
        let exact = try score(["0-0 1-1 2-2"], gold: ["0-0 1-1 2-2 1p2"])
        #expect(exact.aer == 0 && exact.precision == 1 && exact.recall == 1)
        let withPossible = try score(["0-0 1-1 2-2 1-2"], gold: ["0-0 1-1 2-2 1p2"])
        #expect(withPossible.aer == 0 && withPossible.precision == 1 && withPossible.recall == 1)
        #expect(withPossible.statistics.hypothesisLinks == 4 && withPossible.statistics.possibleMatches == 4)
    }

    /// S = P = {0-0, 1-1}, A = {0-1, 1-0}: no link in common, AER = 1 − 0/4 = 1,
    /// precision 0/2, recall 0/2.
    @Test func aDisjointAlignmentScoresOne() throws {
        let disjoint = try score(["0-1 1-0"], gold: ["0-0 1-1"])
        #expect(disjoint.aer == 1 && disjoint.precision == 0 && disjoint.recall == 0)
    }

    /// S = {0-0, 1-2, 2-1}, P = S ∪ {1-1, 3-3} (|P| = 5), A = {0-0, 1-1, 2-2, 3-3}:
    /// A ∩ S = {0-0} (1), A ∩ P = {0-0, 1-1, 3-3} (3), |A| = 4, |S| = 3.
    /// AER = 1 − (1 + 3)/(4 + 3) = 3/7 ≈ 0.4286, precision 3/4, recall 1/3.
    @Test func sureAndPossibleLinksCountAsOchAndNeyDefine() throws {
        let mixed = try score(["0-0 1-1 2-2 3-3"], gold: ["0-0 1-2 2-1 1p1 3p3"])
        var expected = AERStatistics()
        (expected.sentences, expected.hypothesisLinks, expected.sureLinks, expected.possibleLinks) = (1, 4, 3, 5)
        (expected.sureMatches, expected.possibleMatches) = (1, 3)
        #expect(mixed.statistics == expected)
        #expect(close(mixed.aer, 3.0 / 7))
        #expect(close(mixed.precision, 0.75))
        #expect(close(mixed.recall, 1.0 / 3))
        #expect(mixed.line == "AER = 42.9% (precision 75.0%, recall 33.3%; "
                + "1 sentence, |A| = 4, |S| = 3, |P| = 5, |A∩S| = 1, |A∩P| = 3)")
    }

    /// Sentence 1: S = P = A = {0-0}: AER 0, precision 1, recall 1.
    /// Sentence 2: S = P = {0-0, 1-1, 2-2, 3-3}, A = {0-0, 1-2, 2-1, 3-3}: |A ∩ S| = |A ∩ P| = 2,
    /// AER = 1 − 4/8 = 0.5, precision 2/4, recall 2/4.
    /// Means of the sentences: AER 0.25, precision 0.75, recall 0.75. The corpus sums
    /// |A| = 5, |S| = 5, |A ∩ S| = |A ∩ P| = 3 give AER = 1 − 6/10 = 0.4, precision 3/5,
    /// recall 3/5: the longer sentence weighs more.
    /// Sentence 3 has no link on either side and changes no sum.
    @Test func theCorpusScoreSumsCountsRatherThanAveragingSentences() throws {
        let gold = ["0-0", "0-0 1-1 2-2 3-3", ""], hypotheses = ["0-0", "0-0 1-2 2-1 3-3", ""]
        let corpus = try score(hypotheses, gold: gold)
        #expect(close(corpus.aer, 0.4) && close(corpus.precision, 0.6) && close(corpus.recall, 0.6))
        #expect(corpus.statistics.sentences == 3)
        let second = try score([hypotheses[1]], gold: [gold[1]])
        #expect(close(second.aer, 0.5))
        let meanAER = ((try score([hypotheses[0]], gold: [gold[0]])).aer! + second.aer!) / 2
        #expect(close(meanAER, 0.25) && !close(corpus.aer, meanAER))
    }

    /// The talp line `1-1 2-3 3p2` is S = {0-0, 1-2}, P = S ∪ {2-1} once shifted; the
    /// system's zero-based A = {0-0, 1-2, 2-1} then gives |A ∩ S| = 2, |A ∩ P| = 3,
    /// AER = 1 − 5/5 = 0. Read without `oneBased`, S = {1-1, 2-3}, P = S ∪ {3-2}: nothing
    /// in common, AER = 1.
    @Test func aOneBasedGoldFileScoresAZeroBasedSystem() throws {
        let folder = try TemporaryFolder()
        let gold = folder.path("gold.talp"), hypothesis = folder.path("hyp.txt")
        try "1-1 2-3 3p2\n".write(toFile: gold, atomically: true, encoding: .utf8)
        try "0-0 1-2 2-1\n".write(toFile: hypothesis, atomically: true, encoding: .utf8)
        let shifted = try AERScore(goldPath: gold, hypothesisPath: hypothesis, oneBased: true)
        #expect(shifted.aer == 0 && shifted.precision == 1 && shifted.recall == 1)
        #expect(try AERScore(goldPath: gold, hypothesisPath: hypothesis).aer == 1)
    }

    /// No system link: |A| = 0, so precision is undefined; against S = {0-0, 1-1} recall is
    /// 0/2 and AER = 1 − 0/2 = 1. Gold `0p0` alone has S empty: recall is undefined, and
    /// A = {0-0} gives AER = 1 − (0 + 1)/(1 + 0) = 0, precision 1/1. With A and S both
    /// empty every ratio is 0/0.
    @Test func emptyAlignmentsLeaveTheirRatiosUndefined() throws {
        let silent = try score([""], gold: ["0-0 1-1"])
        #expect(silent.precision == nil && silent.recall == 0 && silent.aer == 1)
        let onlyPossible = try score(["0-0"], gold: ["0p0"])
        #expect(onlyPossible.recall == nil && onlyPossible.precision == 1 && onlyPossible.aer == 0)
        let nothing = try score([""], gold: ["1p1"])
        #expect(nothing.aer == nil && nothing.precision == nil && nothing.recall == nil)
        #expect(nothing.line == "AER = undefined (precision undefined, recall undefined; "
                + "1 sentence, |A| = 0, |S| = 0, |P| = 1, |A∩S| = 0, |A∩P| = 0)")
    }

    @Test func filesOfUnequalLengthOrAnEmptyGoldFileAreRefused() throws {
        let folder = try TemporaryFolder()
        let gold = folder.path("gold.talp"), hypothesis = folder.path("hyp.txt"), empty = folder.path("empty")
        try "0-0\n1-1\n".write(toFile: gold, atomically: true, encoding: .utf8)
        try "0-0\n".write(toFile: hypothesis, atomically: true, encoding: .utf8)
        try "".write(toFile: empty, atomically: true, encoding: .utf8)
        #expect(throws: InputError(path: hypothesis, "1 lines, but \(gold) has 2")) {
            try AERScore(goldPath: gold, hypothesisPath: hypothesis)
        }
        #expect(throws: InputError(path: empty, "empty file")) { try AERScore(goldPath: empty, hypothesisPath: hypothesis) }
    }

    @Test func aSystemFileWithPossibleLinksIsRefusedAtItsLine() throws {
        let folder = try TemporaryFolder()
        let gold = folder.path("gold.talp"), hypothesis = folder.path("hyp.txt")
        try "0-0\n1-1 0p1\n".write(toFile: gold, atomically: true, encoding: .utf8)
        try "0-0\n1-1 0p1\n".write(toFile: hypothesis, atomically: true, encoding: .utf8)
        #expect(throws: InputError(path: hypothesis, line: 2, "possible link \"0p1\" in an alignment to be scored; "
                                   + "only gold alignments mark links possible")) {
            try AERScore(goldPath: gold, hypothesisPath: hypothesis)
        }
    }
}
