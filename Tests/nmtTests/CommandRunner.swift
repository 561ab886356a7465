/// Running the built `nmt` binary from a test, as a user or a script would.
import Foundation

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

    /// Starts nmt with `arguments` in `folder`, its standard input read from `input` and
    /// its output written to files in `folder`, without waiting for it.
    static func start(_ arguments: [String], input: Data = Data(), in folder: String) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary!)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: folder)
        let inputPath = folder + "/.stdin", outputPath = folder + "/.stdout", errorPath = folder + "/.stderr"
        try input.write(to: URL(fileURLWithPath: inputPath))
        _ = FileManager.default.createFile(atPath: outputPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errorPath, contents: nil)
        process.standardInput = FileHandle(forReadingAtPath: inputPath)
        process.standardOutput = FileHandle(forWritingAtPath: outputPath)
        process.standardError = FileHandle(forWritingAtPath: errorPath)
        try process.run()
        return process
    }

    /// Waits for a process begun by ``start(_:input:in:)`` and collects what it printed.
    static func finish(_ process: Process, in folder: String) throws -> Outcome {
        process.waitUntilExit()
        func text(_ name: String) throws -> String {
            String(decoding: try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name)), as: UTF8.self)
        }
        return Outcome(status: process.terminationStatus, standardOutput: try text(".stdout"),
                       standardError: try text(".stderr"))
    }

    /// Runs nmt to the end.
    static func run(_ arguments: [String], input: Data = Data(), in folder: String) throws -> Outcome {
        try finish(try start(arguments, input: input, in: folder), in: folder)
    }
}
