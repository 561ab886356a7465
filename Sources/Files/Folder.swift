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
