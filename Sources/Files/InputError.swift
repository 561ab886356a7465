/// Errors in input files, named by file and line, and the line reader that reports them.
import Foundation

/// What is wrong with an input file, in one line that an editor can jump to:
/// `path:line: message`, or `path: message` when no single line is to blame.
public struct InputError: Error, CustomStringConvertible, Equatable, Sendable {
    public let path: String
    /// The line at fault, counting from 1 as editors do; `nil` for the file as a whole.
    public let line: Int?
    public let message: String

    public init(path: String, line: Int? = nil, _ message: String) {
        self.path = path
        self.line = line
        self.message = message
    }

    public var description: String {
        if let line { "\(path):\(line): \(message)" } else { "\(path): \(message)" }
    }
}

/// The lines of a UTF-8 text file, without their line endings.
///
/// Lines end at `\n`; a `\r` before it (a Windows line ending) and a byte order mark at the
/// start of the file are removed. A final line ending does not start another line, so a
/// file of `k` lines has `k` elements whether or not it ends with a newline, and an empty
/// file has none. A missing or unreadable file, or a line that is not valid UTF-8, throws.
public func readLines(atPath path: String) throws(InputError) -> [String] {
    let bytes = try readBytes(atPath: path)
    var lines: [String] = []
    var start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
    while start < bytes.count {
        let newline = bytes[start...].firstIndex(of: 0x0A) ?? bytes.count
        var end = newline
        if end > start && bytes[end - 1] == 0x0D { end -= 1 }
        let line = bytes[start..<end]
        // Decoding replaces malformed sequences with U+FFFD, so a line that does not
        // encode back to the same bytes was not valid UTF-8.
        let text = String(decoding: line, as: UTF8.self)
        guard text.utf8.elementsEqual(line) else {
            throw InputError(path: path, line: lines.count + 1, "invalid UTF-8")
        }
        lines.append(text)
        start = newline + 1
    }
    return lines
}

/// The whole file, or an error saying why it cannot be had.
private func readBytes(atPath path: String) throws(InputError) -> [UInt8] {
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
        throw InputError(path: path, "no such file")
    }
    guard !isFolder.boolValue else { throw InputError(path: path, "is a folder, not a file") }
    guard let data = FileManager.default.contents(atPath: path) else {
        throw InputError(path: path, "cannot be read")
    }
    return [UInt8](data)
}
