/// FolderLock: one holder at a time, named when another is refused, released however the
/// work ends. (Two processes, and a holder killed with SIGKILL, are tested on the nmt
/// binary in nmtTests.)
import Foundation
import TestSupport
import Testing
@testable import Files

struct FolderLockTests {
    func record(in folder: TemporaryFolder) -> String {
        (try? String(contentsOfFile: folder.path(FolderLock.fileName), encoding: .utf8)) ?? ""
    }

    @Test func theHolderIsRecordedWhileItHoldsTheFolder() throws {
        let folder = try TemporaryFolder()
        let seen = try FolderLock.holding(folder.url.path, for: "nmt train") { record(in: folder) }
        let holder = try #require(FolderLock.Holder(recorded: Array(seen.utf8)))
        #expect(holder.command == "nmt train")
        #expect(holder.process == getpid())
        #expect(record(in: folder).isEmpty, "a finished holder is still named")
    }

    /// flock's locks belong to an open file, so a second open in the same process is
    /// refused just as another process would be.
    @Test func aSecondHolderIsRefusedWithTheFirstNamed() throws {
        let folder = try TemporaryFolder()
        let path = folder.url.path
        let error = try FolderLock.holding(path, for: "nmt train") {
            #expect(throws: InputError.self) { try FolderLock.holding(path, for: "nmt train") {} }
        }
        let description = try #require(error).description
        #expect(description.hasPrefix("\(path): in use by nmt train (process \(getpid()) since "), "\(description)")
        #expect(description.hasSuffix("); wait for it to end or stop it, or choose another folder"))
    }

    @Test func theFolderIsReleasedWhenTheWorkFails() throws {
        struct Failure: Error {}
        let folder = try TemporaryFolder()
        #expect(throws: Failure.self) { try FolderLock.holding(folder.url.path, for: "nmt train") { throw Failure() } }
        #expect(try FolderLock.holding(folder.url.path, for: "nmt train") { 7 } == 7)
        #expect(FileManager.default.fileExists(atPath: folder.path(FolderLock.fileName)))
    }

    /// A record that is not ours is not quoted into the message.
    @Test func aDamagedRecordNamesNoOne() throws {
        let folder = try TemporaryFolder()
        let path = folder.url.path
        let error = try FolderLock.holding(path, for: "nmt train") {
            try Data(#"{"command": "nmt\ntrain", "process": 1, "host": "", "since": ""}"#.utf8)
                .write(to: URL(fileURLWithPath: folder.path(FolderLock.fileName)))
            return #expect(throws: InputError.self) { try FolderLock.holding(path, for: "nmt train") {} }
        }
        #expect(error?.message == "in use by another process; wait for it to end or stop it, or choose another folder")
    }

    @Test func aMissingFolderIsNamed() throws {
        let folder = try TemporaryFolder()
        let missing = folder.path("missing")
        let error = #expect(throws: InputError.self) { try FolderLock.holding(missing, for: "nmt train") {} }
        #expect(error?.description == "\(missing): no such folder")
    }
}
