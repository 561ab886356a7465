/// Damaging a file on purpose, one word at a time, as a failing disk or a careless copy would.
import Foundation

public enum DamagedFile {
    /// Overwrites the four bytes at `offset` of the file at `path` (counted from its end
    /// when negative) with `value`, little-endian as safetensors stores floats.
    public static func write(_ value: Float, at offset: Int, of path: String) throws {
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let start = offset < 0 ? bytes.count + offset : offset
        withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.replaceSubrange(start..<start + 4, with: $0) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    /// The byte at which the data of the safetensors file at `path` begins, after its
    /// 8-byte header length and its header: the first value of its first tensor in the
    /// order of the data.
    public static func safeTensorsDataStart(of path: String) throws -> Int {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)).prefix(8))
        return 8 + bytes.reversed().reduce(0) { $0 << 8 | Int($1) }
    }
}
