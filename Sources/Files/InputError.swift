/// Errors in input files, named by file and line.
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
