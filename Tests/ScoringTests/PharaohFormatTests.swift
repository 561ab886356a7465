/// Tests of the Pharaoh alignment format: reading sure and possible links, one-based talp
/// files, writing lines back, and the exact error for each kind of bad line.
import Foundation
import TestSupport
import Testing
@testable import Files
@testable import Scoring

/// The links `i-j` given as pairs.
func links(_ pairs: [(Int, Int)]) -> Set<AlignmentLink> {
    Set(pairs.map { AlignmentLink(source: $0.0, target: $0.1) })
}

/// One line read as a file's line 1, for tests that need no file.
func alignment(_ line: String, oneBased: Bool = false, allowsPossible: Bool = true) throws(InputError) -> WordAlignment {
    try WordAlignment(pharaoh: line, oneBased: oneBased, allowsPossible: allowsPossible, path: "test", line: 1)
}

struct PharaohFormatTests {
    @Test func readsSureAndPossibleLinksWithSureOnesPossibleToo() throws {
        let read = try alignment("0-0 1-2 2-1 1p1 3p3")
        #expect(read.sure == links([(0, 0), (1, 2), (2, 1)]))
        #expect(read.possible == links([(0, 0), (1, 2), (2, 1), (1, 1), (3, 3)]))
    }

    @Test func linksAreSeparatedByAnyWhitespaceAndAnEmptyLineHasNone() throws {
        #expect(try alignment("  0-0\t\t1-1   ").sure == links([(0, 0), (1, 1)]))
        #expect(try alignment("") == WordAlignment(sure: []))
        #expect(try alignment(" \t ").possible.isEmpty)
    }

    @Test func aLinkGivenTwiceCountsOnceAndSureWinsOverPossible() throws {
        let read = try alignment("0-0 0-0 0p0 1p1 1p1")
        #expect(read.sure == links([(0, 0)]))
        #expect(read.possible == links([(0, 0), (1, 1)]))
        #expect(read.pharaoh == "0-0 1p1")
    }

    @Test func oneBasedFilesAreShiftedToCountFromZero() throws {
        // A talp line of the Europarl German–English gold set counts words from 1.
        let read = try alignment("1-1 2-3 3p2 10-12", oneBased: true)
        #expect(read.sure == links([(0, 0), (1, 2), (9, 11)]))
        #expect(read.possible == links([(0, 0), (1, 2), (9, 11), (2, 1)]))
        // The same line read as zero-based is another alignment.
        #expect(try alignment("1-1 2-3 3p2 10-12").sure == links([(1, 1), (2, 3), (10, 12)]))
    }

    @Test func writesLinksInSourceThenTargetOrder() {
        let written = WordAlignment(sure: links([(2, 1), (0, 0), (0, 3)]), possible: links([(1, 1), (0, 0)]))
        #expect(written.pharaoh == "0-0 0-3 1p1 2-1")
        #expect(WordAlignment(sure: []).pharaoh == "")
        #expect(AlignmentLink(source: 12, target: 3).pharaoh == "12-3")
    }

    @Test func writtenLinesReadBackTheSame() throws {
        let alignments = [
            WordAlignment(sure: links([(0, 0), (5, 2), (3, 17)]), possible: links([(1, 1), (4, 4)])),
            WordAlignment(sure: [], possible: links([(0, 2)])),
            WordAlignment(sure: []),
        ]
        for original in alignments {
            #expect(try alignment(original.pharaoh) == original, "\(original.pharaoh)")
        }
    }

    /// Every way a link can be wrong, with the message it gets.
    @Test(arguments: [
        "3-x", "-1-2", "1--2", "1-", "-", "p", "0p", "p0", "1-2-3", "1x2", "+1-2", "1-+2", "1_2", "1P2",
        "0-0,1-1", "١-٢", "1-２", "99999999999999999999-0", "0-99999999999999999999",
    ])
    func refusesMalformedLinks(link: String) {
        #expect(throws: InputError(path: "test", line: 1, "bad link \"\(link)\"")) { try alignment("0-0 \(link) 1-1") }
    }

    @Test func errorsNameTheFileAndLine() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("gold.talp")
        try "1-1 2-2\n\n1-2 3-x 4-4\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: InputError(path: path, line: 3, "bad link \"3-x\"")) { try WordAlignment.read(atPath: path) }
        #expect(InputError(path: "gold.talp", line: 3, "bad link \"3-x\"").description == "gold.talp:3: bad link \"3-x\"")
    }

    @Test func zeroIsRefusedInAOneBasedFile() {
        #expect(throws: InputError(path: "test", line: 1, "bad link \"0-3\": a one-based file counts words from 1")) {
            try alignment("1-1 0-3", oneBased: true)
        }
        #expect(throws: InputError(path: "test", line: 1, "bad link \"2p0\": a one-based file counts words from 1")) {
            try alignment("2p0", oneBased: true)
        }
    }

    @Test func aSystemsAlignmentMayNotMarkLinksPossible() throws {
        #expect(throws: InputError(path: "test", line: 1, "possible link \"1p2\" in an alignment to be scored; "
                                   + "only gold alignments mark links possible")) {
            try alignment("0-0 1p2", allowsPossible: false)
        }
        #expect(try alignment("0-0 1-2", allowsPossible: false).sure == links([(0, 0), (1, 2)]))
    }

    @Test func longLinksAreCutAndControlCharactersShownEscaped() {
        let long = String(repeating: "1", count: 45) + "-x"
        #expect(throws: InputError(path: "test", line: 1, "bad link \"\(String(repeating: "1", count: 40))…\"")) {
            try alignment(long)
        }
        #expect(throws: InputError(path: "test", line: 1, "bad link \"\\u{1b}[31m1-1\"")) { try alignment("\u{1B}[31m1-1") }
    }

    @Test func readsEveryLineOfAFile() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("gold.talp")
        try "\u{FEFF}1-1 2p2\r\n\r\n3-1\n".write(toFile: path, atomically: true, encoding: .utf8)
        let read = try WordAlignment.read(atPath: path, oneBased: true)
        #expect(read == [WordAlignment(sure: links([(0, 0)]), possible: links([(1, 1)])),
                         WordAlignment(sure: []), WordAlignment(sure: links([(2, 0)]))])
        #expect(throws: InputError(path: folder.path("none"), "no such file")) {
            try WordAlignment.read(atPath: folder.path("none"))
        }
    }
}
