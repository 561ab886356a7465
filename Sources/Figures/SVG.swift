/// What every figure shares: XML escaping, coordinates, estimated text widths, the document.
import Foundation

/// Small helpers for writing SVG by hand. Figures are strings: SVG is text, and a figure
/// built from a few `<rect>`, `<line>` and `<text>` elements needs no library.
public enum SVG {
    /// Fonts that exist almost everywhere; DejaVu Sans is the widest of them, and the
    /// text widths below are estimated for it so that labels fit in every one.
    static let fontFamily = "DejaVu Sans, Helvetica, Arial, sans-serif"

    /// `text` safe inside an element or a quoted attribute: the five XML specials become
    /// entities, and characters that XML 1.0 forbids even as entities (most control
    /// characters) are left out.
    public static func escaped(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                let forbidden = scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF
                if !forbidden { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }

    /// A coordinate with at most two decimals and no trailing zeros: short, exact enough
    /// for the screen, and the same on every machine.
    public static func number(_ x: Double) -> String {
        let rounded = (x * 100).rounded() / 100
        if rounded == rounded.rounded() { return String(Int(rounded)) }
        var text = String(format: "%.2f", rounded)
        while text.hasSuffix("0") { text.removeLast() }
        return text
    }

    /// The approximate width of `text` at `fontSize` pixels, from the typical advance of
    /// each kind of character in DejaVu Sans (narrow punctuation, lower case, capitals
    /// and wide letters). Used to size margins so that labels never leave the figure.
    static func textWidth(_ text: String, fontSize: Double) -> Double {
        var ems = 0.0
        for character in text {
            if "ijlt.,:;'!|()[]{} ".contains(character) {
                ems += 0.32
            } else if "mwMW@%".contains(character) {
                ems += 0.9
            } else if character.isUppercase || character.isNumber {
                ems += 0.68
            } else if character.isASCII {
                ems += 0.6
            } else {
                ems += 0.75  // accented letters, other scripts, symbols
            }
        }
        return ems * fontSize
    }

    /// A standalone SVG document of the given size around `body`, on a white background.
    public static func document(width: Double, height: Double, body: String) -> String {
        let (w, h) = (number(width.rounded(.up)), number(height.rounded(.up)))
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <svg xmlns="http://www.w3.org/2000/svg" width="\(w)" height="\(h)" viewBox="0 0 \(w) \(h)" \
            font-family="\(fontFamily)">
            <rect width="100%" height="100%" fill="white"/>
            \(body)</svg>

            """
    }

    /// A `<text>` element; `anchor` is SVG's `text-anchor` (start, middle or end).
    static func text(_ content: String, x: Double, y: Double, size: Double, anchor: String = "start",
                     extra: String = "") -> String {
        "<text x=\"\(number(x))\" y=\"\(number(y))\" font-size=\"\(number(size))\" "
            + "text-anchor=\"\(anchor)\"\(extra.isEmpty ? "" : " " + extra)>\(escaped(content))</text>\n"
    }

    /// A straight line.
    static func line(x1: Double, y1: Double, x2: Double, y2: Double, stroke: String,
                     width: Double = 1, extra: String = "") -> String {
        "<line x1=\"\(number(x1))\" y1=\"\(number(y1))\" x2=\"\(number(x2))\" y2=\"\(number(y2))\" "
            + "stroke=\"\(stroke)\" stroke-width=\"\(number(width))\"\(extra.isEmpty ? "" : " " + extra)/>\n"
    }
}
