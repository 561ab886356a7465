/// How sacreBLEU's command line prints scores.
import Foundation

/// Number and JSON formatting as sacreBLEU's command line prints scores (`--width 1`).
public enum SacreBLEUFormat {
    /// Several text lines as sacreBLEU prints them together: right-aligned at ` = `.
    public static func textReport(_ lines: [String]) -> String {
        let widths = lines.map { $0.distance(from: $0.startIndex, to: $0.firstIndex(of: "=") ?? $0.startIndex) - 1 }
        let width = widths.max() ?? 0
        return zip(widths, lines).map { String(repeating: " ", count: width - $0) + $1 }.joined(separator: "\n")
    }

    /// Several JSON objects as sacreBLEU prints them together: one list, or the object alone.
    public static func jsonReport(_ objects: [String]) -> String {
        objects.count == 1 ? objects[0] : "[\n" + objects.joined(separator: ",\n") + "\n]"
    }

    /// Python's `f"{x:.{digits}f}"`: the exact binary value rounded half to even, which
    /// C's `printf` also does.
    static func fixed(_ x: Double, digits: Int) -> String {
        String(format: "%.\(digits)f", x)
    }

    /// `json.dumps(d, indent=1, ensure_ascii=False)` of sacreBLEU's score dictionary: name,
    /// the score rounded to one decimal as a JSON number, signature, the verbose score if
    /// the metric has one, then every signature field as a string.
    ///
    /// The strings come from our own signatures and figures, which hold no character JSON
    /// would escape, so they are written between quotes as they are.
    static func json(name: String, score: Double, signature: String, verboseScore: String?) -> String {
        var fields: [(String, String)] = [
            ("name", quoted(name)),
            ("score", Double(fixed(score, digits: 1))!.description),
            ("signature", quoted(signature)),
        ]
        if let verboseScore { fields.append(("verbose_score", quoted(verboseScore))) }
        for setting in signature.split(separator: "|") {
            let parts = setting.split(separator: ":", maxSplits: 1)
            fields.append((String(parts[0]), quoted(String(parts[1]))))
        }
        let body = fields.map { " \(quoted($0.0)): \($0.1)" }.joined(separator: ",\n")
        return "{\n\(body)\n}"
    }

    private static func quoted(_ text: String) -> String { "\"\(text)\"" }
}
