/// Running the built `nmt` binary from a test, as a user or a script would.
import Foundation
import Testing

/// How a run of nmt ended and what it printed.
struct Outcome {
    var status: Int32
    var standardOutput: String
    var standardError: String

    /// The first line of standard error, where a bad input must be explained.
    var firstErrorLine: Substring {
        standardError.split(separator: "\n", omittingEmptySubsequences: false)[0]
    }
}

/// The nmt binary, found beside the test bundle: both are built into the same folder.
enum CommandRunner {
    /// The binary's path, or nil when it has not been built.
    static let binary: String? = {
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        // On Linux the test binary sits in the build folder; on macOS it is three folders
        // deep inside its .xctest bundle there.
        for _ in 0..<4 {
            let candidate = folder.appendingPathComponent("nmt").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            folder.deleteLastPathComponent()
        }
        return nil
    }()

    static let isAvailable = binary != nil

    /// The hidden file in `folder` that holds a stream of the run called `run` ("" for
    /// the only one): `.stdout`, or `.second.stdout` for a second run beside the first.
    static func streamPath(_ stream: String, of run: String = "", in folder: String) -> String {
        folder + "/." + (run.isEmpty ? "" : run + ".") + stream
    }

    /// Starts nmt with `arguments` in `folder`, its standard input read from `input` and
    /// its output written to files in `folder` (named after `run`, so that runs at the
    /// same time keep theirs apart), without waiting for it.
    static func start(_ arguments: [String], input: Data = Data(), in folder: String, run: String = "") throws -> Process {
        let inputPath = streamPath("stdin", of: run, in: folder)
        try input.write(to: URL(fileURLWithPath: inputPath))
        return try start(arguments, standardInput: FileHandle(forReadingAtPath: inputPath)!, in: folder, run: run)
    }

    /// Starts nmt like ``start(_:input:in:run:)``, its standard input read from `input`
    /// as the test writes to it.
    static func start(_ arguments: [String], input: Pipe, in folder: String, run: String = "") throws -> Process {
        try start(arguments, standardInput: input, in: folder, run: run)
    }

    private static func start(_ arguments: [String], standardInput: Any, in folder: String, run: String) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary!)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: folder)
        let outputPath = streamPath("stdout", of: run, in: folder), errorPath = streamPath("stderr", of: run, in: folder)
        _ = FileManager.default.createFile(atPath: outputPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errorPath, contents: nil)
        process.standardInput = standardInput
        process.standardOutput = FileHandle(forWritingAtPath: outputPath)
        process.standardError = FileHandle(forWritingAtPath: errorPath)
        try process.run()
        return process
    }

    /// Starts nmt like ``start(_:input:in:run:)`` and returns once its standard error
    /// holds `text` (it is under way), it has ended, or two minutes have passed.
    static func start(_ arguments: [String], in folder: String, run: String = "", waitingFor text: String) throws -> Process {
        let process = try start(arguments, in: folder, run: run)
        let deadline = Date().addingTimeInterval(120)
        func seen() -> Bool {
            let written = try? String(contentsOfFile: streamPath("stderr", of: run, in: folder), encoding: .utf8)
            return written?.contains(text) == true
        }
        while !seen() && process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        return process
    }

    /// Sends `signal` to a process begun by ``start(_:input:in:run:)`` and waits for its
    /// end, killing it (and failing the test) if that does not come within a minute.
    static func stop(_ process: Process, with signal: Int32, in folder: String, run: String = "") throws -> Outcome {
        kill(process.processIdentifier, signal)
        let patience = Date().addingTimeInterval(60)
        while process.isRunning && Date() < patience { Thread.sleep(forTimeInterval: 0.02) }
        if process.isRunning {
            Issue.record("nmt did not stop within a minute of signal \(signal)")
            kill(process.processIdentifier, SIGKILL)
        }
        return try finish(process, in: folder, run: run)
    }

    /// Waits for a process begun by ``start(_:input:in:run:)`` and collects what it printed.
    static func finish(_ process: Process, in folder: String, run: String = "") throws -> Outcome {
        process.waitUntilExit()
        func text(_ stream: String) throws -> String {
            String(decoding: try Data(contentsOf: URL(fileURLWithPath: streamPath(stream, of: run, in: folder))), as: UTF8.self)
        }
        return Outcome(status: process.terminationStatus, standardOutput: try text("stdout"),
                       standardError: try text("stderr"))
    }

    /// Runs nmt to the end.
    static func run(_ arguments: [String], input: Data = Data(), in folder: String, run: String = "") throws -> Outcome {
        try finish(try start(arguments, input: input, in: folder, run: run), in: folder, run: run)
    }
}
