/// Tests that AtomicFile leaves either the old file or the complete new one, and never a
/// temporary file, whether the write succeeds or fails.
import Foundation
import Testing
@testable import Files

struct AtomicFileTests {
    /// A fresh empty folder for one test, removed by `cleanUp`.
    private func makeFolder() throws -> String {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("AtomicFileTests-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        return folder
    }

    private func cleanUp(_ folder: String) {
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// The names in `folder`, sorted; a leftover temporary file would show up here.
    private func names(in folder: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
    }

    private func contents(of path: String) -> [UInt8]? {
        FileManager.default.contents(atPath: path).map { Array($0) }
    }

    @Test func writesANewFile() throws {
        let folder = try makeFolder()
        defer { cleanUp(folder) }
        let bytes: [UInt8] = Array(0...255)
        try AtomicFile.write(bytes, to: "\(folder)/new.bin")
        #expect(contents(of: "\(folder)/new.bin") == bytes)
        #expect(try names(in: folder) == ["new.bin"])
    }

    @Test func replacesAnOldFileWithText() throws {
        let folder = try makeFolder()
        defer { cleanUp(folder) }
        let path = "\(folder)/config.json"
        try AtomicFile.write("old contents, longer than the new ones\n", to: path)
        try AtomicFile.write("{\"ü\": 1}\n", to: path)
        #expect(contents(of: path) == Array("{\"ü\": 1}\n".utf8))
        #expect(try names(in: folder) == ["config.json"])
    }

    @Test func writesAnEmptyFile() throws {
        let folder = try makeFolder()
        defer { cleanUp(folder) }
        try AtomicFile.write([], to: "\(folder)/empty")
        #expect(contents(of: "\(folder)/empty") == [])
    }

    @Test func failsInAMissingFolder() throws {
        let folder = try makeFolder()
        defer { cleanUp(folder) }
        let path = "\(folder)/missing/best.safetensors"
        let error = try #require(throws: AtomicFileError.self) {
            try AtomicFile.write([1, 2, 3], to: path)
        }
        #expect(error.description.hasPrefix("\(path): "))
        #expect(error.description.hasSuffix("No such file or directory"))
        #expect(!error.description.contains("\n"))
        #expect(try names(in: folder) == [])
    }

    /// A path below a regular file cannot be created, even by root; the file stays as it was.
    @Test func failsBelowARegularFileAndLeavesItIntact() throws {
        let folder = try makeFolder()
        defer { cleanUp(folder) }
        let old = "\(folder)/old.txt"
        try AtomicFile.write("old\n", to: old)
        let error = try #require(throws: AtomicFileError.self) {
            try AtomicFile.write("new\n", to: "\(old)/child.txt")
        }
        #expect(error.reason == "Not a directory")
        #expect(contents(of: old) == Array("old\n".utf8))
        #expect(try names(in: folder) == ["old.txt"])
    }

    /// Here the temporary file is written in full and only the rename fails, so this checks
    /// that the clean-up removes it and that what was at the path survives untouched.
    @Test func failsOverAFolderAndRemovesTheTemporaryFile() throws {
        let folder = try makeFolder()
        defer { cleanUp(folder) }
        let target = "\(folder)/target"
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: false)
        try AtomicFile.write("inside\n", to: "\(target)/inside.txt")

        let error = try #require(throws: AtomicFileError.self) {
            try AtomicFile.write([UInt8](repeating: 7, count: 100_000), to: target)
        }
        #expect(error.description.hasPrefix("\(target): cannot replace the file: "))
        #expect(try names(in: folder) == ["target"])
        #expect(try names(in: target) == ["inside.txt"])
        #expect(contents(of: "\(target)/inside.txt") == Array("inside\n".utf8))
    }

    /// Writers racing on one path each leave a whole file: the last rename wins, intact.
    @Test func concurrentWritersLeaveOneWholeFile() throws {
        let folder = try makeFolder()
        defer { cleanUp(folder) }
        let path = "\(folder)/shared.bin"
        let versions = (0..<8).map { [UInt8](repeating: UInt8($0), count: 200_000) }
        DispatchQueue.concurrentPerform(iterations: versions.count) { index in
            try? AtomicFile.write(versions[index], to: path)
        }
        let final = try #require(contents(of: path))
        #expect(versions.contains(final))
        #expect(try names(in: folder) == ["shared.bin"])
    }

    /// A write killed halfway leaves its temporary file; removeLeftovers removes those of
    /// the path given and nothing else.
    @Test func removesTheLeftoversOfKilledWrites() throws {
        let folder = try makeFolder()
        defer { cleanUp(folder) }
        for name in ["a.bin", ".a.bin.1f2e.tmp", ".a.bin.77.tmp", ".b.bin.1f2e.tmp", ".a.bin.keep"] {
            try AtomicFile.write("x", to: "\(folder)/\(name)")
        }
        AtomicFile.removeLeftovers(of: "\(folder)/a.bin")
        #expect(try names(in: folder) == [".a.bin.keep", ".b.bin.1f2e.tmp", "a.bin"])
    }
}
