/// Turning an error into one line on standard error and a failing exit status.
import ArgumentParser
import Foundation

/// Runs `body`; any error it throws is printed as `error: <description>` (one line that
/// names the file and line where the error knows them) and becomes exit status 1, instead
/// of a stack trace or the argument parser's usage text.
///
/// Errors the argument parser finds itself (an unknown option, a value that does not
/// parse as a number or a choice, a missing argument) keep its own form: a first line
/// `Error: ...` that says what is wrong, then a usage summary, and status 64 (EX_USAGE).
/// That first line is all a script needs, and the status tells a misuse of the command
/// apart from bad input, so we leave it so. Range checks of our own run in here instead.
func reportingErrors(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch {
        throw failure(error)
    }
}

/// `reportingErrors` for commands that run asynchronously (`nmt serve`).
func reportingErrors(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch {
        throw failure(error)
    }
}

/// An error as the exit it becomes: printed on one line, unless it is already an exit.
private func failure(_ error: any Error) -> any Error {
    if error is ExitCode { return error }
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    return ExitCode.failure
}

/// Writes a line to standard error (progress and notes, so that standard output holds
/// only results).
func note(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
