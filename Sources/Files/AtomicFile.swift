/// Writing a file whole or not at all, so that a crash never leaves half a checkpoint.
import Foundation

/// Writes files so that anyone reading the path sees either the old file or the complete
/// new one, never a mixture, even if the process or the machine stops halfway.
///
/// The recipe is the classic one:
/// 1. write the bytes to a temporary file in the same folder (so that step 3 stays
///    within one file system, where a rename is atomic);
/// 2. `fsync` it, so its contents are on disk before its name is;
/// 3. `rename` it over the target, which swaps the name in one step;
/// 4. `fsync` the folder, so the new name itself survives a power cut.
///
/// Any failure removes the temporary file and throws an ``AtomicFileError``.
public enum AtomicFile {
    /// Replaces the file at `path` with `bytes`, atomically.
    public static func write(_ bytes: [UInt8], to path: String) throws {
        let (folder, name) = split(path)
        // A hidden name, unique per attempt: concurrent writers never share a temporary file.
        let suffix = String(UInt64.random(in: .min ... .max), radix: 16)
        let temporary = "\(folder)/\(temporaryPrefix(name))\(suffix)\(temporarySuffix)"

        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        guard descriptor >= 0 else {
            throw AtomicFileError(path: path, action: "cannot create a temporary file in \(folder)")
        }
        do {
            try bytes.withUnsafeBytes { try writeAll($0, to: descriptor, path: path) }
            guard fsync(descriptor) == 0 else {
                throw AtomicFileError(path: path, action: "cannot flush to disk")
            }
        } catch {
            close(descriptor)
            unlink(temporary)
            throw error
        }
        // Some file systems report a failed write only when the file is closed.
        guard close(descriptor) == 0 else {
            let failure = AtomicFileError(path: path, action: "cannot finish writing")
            unlink(temporary)
            throw failure
        }
        guard rename(temporary, path) == 0 else {
            let failure = AtomicFileError(path: path, action: "cannot replace the file")
            unlink(temporary)
            throw failure
        }
        try syncFolder(folder, path: path)
    }

    /// Replaces the file at `path` with `text` encoded as UTF-8, atomically.
    public static func write(_ text: String, to path: String) throws {
        try write(Array(text.utf8), to: path)
    }

    /// Removes the temporary files that writes to `path` left behind when their process
    /// was killed: each is as large as the file itself, and a long job killed now and
    /// then would pile them up. Only call this when no other process is writing `path`.
    public static func removeLeftovers(of path: String) {
        let (folder, name) = split(path)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
        for leftover in names where leftover.hasPrefix(temporaryPrefix(name)) && leftover.hasSuffix(temporarySuffix) {
            unlink("\(folder)/\(leftover)")
        }
    }

    private static func temporaryPrefix(_ name: String) -> String { ".\(name)." }
    private static let temporarySuffix = ".tmp"

    /// The folder holding `path` and the file's own name within it.
    private static func split(_ path: String) -> (folder: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let folder = slash == path.startIndex ? "/" : String(path[..<slash])
        return (folder, String(path[path.index(after: slash)...]))
    }
}

/// Why a file could not be written: one line naming the path, the step that failed and
/// the operating system's reason.
public struct AtomicFileError: Error, CustomStringConvertible, Sendable {
    public let path: String
    /// The step that failed, for example "cannot flush to disk".
    public let action: String
    /// The operating system's explanation, from `errno`.
    public let reason: String

    /// Captures `errno` now, before any clean-up call can overwrite it.
    init(path: String, action: String) {
        self.path = path
        self.action = action
        self.reason = String(cString: strerror(errno))
    }

    public var description: String { "\(path): \(action): \(reason)" }
}

/// Writes every byte, continuing after short writes and interrupted system calls.
private func writeAll(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32, path: String) throws {
    var offset = 0
    while offset < bytes.count {
        let written = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
        if written < 0 {
            if errno == EINTR { continue }
            throw AtomicFileError(path: path, action: "cannot write")
        }
        offset += written
    }
}

/// Flushes the folder's list of names, making the rename durable.
private func syncFolder(_ folder: String, path: String) throws {
    let descriptor = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard descriptor >= 0 else {
        throw AtomicFileError(path: path, action: "cannot open its folder to flush it")
    }
    defer { close(descriptor) }
    // Some file systems cannot flush a folder and say EINVAL; the rename is then as
    // durable as they allow, and the file is already complete.
    guard fsync(descriptor) == 0 || errno == EINVAL else {
        throw AtomicFileError(path: path, action: "cannot flush its folder to disk")
    }
}
