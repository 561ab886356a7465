/// Reading word alignments in the Pharaoh format, one line or a whole file, with errors that
/// name the file, the line and the link.
import Files

extension WordAlignment {
    /// The alignment written on one Pharaoh line, which `path` and `line` (from 1) locate
    /// for the error.
    ///
    /// The line holds links separated by whitespace, each `i-j` (sure) or `ipj` (possible),
    /// with i the source word and j the target word written in ASCII digits; an empty line
    /// is a sentence pair without links. `oneBased` reads files whose words count from 1, as
    /// the talp files of the Europarl German–English gold alignments (Vilar, Popović and
    /// Ney 2006, in the format of Lambert et al. 2005) do; the links are then shifted to
    /// count from 0. A system's output is not allowed possible links (`allowsPossible`
    /// false): one that has them is most likely a gold file given in its place.
    ///
    /// A link given twice counts once, and one given both as sure and as possible is sure.
    /// Signs, other digits, a missing index, zero in a one-based file or a number too
    /// large for `Int` are errors.
    public init(pharaoh text: String, oneBased: Bool = false, allowsPossible: Bool = true,
                path: String, line: Int) throws(InputError) {
        var sure: Set<AlignmentLink> = [], possible: Set<AlignmentLink> = []
        for token in text.split(whereSeparator: \.isWhitespace) {
            guard let (source, separator, target) = Self.parts(of: token) else {
                throw InputError(path: path, line: line, "bad link \(Self.quoted(token))")
            }
            guard separator == "-" || allowsPossible else {
                throw InputError(path: path, line: line,
                                 "possible link \(Self.quoted(token)) in an alignment to be scored; "
                                     + "only gold alignments mark links possible")
            }
            let first = oneBased ? 1 : 0
            guard source >= first && target >= first else {
                throw InputError(path: path, line: line,
                                 "bad link \(Self.quoted(token)): a one-based file counts words from 1")
            }
            let link = AlignmentLink(source: source - first, target: target - first)
            if separator == "-" { sure.insert(link) } else { possible.insert(link) }
        }
        self.init(sure: sure, possible: possible)
    }

    /// The alignment of every line of a Pharaoh file, as ``init(pharaoh:oneBased:allowsPossible:path:line:)``
    /// reads one; a missing file, invalid UTF-8 or a bad link throws, naming the line.
    public static func read(atPath path: String, oneBased: Bool = false,
                            allowsPossible: Bool = true) throws(InputError) -> [WordAlignment] {
        var alignments: [WordAlignment] = []
        for (index, text) in try readLines(atPath: path).enumerated() {
            alignments.append(try WordAlignment(pharaoh: text, oneBased: oneBased, allowsPossible: allowsPossible,
                                                path: path, line: index + 1))
        }
        return alignments
    }

    /// `i`, the separator (`-` or `p`) and `j` of a link, or `nil` if it is not one.
    private static func parts(of token: Substring) -> (Int, Unicode.Scalar, Int)? {
        let scalars = Array(token.unicodeScalars)
        guard let at = scalars.firstIndex(where: { !isDigit($0) }),
              scalars[at] == "-" || scalars[at] == "p",
              at > 0, at + 1 < scalars.count, scalars[(at + 1)...].allSatisfy(isDigit),
              let source = Int(String(String.UnicodeScalarView(scalars[..<at]))),
              let target = Int(String(String.UnicodeScalarView(scalars[(at + 1)...])))
        else { return nil }
        return (source, scalars[at], target)
    }

    private static func isDigit(_ scalar: Unicode.Scalar) -> Bool { ("0"..."9").contains(scalar) }

    /// A link as the error shows it: between quotes, cut after 40 characters, with control
    /// characters written as `\u{…}` so that a message never drives the terminal.
    private static func quoted(_ token: Substring) -> String {
        var shown = ""
        for scalar in token.prefix(40).unicodeScalars {
            let isControl = scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
            shown += isControl ? "\\u{\(String(scalar.value, radix: 16))}" : String(scalar)
        }
        return "\"" + shown + (token.count > 40 ? "…" : "") + "\""
    }
}
