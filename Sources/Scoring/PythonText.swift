/// The Python string rules that sacreBLEU's BLEU and chrF inherit.

/// The Python `str` methods whose exact behaviour sacreBLEU's scores depend on.
enum PythonText {
    /// Python's `str.isspace()`: Unicode category Zs or bidirectional class WS, B or S.
    ///
    /// This is wider than ASCII: the no-break space U+00A0, the thin spaces and U+3000
    /// separate words, while the zero-width space U+200B does not.
    static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A,
             0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            true
        default:
            false
        }
    }

    /// `str.split()`: the runs of non-whitespace, with no empty pieces.
    static func split(_ text: [Unicode.Scalar]) -> [ArraySlice<Unicode.Scalar>] {
        text.split(whereSeparator: isWhitespace)
    }

    /// `str.rstrip()`: the text without trailing whitespace.
    static func rstrip(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard let last = scalars.lastIndex(where: { !isWhitespace($0) }) else { return "" }
        return String(scalars[...last])
    }

    /// `str.lower()`: each code point's full lowercase mapping (`İ` becomes `i̇`), with
    /// Python's one contextual rule, the final sigma: `Σ` at the end of a word becomes `ς`.
    /// Swift's `lowercased()` always gives `σ`.
    static func lower(_ text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        var result = String.UnicodeScalarView()
        for (i, scalar) in scalars.enumerated() {
            if scalar == "Σ" && isFinalSigma(at: i, in: scalars) {
                result.append("ς")
            } else {
                result.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
            }
        }
        return String(result)
    }

    /// Unicode's Final_Sigma context, `\p{cased} \p{case-ignorable}* Σ !(\p{case-ignorable}* \p{cased})`.
    private static func isFinalSigma(at index: Int, in text: [Unicode.Scalar]) -> Bool {
        let isIgnorable = { (scalar: Unicode.Scalar) in scalar.properties.isCaseIgnorable }
        let before = text[..<index].last(where: { !isIgnorable($0) })
        let after = text[(index + 1)...].first(where: { !isIgnorable($0) })
        return before?.properties.isCased == true && after?.properties.isCased != true
    }
}
