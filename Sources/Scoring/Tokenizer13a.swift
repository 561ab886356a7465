/// sacreBLEU's `13a` tokenizer (the tokenization of WMT's mteval-v13a.pl).
///
/// sacreBLEU works on Python strings, which are sequences of Unicode code points, so
/// everything here works on `Unicode.Scalar`s. Swift's `Character`s (grapheme clusters)
/// and `String` equality (canonical equivalence) would group or merge code points that
/// sacreBLEU keeps apart, and change scores.

/// The `13a` tokenizer: a few language-independent clean-ups, then four regular
/// expressions that split off ASCII punctuation.
///
/// The regular expressions use only ASCII classes: `„`, `“`, `—`, `…` and other
/// non-ASCII punctuation stay attached to their words, and only the ASCII digits 0–9
/// count as digits.
public struct Tokenizer13a: Sendable {
    /// The name sacreBLEU's signature gives this tokenizer (`tok:13a`).
    public let signature = "13a"

    public init() {}

    /// The tokens of `line` joined by single spaces, as sacreBLEU's `Tokenizer13a()(line)`.
    public func tokenize(_ line: String) -> String {
        var result = String.UnicodeScalarView()
        for (i, token) in tokens(line).enumerated() {
            if i > 0 { result.append(" ") }
            result.append(contentsOf: token)
        }
        return String(result)
    }

    /// The tokens of `line`, each a run of code points.
    public func tokens(_ line: String) -> [ArraySlice<Unicode.Scalar>] {
        var scalars = mtevalCleanUp(Array(line.unicodeScalars))
        scalars = isolateSymbols([" "] + scalars + [" "])
        scalars = splitPeriodAndCommaAfterNonDigit(scalars)
        scalars = splitPeriodAndCommaBeforeNonDigit(scalars)
        scalars = splitDashAfterDigit(scalars)
        return PythonText.split(scalars)
    }

    /// mteval's language-independent part: drop `<skipped>` markers, rejoin words
    /// hyphenated across a line break, turn other line breaks into spaces, and decode the
    /// four HTML entities mteval knows (`&amp;` after `&quot;`, before `&lt;` and `&gt;`,
    /// so `&amp;lt;` becomes `<`).
    private func mtevalCleanUp(_ line: [Unicode.Scalar]) -> [Unicode.Scalar] {
        Self.cleanUpRules.reduce(line) { text, rule in
            // Most lines hold no `<`, `-`, line break or `&`: skip the search for them.
            text.contains(rule.pattern[0]) ? text.replacing(rule.pattern, with: rule.replacement) : text
        }
    }

    private static let cleanUpRules: [(pattern: [Unicode.Scalar], replacement: [Unicode.Scalar])] = [
        ("<skipped>", ""), ("-\n", ""), ("\n", " "),
        ("&quot;", "\""), ("&amp;", "&"), ("&lt;", "<"), ("&gt;", ">"),
    ].map { (Array($0.unicodeScalars), Array($1.unicodeScalars)) }

    /// Rule 1, `([\{-\~\[-\` -\&\(-\+\:-\@\/])` → ` \1 `: pad every ASCII symbol with
    /// spaces, except the three that rules 2–4 look at in context (`. , -`) and the
    /// apostrophe, which stays inside words such as `don't`.
    private func isolateSymbols(_ line: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var result: [Unicode.Scalar] = []
        result.reserveCapacity(line.count * 2)
        for scalar in line {
            if Self.isIsolatedSymbol(scalar) {
                result += [" ", scalar, " "]
            } else {
                result.append(scalar)
            }
        }
        return result
    }

    /// The class of rule 1: the ranges `{`–`~`, `[`–`` ` ``, space–`&`, `(`–`+`, `:`–`@`, and `/`.
    private static func isIsolatedSymbol(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "{"..."~", "["..."`", " "..."&", "("..."+", ":"..."@", "/": true
        default: false
        }
    }

    /// Rule 2, `([^0-9])([\.,])` → `\1 \2 `: a period or comma not preceded by a digit.
    private func splitPeriodAndCommaAfterNonDigit(_ line: [Unicode.Scalar]) -> [Unicode.Scalar] {
        Self.spacePairs(line, where: { !Self.isDigit($0) && Self.isPeriodOrComma($1) }, placing: .afterEach)
    }

    /// Rule 3, `([\.,])([^0-9])` → ` \1 \2`: a period or comma not followed by a digit.
    /// Together with rule 2 this keeps `1,000.50` whole but splits `end.` and `a,b`.
    private func splitPeriodAndCommaBeforeNonDigit(_ line: [Unicode.Scalar]) -> [Unicode.Scalar] {
        Self.spacePairs(line, where: { Self.isPeriodOrComma($0) && !Self.isDigit($1) }, placing: .beforeEach)
    }

    /// Rule 4, `([0-9])(-)` → `\1 \2 `: a dash after a digit, so `10-15` becomes `10 - 15`.
    private func splitDashAfterDigit(_ line: [Unicode.Scalar]) -> [Unicode.Scalar] {
        Self.spacePairs(line, where: { Self.isDigit($0) && $1 == "-" }, placing: .afterEach)
    }

    /// Where rules 2–4 put spaces around the two characters `x`, `y` they match.
    private enum SpacePlacement {
        /// `x y ` (replacement `\1 \2 `).
        case afterEach
        /// ` x y` (replacement ` \1 \2`).
        case beforeEach
    }

    /// Python's `re.sub` for a pattern of two single-character groups: scan left to right,
    /// put spaces around each matching pair, and resume after it, so matches never overlap.
    private static func spacePairs(
        _ line: [Unicode.Scalar],
        where matches: (Unicode.Scalar, Unicode.Scalar) -> Bool,
        placing placement: SpacePlacement
    ) -> [Unicode.Scalar] {
        var result: [Unicode.Scalar] = []
        result.reserveCapacity(line.count + line.count / 2)
        var i = 0
        while i < line.count {
            guard i + 1 < line.count && matches(line[i], line[i + 1]) else {
                result.append(line[i])
                i += 1
                continue
            }
            switch placement {
            case .afterEach: result += [line[i], " ", line[i + 1], " "]
            case .beforeEach: result += [" ", line[i], " ", line[i + 1]]
            }
            i += 2
        }
        return result
    }

    /// `[0-9]`: the ASCII digits only, as in a Python character range.
    private static func isDigit(_ scalar: Unicode.Scalar) -> Bool { ("0"..."9").contains(scalar) }

    private static func isPeriodOrComma(_ scalar: Unicode.Scalar) -> Bool { scalar == "." || scalar == "," }
}
