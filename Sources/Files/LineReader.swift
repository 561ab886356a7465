/// Reading text line by line, from a file or from standard input, with errors that name
/// the line.
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
import Foundation

/// The lines of a UTF-8 text, one at a time, in constant memory: a file or standard input
/// read the same way.
///
/// Lines end at `\n`; a `\r` before it (a Windows line ending) or at the very end, and a
/// byte order mark at the start, are removed. A final line ending does not start another
/// line, so a text of `k` lines gives `k` lines whether or not it ends with a newline, and
/// an empty one gives none. A line that is not valid UTF-8 throws, naming its number.
public final class LineReader {
    /// How errors name the input: its path, or "standard input".
    public let name: String
    private let file: UnsafeMutablePointer<FILE>
    private let closesFile: Bool
    private var buffer: UnsafeMutablePointer<CChar>? = nil
    private var capacity = 0
    private var lineNumber = 0

    /// Standard input.
    public init() {
        name = "standard input"
        file = fdopen(dup(STDIN_FILENO), "r")
        closesFile = true
    }

    /// The file at `path`; throws if it is missing, a folder or unreadable.
    public init(path: String) throws(InputError) {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw InputError(path: path, "no such file")
        }
        guard !isFolder.boolValue else { throw InputError(path: path, "is a folder, not a file") }
        guard let opened = fopen(path, "r") else { throw InputError(path: path, "cannot be read") }
        name = path
        file = opened
        closesFile = true
    }

    deinit {
        free(buffer)
        if closesFile { fclose(file) }
    }

    /// The next line, or nil at the end of the input.
    public func next() throws(InputError) -> String? {
        let length = getline(&buffer, &capacity, file)
        guard length >= 0, let buffer else {
            if ferror(file) != 0 { throw InputError(path: name, "cannot be read") }
            return nil
        }
        lineNumber += 1
        var bytes = UnsafeRawBufferPointer(start: buffer, count: length)[...]
        let ended = bytes.last == 0x0A
        if ended { bytes = bytes.dropLast() }
        if bytes.last == 0x0D { bytes = bytes.dropLast() }
        if lineNumber == 1 && bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            bytes = bytes.dropFirst(3)
            // A text that is only a byte order mark has no lines.
            if bytes.isEmpty && !ended { return nil }
        }
        guard let line = String(validating: bytes, as: UTF8.self) else {
            throw InputError(path: name, line: lineNumber, "invalid UTF-8")
        }
        return line
    }

    /// Every line left.
    public func remainingLines() throws(InputError) -> [String] {
        var lines: [String] = []
        while let line = try next() { lines.append(line) }
        return lines
    }
}

/// The lines of a UTF-8 text file, without their line endings (see `LineReader`). A
/// missing or unreadable file, or a line that is not valid UTF-8, throws.
public func readLines(atPath path: String) throws(InputError) -> [String] {
    try LineReader(path: path).remainingLines()
}

/// The lines of two line-aligned files (sources and their translations, say), refusing
/// files of different lengths, named by the second.
public func readAlignedLines(_ firstPath: String, _ secondPath: String) throws(InputError) -> ([String], [String]) {
    let first = try readLines(atPath: firstPath)
    let second = try readLines(atPath: secondPath)
    guard first.count == second.count else {
        throw InputError(path: secondPath, "\(second.count) lines, but \(firstPath) has \(first.count)")
    }
    return (first, second)
}
