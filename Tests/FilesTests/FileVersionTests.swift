/// FileVersion: a file replaced by a rename or written in place is no longer the version read.
import Foundation
import TestSupport
import Testing
@testable import Files

struct FileVersionTests {
    @Test func aFileLeftAloneIsCurrent() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("best.safetensors")
        try AtomicFile.write([1, 2, 3], to: path)
        let version = try #require(FileVersion(atPath: path))
        _ = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(version.isCurrent)
    }

    /// The same bytes saved again are another version: a training saved over the file.
    @Test func aFileReplacedByTheSameBytesIsNotCurrent() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("best.safetensors")
        try AtomicFile.write([1, 2, 3], to: path)
        let version = try #require(FileVersion(atPath: path))
        try AtomicFile.write([1, 2, 3], to: path)
        #expect(!version.isCurrent)
    }

    @Test func aFileWrittenInPlaceIsNotCurrent() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("best.safetensors")
        try AtomicFile.write([1, 2, 3], to: path)
        let version = try #require(FileVersion(atPath: path))
        let file = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try file.seekToEnd()
        try file.write(contentsOf: Data([4]))
        try file.close()
        #expect(!version.isCurrent)
    }

    @Test func aRemovedFileIsNotCurrent() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("best.safetensors")
        #expect(FileVersion(atPath: path) == nil)
        try AtomicFile.write([1], to: path)
        let version = try #require(FileVersion(atPath: path))
        try FileManager.default.removeItem(atPath: path)
        #expect(!version.isCurrent)
    }
}
