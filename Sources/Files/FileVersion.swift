/// Telling whether a file has been replaced or changed since it was read.
import Foundation

/// One version of the file at a path: which file it is (device and inode, which a
/// replacement by rename changes, as ``AtomicFile`` does) and its size and modification
/// time (which a write in place changes).
///
/// Taken before a file is read, it errs only one way: a file replaced between taking it
/// and reading is reported as changed although what was read is the new file, never the
/// other way round.
public struct FileVersion: Equatable, Sendable {
    public let path: String
    private let device: UInt64
    private let inode: UInt64
    private let size: Int64
    private let modified: timespec

    /// The version now at `path`, or nil when there is no file there.
    public init?(atPath path: String) {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        self.path = path
        device = UInt64(status.st_dev)
        inode = UInt64(status.st_ino)
        size = Int64(status.st_size)
        #if canImport(Darwin)
        modified = status.st_mtimespec
        #else
        modified = status.st_mtim
        #endif
    }

    /// Whether the file at `path` is still this version.
    public var isCurrent: Bool { FileVersion(atPath: path) == self }

    public static func == (a: FileVersion, b: FileVersion) -> Bool {
        (a.path, a.device, a.inode, a.size) == (b.path, b.device, b.inode, b.size)
            && (a.modified.tv_sec, a.modified.tv_nsec) == (b.modified.tv_sec, b.modified.tv_nsec)
    }
}
