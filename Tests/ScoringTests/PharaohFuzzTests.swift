/// Random bytes, random Unicode and near-miss links thrown at the Pharaoh reader: every
/// line gives an alignment that reads back the same, or an error naming its line; never a
/// crash.
import Foundation
import TestSupport
import Testing
@testable import Files
@testable import Scoring

/// SplitMix64 (Steele, Lea and Flood 2014): random inputs from a fixed seed, so that a
/// failure can be replayed.
private struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Lines of three kinds: any bytes decoded leniently, any Unicode scalars, and links from
/// the format's own alphabet (digits, `-`, `p`, spaces, and a few characters that must be
/// refused), most of which are valid.
private struct RandomLines {
    var generator = SplitMix64(state: 20_030_301)

    mutating func below(_ n: Int) -> Int { Int(generator.next() % UInt64(n)) }

    mutating func bytes(maxLength: Int = 40) -> [UInt8] {
        let special: [UInt8] = [0x0A, 0x0D, 0x20, 0x09, 0x00, 0x2D, 0x70, 0x30, 0x39, 0xC3, 0xE2, 0xF0, 0xEF, 0xBB, 0xBF]
        return (0..<below(maxLength + 1)).map { _ in
            below(2) == 0 ? special[below(special.count)] : UInt8(truncatingIfNeeded: generator.next())
        }
    }

    mutating func unicode(maxLength: Int = 30) -> String {
        let ranges: [ClosedRange<UInt32>] = [
            0x00...0x7F, 0x80...0x9F, 0xA0...0xFF, 0x300...0x36F, 0x660...0x669, 0x2000...0x206F,
            0xFF10...0xFF19, 0x1F300...0x1F64F, 0xFEFF...0xFEFF, 0x10FFF0...0x10FFFF,
        ]
        var scalars = String.UnicodeScalarView()
        for _ in 0..<below(maxLength + 1) {
            let range = ranges[below(ranges.count)]
            scalars.append(Unicode.Scalar(range.lowerBound + UInt32(below(Int(range.upperBound - range.lowerBound) + 1)))!)
        }
        return String(scalars)
    }

    mutating func nearMissLinks() -> String {
        let alphabet: [String] = ["0", "1", "7", "12", "99999999999999999999", "-", "p", "P", "+", "x", " ", "\t", "٣", "\u{00A0}"]
        var line = ""
        for _ in 0..<below(12) {
            line += below(20) == 0
                ? alphabet[below(alphabet.count)]
                : "\(below(60))\(below(5) == 0 ? "p" : "-")\(below(60)) "
        }
        return line
    }

    mutating func line() -> String {
        switch below(3) {
        case 0: String(decoding: bytes(), as: UTF8.self)
        case 1: unicode()
        default: nearMissLinks()
        }
    }
}

struct PharaohFuzzTests {
    @Test func randomLinesGiveAnAlignmentOrAnErrorNamingTheirLine() {
        var random = RandomLines()
        var parsed = 0, refused = 0
        for number in 1...6000 {
            let line = random.line()
            let oneBased = random.below(2) == 0, allowsPossible = random.below(4) != 0
            do {
                let read = try WordAlignment(pharaoh: line, oneBased: oneBased, allowsPossible: allowsPossible,
                                             path: "fuzz.talp", line: number)
                #expect(read.sure.isSubset(of: read.possible))
                #expect(allowsPossible || read.sure == read.possible)
                // Written back (zero-based) and read again, it is the same alignment.
                #expect(try WordAlignment(pharaoh: read.pharaoh, path: "again", line: 1) == read, "\(line)")
                parsed += 1
            } catch {
                #expect(error.path == "fuzz.talp" && error.line == number)
                #expect(!error.message.isEmpty && !error.message.contains("\n"), "\(error.message)")
                refused += 1
            }
        }
        // Both outcomes must be exercised for the test to mean anything.
        #expect(parsed > 1000 && refused > 1000, "\(parsed) parsed, \(refused) refused")
    }

    @Test func randomFilesGiveAlignmentsOrAnErrorNamingTheFile() throws {
        let folder = try TemporaryFolder()
        var random = RandomLines()
        var outcomes = (read: 0, refused: 0)
        for index in 0..<300 {
            let path = folder.path("random-\(index).talp")
            var bytes: [UInt8] = []
            for _ in 0..<random.below(5) {
                bytes += random.below(3) == 0 ? random.bytes() : Array(random.nearMissLinks().utf8)
                bytes.append(0x0A)
            }
            try #require(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
            do {
                let alignments = try WordAlignment.read(atPath: path, oneBased: random.below(2) == 0)
                #expect(alignments.count <= bytes.filter { $0 == 0x0A }.count)
                outcomes.read += 1
            } catch {
                #expect(error.path == path && (error.line ?? 1) >= 1)
                outcomes.refused += 1
            }
        }
        #expect(outcomes.read > 20 && outcomes.refused > 20, "\(outcomes)")
    }
}
