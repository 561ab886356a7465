/// Creating the folders that checkpoints and reports go into, with errors that say why.
import Foundation

/// Creates the folder at `path` and any missing parents; `purpose` names it in the error
/// ("the checkpoint folder").
///
/// The usual reason for failing is a file standing where a folder should be, which
/// Foundation reports on Linux only as "error 512"; so the error names that file.
public func createFolder(atPath path: String, purpose: String) throws(InputError) {
    do {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    } catch {
        var ancestor = path
        while !ancestor.isEmpty && ancestor != "/" {
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: ancestor, isDirectory: &isFolder) && !isFolder.boolValue {
                throw InputError(path: path, "cannot create \(purpose): \(ancestor) is a file, not a folder")
            }
            ancestor = (ancestor as NSString).deletingLastPathComponent
        }
        throw InputError(path: path, "cannot create \(purpose): \(error.localizedDescription)")
    }
}

/// Removes the folder at `path` if it holds nothing but files named in `leftovers` (a
/// lock file): what a command that created the folder leaves when it fails before
/// writing anything there, so that the failure does not look like a training begun.
/// A folder holding anything else stays as it is.
public func removeFolderIfEmpty(atPath path: String, except leftovers: Set<String>) {
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: path),
          names.allSatisfy(leftovers.contains) else { return }
    for name in names { try? FileManager.default.removeItem(atPath: (path as NSString).appendingPathComponent(name)) }
    try? FileManager.default.removeItem(atPath: path)
}
