/// JSON written by hand for the alignment viewer's data: text that can sit inside an HTML
/// `<script>` element whatever the sentences hold, and short numbers.
import Foundation

/// The few pieces of JSON the viewer's data needs. Written by hand rather than with
/// `JSONSerialization`, which would print a `Float` as its `Double` (0.1 as
/// 0.10000000149011612) and would leave `<` as it is.
enum ViewerJSON {
    /// A JSON string of `text`, safe inside a `<script>` element of an HTML page.
    ///
    /// The HTML parser ends a script element at the first `</script` and, after a `<!--`,
    /// can read a later `<script` as the start of another one; so `<` is never written as
    /// itself but as `\u003c`, and `>` and `&` likewise (as Go's `json.HTMLEscape` does),
    /// which `JSON.parse` turns back into the same text. Quotes, backslashes and control
    /// characters are escaped as JSON requires; U+2028 and U+2029, which end a line in
    /// older JavaScript, are escaped too.
    static func string(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "<", ">", "&", "\u{2028}", "\u{2029}": out += unicodeEscape(scalar)
            default:
                if scalar.value < 0x20 { out += unicodeEscape(scalar) } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out + "\""
    }

    /// `\uXXXX` for a scalar of the Basic Multilingual Plane.
    private static func unicodeEscape(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16)
        return "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
    }

    /// A weight rounded to three decimals, trailing zeros dropped (`0.872`, `0.5`, `1`):
    /// the viewer shows three, and a report's matrices stay small. JSON has no NaN or
    /// infinity, so such a weight is `null`, which the viewer shows as missing.
    static func number(_ weight: Float) -> String {
        guard weight.isFinite else { return "null" }
        var text = String(format: "%.3f", Double(weight))
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text == "-0" ? "0" : text
    }

    /// A JSON array of values already written as JSON.
    static func array(_ items: [String]) -> String { "[" + items.joined(separator: ",") + "]" }

    /// A JSON object of fields whose values are already written as JSON, in the given order.
    static func object(_ fields: [(key: String, value: String)]) -> String {
        "{" + fields.map { string($0.key) + ":" + $0.value }.joined(separator: ",") + "}"
    }
}
