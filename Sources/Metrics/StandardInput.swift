/// Reading standard input as lines, with the checks and errors of a file.
import Foundation
import Files

/// The path that stands for standard input on the command line, as in most Unix tools
/// (``EvaluationCorpus/standardInput`` gives it to the command line).
let standardInputPath = "-"

/// The lines of standard input, read as ``readLines(atPath:)`` reads a file; errors name
/// "standard input". `readLines` reads files, not pipes, so standard input is first copied
/// to a temporary file.
func readStandardInputLines() throws(InputError) -> [String] {
    let data = FileHandle.standardInput.readDataToEndOfFile()
    let copy = FileManager.default.temporaryDirectory.appendingPathComponent("nmt-stdin-\(UUID().uuidString).txt")
    guard FileManager.default.createFile(atPath: copy.path, contents: data) else {
        throw InputError(path: "standard input", "cannot be copied to \(copy.path)")
    }
    defer { try? FileManager.default.removeItem(at: copy) }
    do {
        return try readLines(atPath: copy.path)
    } catch {
        throw InputError(path: "standard input", line: error.line, error.message)
    }
}

/// The lines of the file at `path`, or of standard input when `path` is ``standardInputPath``.
func readLines(atPathOrStandardInput path: String) throws(InputError) -> [String] {
    path == standardInputPath ? try readStandardInputLines() : try readLines(atPath: path)
}

/// How `path` is named in errors: "standard input" for ``standardInputPath``.
func displayName(ofPath path: String) -> String {
    path == standardInputPath ? "standard input" : path
}
