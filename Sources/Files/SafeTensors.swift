/// The safetensors file format: named Float32 arrays behind a JSON header, so that NumPy
/// and PyTorch can load our checkpoints and we can load theirs.
import Foundation

#if _endian(big)
#error("safetensors stores little-endian floats, and this file copies them as they lie in memory")
#endif

/// A named array of Float32 values in row-major order: one tensor of a safetensors file.
public struct NamedArray: Equatable, Sendable {
    public var name: String
    /// The size of each dimension; `[]` is a scalar holding one value.
    public var shape: [Int]
    public var values: [Float]

    public init(name: String, shape: [Int], values: [Float]) {
        self.name = name
        self.shape = shape
        self.values = values
    }
}

/// Why a safetensors file could not be read: one line naming the file and what is wrong.
public struct SafeTensorsError: Error, CustomStringConvertible, Equatable, Sendable {
    public let path: String
    public let reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "\(path): \(reason)" }
}

/// Reads and writes the public safetensors format, for F32 tensors only.
///
/// A file is laid out as
/// 1. 8 bytes: N, the header length, an unsigned little-endian 64-bit integer;
/// 2. N bytes: a UTF-8 JSON object mapping each tensor name to
///    `{"dtype": "F32", "shape": [...], "data_offsets": [begin, end]}`, plus an optional
///    `"__metadata__"` object of strings, padded with spaces so the data starts on a
///    multiple of 8 bytes;
/// 3. the data: every tensor's values, little-endian and row-major, where `begin` and
///    `end` count bytes from the start of the data, `end` one past the last.
///
/// The tensors' byte ranges must tile the data exactly: no gaps, no overlaps, nothing
/// after the last one. That is what the reference implementation checks too, and it
/// turns a truncated or corrupted file into an error instead of wrong weights.
public enum SafeTensors {
    /// The header key that holds free-form metadata rather than a tensor.
    private static let metadataKey = "__metadata__"
    private static let bytesPerValue = MemoryLayout<Float>.size

    // MARK: Writing

    /// The bytes of a safetensors file holding `arrays`, in the order given, and `metadata`.
    ///
    /// The header's keys are sorted, so equal inputs always give equal bytes.
    /// Names must be unique and not `__metadata__`, and each array's values must fill its shape.
    public static func encode(_ arrays: [NamedArray], metadata: [String: String] = [:]) -> [UInt8] {
        var header: [String: Any] = [:]
        var dataSize = 0
        for array in arrays {
            precondition(array.name != metadataKey, "a tensor cannot be named \(metadataKey)")
            precondition(header[array.name] == nil, "two tensors are named \(array.name)")
            precondition(array.shape.allSatisfy { $0 >= 0 }, "\(array.name) has shape \(array.shape)")
            precondition(
                array.shape.reduce(1, *) == array.values.count,
                "\(array.name) has shape \(array.shape) but \(array.values.count) values")
            let end = dataSize + array.values.count * bytesPerValue
            header[array.name] = ["dtype": "F32", "shape": array.shape, "data_offsets": [dataSize, end]]
            dataSize = end
        }
        if !metadata.isEmpty { header[metadataKey] = metadata }

        // Only strings, integers, arrays and dictionaries go in, so serialisation cannot fail.
        let json = try! JSONSerialization.data(
            withJSONObject: header, options: [.sortedKeys, .withoutEscapingSlashes])
        let headerLength = (json.count + 7) / 8 * 8

        var bytes: [UInt8] = []
        bytes.reserveCapacity(8 + headerLength + dataSize)
        withUnsafeBytes(of: UInt64(headerLength).littleEndian) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: json)
        bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: headerLength - json.count))
        for array in arrays {
            array.values.withUnsafeBytes { bytes.append(contentsOf: $0) }
        }
        return bytes
    }

    /// Writes `arrays` and `metadata` to `path` as a safetensors file, whole or not at all.
    public static func write(_ arrays: [NamedArray], metadata: [String: String] = [:], to path: String) throws {
        try AtomicFile.write(encode(arrays, metadata: metadata), to: path)
    }

    // MARK: Reading

    /// The arrays, in the order their data lies in the file, and the metadata of the
    /// safetensors file at `path`.
    public static func read(_ path: String) throws -> (arrays: [NamedArray], metadata: [String: String]) {
        try decode(readWholeFile(path), path: path)
    }

    /// The arrays, in the order their data lies in `bytes`, and the metadata of a
    /// safetensors file; `path` names the file in errors.
    ///
    /// Every number in the header is checked before it is used, so a malformed file
    /// throws a ``SafeTensorsError`` saying what is wrong, never reads out of bounds.
    public static func decode(_ bytes: [UInt8], path: String) throws
        -> (arrays: [NamedArray], metadata: [String: String])
    {
        try bytes.withUnsafeBytes { file in
            let fail = { (reason: String) in SafeTensorsError(path: path, reason: reason) }
            guard file.count >= 8 else {
                throw fail("too short: \(file.count) bytes, but a safetensors file starts with an 8-byte header length")
            }
            let headerLength = UInt64(littleEndian: file.loadUnaligned(as: UInt64.self))
            guard headerLength <= UInt64(file.count - 8) else {
                throw fail("header length \(headerLength) goes beyond the end of the file (\(file.count) bytes)")
            }
            let dataStart = 8 + Int(headerLength)
            let header = try parseHeader(UnsafeRawBufferPointer(rebasing: file[8..<dataStart]), fail: fail)
            let data = UnsafeRawBufferPointer(rebasing: file[dataStart...])
            let entries = try layOut(header.entries, dataSize: data.count, fail: fail)

            let arrays = entries.map { entry in
                let count = (entry.end - entry.begin) / bytesPerValue
                let values = [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
                    UnsafeMutableRawBufferPointer(buffer).copyMemory(
                        from: UnsafeRawBufferPointer(rebasing: data[entry.begin..<entry.end]))
                    initialized = count
                }
                return NamedArray(name: entry.name, shape: entry.shape, values: values)
            }
            return (arrays, header.metadata)
        }
    }

    /// One tensor as the header describes it, checked on its own but not yet against the others.
    private struct Entry {
        var name: String
        var shape: [Int]
        var begin: Int
        var end: Int
    }

    /// The tensors and metadata a header describes, each entry checked on its own.
    private static func parseHeader(
        _ bytes: UnsafeRawBufferPointer, fail: (String) -> SafeTensorsError
    ) throws -> (entries: [Entry], metadata: [String: String]) {
        guard let json = try? JSONSerialization.jsonObject(with: Data(bytes)) else {
            throw fail("header is not valid JSON")
        }
        guard let object = json as? [String: Any] else {
            throw fail("header is not a JSON object")
        }
        var metadata: [String: String] = [:]
        if let value = object[metadataKey] {
            guard let strings = value as? [String: String] else {
                throw fail("\(metadataKey) is not an object of strings")
            }
            metadata = strings
        }
        let entries = try object.keys.filter { $0 != metadataKey }.sorted().map { name in
            try parseEntry(name: name, object[name]!, fail: fail)
        }
        return (entries, metadata)
    }

    /// One tensor's entry, checking that its dtype is F32 and that its byte range holds
    /// exactly as many floats as its shape asks for.
    private static func parseEntry(
        name: String, _ value: Any, fail: (String) -> SafeTensorsError
    ) throws -> Entry {
        let tensor = "tensor \"\(name)\""
        guard let fields = value as? [String: Any] else {
            throw fail("\(tensor) is not described by a JSON object")
        }
        guard let dtype = fields["dtype"] as? String else {
            throw fail("\(tensor) has no dtype")
        }
        guard dtype == "F32" else {
            throw fail("\(tensor) has dtype \(dtype), but only F32 is supported")
        }
        guard let shape = naturalNumbers(fields["shape"]) else {
            throw fail("\(tensor) has a shape that is not a list of non-negative integers")
        }
        guard let offsets = naturalNumbers(fields["data_offsets"]), offsets.count == 2 else {
            throw fail("\(tensor) has data_offsets that are not two non-negative integers")
        }
        let (begin, end) = (offsets[0], offsets[1])
        guard begin <= end else {
            throw fail("\(tensor) has data_offsets [\(begin), \(end)] that end before they begin")
        }
        var needed = bytesPerValue
        for size in shape {
            let (product, overflow) = needed.multipliedReportingOverflow(by: size)
            guard !overflow else { throw fail("\(tensor) has shape \(shape), too large to hold") }
            needed = product
        }
        guard end - begin == needed else {
            throw fail("\(tensor) has shape \(shape), which needs \(needed) bytes, but data_offsets [\(begin), \(end)] hold \(end - begin)")
        }
        return Entry(name: name, shape: shape, begin: begin, end: end)
    }

    /// The entries in the order of their data, after checking that their byte ranges
    /// tile the data from its first byte to its last with no gap and no overlap.
    private static func layOut(
        _ entries: [Entry], dataSize: Int, fail: (String) -> SafeTensorsError
    ) throws -> [Entry] {
        let ordered = entries.sorted { ($0.begin, $0.end, $0.name) < ($1.begin, $1.end, $1.name) }
        var previous: Entry?
        for entry in ordered {
            let covered = previous?.end ?? 0
            if let previous, entry.begin < covered {
                throw fail("tensors \"\(previous.name)\" and \"\(entry.name)\" overlap: data_offsets [\(previous.begin), \(previous.end)] and [\(entry.begin), \(entry.end)]")
            }
            if entry.begin > covered {
                throw fail("bytes \(covered)..<\(entry.begin) of the data belong to no tensor (tensor \"\(entry.name)\" starts at \(entry.begin))")
            }
            previous = entry
        }
        let covered = ordered.last?.end ?? 0
        if covered > dataSize {
            throw fail("truncated: header promises \(covered) bytes of data, file has \(dataSize)")
        }
        if covered < dataSize {
            throw fail("\(dataSize - covered) trailing bytes: header accounts for \(covered) bytes of data, file has \(dataSize)")
        }
        return ordered
    }

    /// The value as a list of non-negative integers, or nil if it is anything else.
    ///
    /// JSONSerialization hands numbers back as NSNumber, which converts all too readily:
    /// `true` and `3.0` would pass for 1 and 3. The number's storage type tells the integers
    /// apart (signed "q", "l", "i", "s"; unsigned "Q", "L", "I", "S"; Booleans are "c").
    private static func naturalNumbers(_ value: Any?) -> [Int]? {
        guard let list = value as? [Any] else { return nil }
        var result: [Int] = []
        for element in list {
            guard let number = element as? NSNumber else { return nil }
            switch String(cString: number.objCType) {
            case "q", "l", "i", "s":
                guard number.int64Value >= 0, let n = Int(exactly: number.int64Value) else { return nil }
                result.append(n)
            case "Q", "L", "I", "S":
                guard let n = Int(exactly: number.uint64Value) else { return nil }
                result.append(n)
            default:
                return nil
            }
        }
        return result
    }
}

/// The whole contents of the file at `path`, or a ``SafeTensorsError`` with the system's reason.
private func readWholeFile(_ path: String) throws -> [UInt8] {
    let fail = { (action: String) in
        SafeTensorsError(path: path, reason: "\(action): \(String(cString: strerror(errno)))")
    }
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { throw fail("cannot open") }
    defer { close(descriptor) }
    var status = stat()
    guard fstat(descriptor, &status) == 0 else { throw fail("cannot read its size") }
    guard (status.st_mode & S_IFMT) == S_IFREG else {
        throw SafeTensorsError(path: path, reason: "not a regular file")
    }
    let size = Int(status.st_size)
    return try [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
        while count < size {
            let got = read(descriptor, buffer.baseAddress! + count, size - count)
            if got < 0 && errno == EINTR { continue }
            guard got >= 0 else { throw fail("cannot read") }
            guard got > 0 else { break }  // the file shrank while we read; decoding will say so
            count += got
        }
    }
}
