/// Where a report goes: its files in a folder, each written whole or not at all.
import Files
import Foundation

extension EvaluationReport {
    /// The name of the Markdown report, the one a person opens first.
    public static let markdownFile = "report.md"
    public static let jsonFile = "report.json"

    /// Every file `write(into:)` writes, so that a new training in the same folder can
    /// remove a report of the old one.
    public static var fileNames: [String] {
        [markdownFile, jsonFile, htmlFile] + Figure.allCases.map(\.rawValue)
    }

    /// Writes the figures, the JSON, the interactive page and the Markdown into `folder`, creating it if needed.
    public func write(into folder: String) throws {
        try createFolder(atPath: folder, purpose: "the report folder")
        func path(_ file: String) -> String { (folder as NSString).appendingPathComponent(file) }
        for (file, svg) in figures { try AtomicFile.write(svg, to: path(file)) }
        try AtomicFile.write(json, to: path(Self.jsonFile))
        try AtomicFile.write(html, to: path(Self.htmlFile))
        try AtomicFile.write(markdown, to: path(Self.markdownFile))
    }
}
