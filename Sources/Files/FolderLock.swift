/// One process at a time in a folder: an advisory lock on a file inside it, which the
/// kernel releases when the process ends, however it ends.
import Foundation

/// Holds a folder for one process while a piece of work runs, so that a second process
/// doing the same work in the same folder is refused instead of removing or overwriting
/// the first one's files under it.
///
/// The lock is `flock(LOCK_EX | LOCK_NB)` on the file ``fileName`` in the folder. The
/// kernel drops it when its descriptor is closed, so also when the process is killed,
/// even by `SIGKILL`: a lock can never outlive its holder and need clearing by hand.
/// The file itself stays (it only ever holds a note of who holds it): removing it while a
/// process holds it would let a second process create a new one and lock that, and two
/// processes would think they held the folder.
///
/// The holder writes into the file who it is (``Holder``), so that a process refused can
/// name it. The lock is advisory: it keeps out only processes that ask for it, and on a
/// network file system it is only as good as that system's `flock`.
public enum FolderLock {
    /// The lock file's name, hidden so that a listing of the folder shows its real files.
    public static let fileName = ".lock"

    /// Who holds a folder, as recorded in its lock file.
    struct Holder: Codable, Equatable, CustomStringConvertible {
        /// What the holder is doing, e.g. "nmt train".
        var command: String
        var process: Int32
        var host: String
        /// When it took the lock, in ISO 8601 (UTC).
        var since: String

        /// How a refusal names the holder: "nmt train (process 4242 since …)", with the
        /// host only when it is not this one (a folder on a shared file system).
        var description: String {
            let place = host == thisHost ? "" : " on \(host)"
            return "\(command) (process \(process)\(place) since \(since))"
        }

        /// The holder recorded in `bytes`, or nil if they are not a record this type wrote:
        /// the lock file is read back into an error message, so a damaged or foreign one
        /// must not put line breaks or pages of text into it.
        init?(recorded bytes: [UInt8]) {
            guard let holder = try? JSONDecoder().decode(Holder.self, from: Data(bytes)) else { return nil }
            let breaks: [Unicode.GeneralCategory] = [.control, .lineSeparator, .paragraphSeparator]
            let fields = [holder.command, holder.host, holder.since]
            guard fields.allSatisfy({ field in
                field.count <= 200 && !field.unicodeScalars.contains { breaks.contains($0.properties.generalCategory) }
            }) else { return nil }
            self = holder
        }

        init(command: String) {
            self.command = command
            process = getpid()
            host = thisHost
            since = ISO8601DateFormatter().string(from: Date())
        }
    }

    /// Runs `body` holding `folder` (which must exist) for `command`, and releases the
    /// folder when `body` returns or throws.
    ///
    /// A folder held by another process is refused with one line naming it:
    /// `checkpoints/tiny: in use by nmt train (process 4242 since …); …`.
    public static func holding<T>(_ folder: String, for command: String, _ body: () throws -> T) throws -> T {
        let path = (folder as NSString).appendingPathComponent(fileName)
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            if errno == ENOENT { throw InputError(path: folder, "no such folder") }
            throw InputError(path: path, "cannot open the lock file: \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            if errno == EINTR { continue }
            guard errno == EWOULDBLOCK else {
                throw InputError(path: path, "cannot lock: \(String(cString: strerror(errno)))")
            }
            // The holder writes its record just after taking the lock; in that instant,
            // or if the file was damaged, there is no name to give.
            let holder = Holder(recorded: readAll(descriptor)).map(\.description) ?? "another process"
            throw InputError(path: folder, "in use by \(holder); wait for it to end or stop it, or choose another folder")
        }
        try record(Holder(command: command), in: descriptor, path: path)
        // Emptied before the kernel drops the lock, so the file never names a holder that
        // has finished (one that was killed leaves its record, but no lock).
        defer { _ = ftruncate(descriptor, 0) }
        return try body()
    }

    /// Replaces the lock file's contents with `holder`'s record.
    private static func record(_ holder: Holder, in descriptor: Int32, path: String) throws {
        // Only strings and an integer go in, so encoding cannot fail.
        let bytes = Array(try! JSONEncoder().encode(holder)) + [0x0A]
        let written = bytes.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
        // Cut what a longer earlier record left after this one.
        guard written == bytes.count, ftruncate(descriptor, off_t(bytes.count)) == 0 else {
            throw InputError(path: path, "cannot write the lock file: \(String(cString: strerror(errno)))")
        }
    }

    /// The first few kilobytes of the file open as `descriptor`: more than any record.
    private static func readAll(_ descriptor: Int32) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: 4096)
        let count = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, 0) }
        return Array(bytes.prefix(max(count, 0)))
    }
}

/// This machine's name, to tell a holder here from one on another machine.
private let thisHost: String = {
    var name = [CChar](repeating: 0, count: 256)
    guard gethostname(&name, name.count - 1) == 0 else { return "" }
    return String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}()
