/// Tests for the safetensors format: round trips, exact bits, every malformed-file error,
/// and a file written by Python's own `safetensors` package.
import Foundation
import Testing
@testable import Files

/// Two small tensors whose encoded header is known exactly.
private let pair = [
    NamedArray(name: "a", shape: [2, 3], values: [0, 1, 2, 3, 4, 5]),
    NamedArray(name: "b", shape: [3], values: [-1, 0.5, 2]),
]

/// The bit patterns of `values`: NaN is unequal to itself, so compare these instead.
private func bits(_ values: [Float]) -> [UInt32] {
    values.map(\.bitPattern)
}

/// The header length field of an encoded file.
private func headerLength(of bytes: [UInt8]) -> Int {
    Int(bytes[0..<8].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
}

/// The JSON header of an encoded file, padding included.
private func header(of bytes: [UInt8]) -> String {
    String(decoding: bytes[8..<(8 + headerLength(of: bytes))], as: UTF8.self)
}

/// `bytes` with its header replaced by `edit(header)` and the length field updated to match.
private func editingHeader(of bytes: [UInt8], _ edit: (String) -> String) -> [UInt8] {
    let old = header(of: bytes)
    let new = Array(edit(old).utf8)
    precondition(new != Array(old.utf8), "the edit changed nothing")
    var result = withUnsafeBytes(of: UInt64(new.count).littleEndian) { Array($0) }
    result += new
    result += bytes[(8 + old.utf8.count)...]
    return result
}

/// `pair` encoded, then with `text` in its header replaced by `replacement`.
private func pairReplacing(_ text: String, with replacement: String) -> [UInt8] {
    editingHeader(of: SafeTensors.encode(pair)) { $0.replacingOccurrences(of: text, with: replacement) }
}

/// A broken file and a piece of the message that must explain it.
struct Malformed: Sendable, CustomTestStringConvertible {
    var label: String
    var bytes: [UInt8]
    var expected: String
    var testDescription: String { label }

    static let all: [Malformed] = [
        Malformed(label: "shorter than 8 bytes", bytes: [1, 0, 0], expected: "too short: 3 bytes"),
        Malformed(
            label: "header length beyond the file",
            bytes: withUnsafeBytes(of: UInt64(1000).littleEndian) { Array($0) } + Array("{}".utf8),
            expected: "header length 1000 goes beyond the end of the file (10 bytes)"),
        Malformed(
            label: "header not JSON", bytes: pairReplacing("{\"a\":", with: "{a:"),
            expected: "header is not valid JSON"),
        Malformed(
            label: "header not an object",
            bytes: editingHeader(of: SafeTensors.encode([])) { _ in "[1, 2]  " },
            expected: "header is not a JSON object"),
        Malformed(
            label: "metadata not strings",
            bytes: editingHeader(of: SafeTensors.encode([])) { _ in #"{"__metadata__":{"step":3}}"# },
            expected: "__metadata__ is not an object of strings"),
        Malformed(
            label: "entry not an object", bytes: pairReplacing(#""b":{"#, with: #""b":[1],"c":{"#),
            expected: "tensor \"b\" is not described by a JSON object"),
        Malformed(
            label: "dtype missing", bytes: pairReplacing(#""dtype":"F32","shape":[3]"#, with: #""shape":[3]"#),
            expected: "tensor \"b\" has no dtype"),
        Malformed(
            label: "dtype F16", bytes: pairReplacing(#""F32","shape":[3]"#, with: #""F16","shape":[3]"#),
            expected: "tensor \"b\" has dtype F16, but only F32 is supported"),
        Malformed(
            label: "negative dimension", bytes: pairReplacing("[2,3]", with: "[-2,3]"),
            expected: "tensor \"a\" has a shape that is not a list of non-negative integers"),
        Malformed(
            label: "fractional dimension", bytes: pairReplacing("[2,3]", with: "[2.5,3]"),
            expected: "tensor \"a\" has a shape that is not a list of non-negative integers"),
        Malformed(
            label: "Boolean dimension", bytes: pairReplacing("[3]", with: "[true]"),
            expected: "tensor \"b\" has a shape that is not a list of non-negative integers"),
        Malformed(
            label: "shape not a list", bytes: pairReplacing("[3]", with: "3"),
            expected: "tensor \"b\" has a shape that is not a list of non-negative integers"),
        Malformed(
            label: "one offset", bytes: pairReplacing("[24,36]", with: "[24]"),
            expected: "tensor \"b\" has data_offsets that are not two non-negative integers"),
        Malformed(
            label: "offsets backwards", bytes: pairReplacing("[24,36]", with: "[36,24]"),
            expected: "tensor \"b\" has data_offsets [36, 24] that end before they begin"),
        Malformed(
            label: "offsets not matching the shape", bytes: pairReplacing("[2,3]", with: "[2,2]"),
            expected: "tensor \"a\" has shape [2, 2], which needs 16 bytes, but data_offsets [0, 24] hold 24"),
        Malformed(
            label: "shape too large", bytes: pairReplacing("[2,3]", with: "[4611686018427387904,4]"),
            expected: "tensor \"a\" has shape [4611686018427387904, 4], too large to hold"),
        Malformed(
            label: "overlapping offsets", bytes: pairReplacing("[24,36]", with: "[20,32]"),
            expected: "tensors \"a\" and \"b\" overlap: data_offsets [0, 24] and [20, 32]"),
        Malformed(
            label: "offsets out of range", bytes: pairReplacing("[24,36]", with: "[4000,4012]"),
            expected: "bytes 24..<4000 of the data belong to no tensor (tensor \"b\" starts at 4000)"),
        Malformed(
            label: "truncated", bytes: Array(SafeTensors.encode(pair).dropLast(5)),
            expected: "truncated: header promises 36 bytes of data, file has 31"),
        Malformed(
            label: "trailing bytes", bytes: SafeTensors.encode(pair) + [0, 0, 0, 0],
            expected: "4 trailing bytes: header accounts for 36 bytes of data, file has 40"),
    ]
}

struct SafeTensorsTests {
    @Test func roundTripsArraysScalarsEmptyTensorsAndMetadata() throws {
        let arrays = [
            NamedArray(name: "encoder.embedding.weight", shape: [3, 2], values: [1, 2, 3, 4, 5, 6]),
            NamedArray(name: "empty", shape: [0, 5], values: []),
            NamedArray(name: "scalar", shape: [], values: [42]),
            NamedArray(name: "bias", shape: [4], values: [0.25, -0.5, 1e-3, 7]),
        ]
        let metadata = ["format_version": "1", "note": "ünïcode / \"quotes\""]
        let decoded = try SafeTensors.decode(SafeTensors.encode(arrays, metadata: metadata), path: "memory")
        #expect(decoded.arrays == arrays)
        #expect(decoded.metadata == metadata)
    }

    @Test func roundTripsNothing() throws {
        let decoded = try SafeTensors.decode(SafeTensors.encode([]), path: "memory")
        #expect(decoded.arrays.isEmpty)
        #expect(decoded.metadata.isEmpty)
    }

    @Test func keepsEveryBitOfEveryFloat() throws {
        let awkward: [Float] = [
            -0.0, 0.0, .leastNonzeroMagnitude, -.leastNormalMagnitude.nextDown, .greatestFiniteMagnitude,
            .infinity, -.infinity, Float(bitPattern: 0x7FC0_1234), Float(bitPattern: 0xFFA0_0001),
            Float(bitPattern: 0x7F80_0001), .pi,
        ]
        let arrays = [NamedArray(name: "awkward", shape: [awkward.count], values: awkward)]
        let decoded = try SafeTensors.decode(SafeTensors.encode(arrays), path: "memory")
        #expect(bits(decoded.arrays[0].values) == bits(awkward))
    }

    /// The exact bytes: sorted keys, no spaces, space padding to a multiple of 8, and data
    /// in the order given even when that is not the order of the names.
    @Test func encodesDeterministically() {
        let arrays = [pair[1], pair[0]]
        let bytes = SafeTensors.encode(arrays, metadata: ["z": "1", "a": "2"])
        let expectedJSON = #"{"__metadata__":{"a":"2","z":"1"},"#
            + #""a":{"data_offsets":[12,36],"dtype":"F32","shape":[2,3]},"#
            + #""b":{"data_offsets":[0,12],"dtype":"F32","shape":[3]}}"#
        let padded = expectedJSON + String(repeating: " ", count: (8 - expectedJSON.utf8.count % 8) % 8)
        #expect(header(of: bytes) == padded)
        #expect(headerLength(of: bytes) % 8 == 0)
        #expect(bytes.count == 8 + padded.utf8.count + 4 * 9)
        #expect(SafeTensors.encode(arrays, metadata: ["a": "2", "z": "1"]) == bytes)
        let data = bytes[(8 + padded.utf8.count)...]
        let firstValues = data.prefix(12).withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
        #expect(firstValues == pair[1].values)
    }

    @Test(arguments: Malformed.all)
    func rejectsMalformedFiles(_ file: Malformed) throws {
        let path = "checkpoints/tiny/best.safetensors"
        let error = try #require(throws: SafeTensorsError.self) {
            try SafeTensors.decode(file.bytes, path: path)
        }
        #expect(error.description == "\(path): \(error.reason)")
        #expect(error.reason.contains(file.expected), "\(error.reason)")
        #expect(!error.description.contains("\n"))
    }

    /// The example message of the design, word for word.
    @Test func namesTheFileWhenTruncated() throws {
        let bytes = Array(SafeTensors.encode(pair).dropLast(4))
        let error = try #require(throws: SafeTensorsError.self) {
            try SafeTensors.decode(bytes, path: "checkpoints/tiny/best.safetensors")
        }
        #expect(error.description == "checkpoints/tiny/best.safetensors: truncated: header promises 36 bytes of data, file has 32")
    }

    @Test func writesAndReadsAFile() throws {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("SafeTensorsTests-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = "\(folder)/last.safetensors"
        try SafeTensors.write(pair, metadata: ["step": "12"], to: path)
        let loaded = try SafeTensors.read(path)
        #expect(loaded.arrays == pair)
        #expect(loaded.metadata == ["step": "12"])
    }

    @Test func reportsAMissingFile() throws {
        let path = "/nonexistent-\(UUID().uuidString)/best.safetensors"
        let error = try #require(throws: SafeTensorsError.self) { try SafeTensors.read(path) }
        #expect(error.description == "\(path): cannot open: No such file or directory")
    }

    /// Written by `scripts/make_safetensors_fixture.py` with Hugging Face's `safetensors`.
    @Test func readsAFileWrittenByPython() throws {
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/python.safetensors").path
        let (arrays, metadata) = try SafeTensors.read(fixture)

        #expect(metadata == ["format": "np", "written_by": "make_safetensors_fixture.py"])
        #expect(arrays.map(\.name) == ["empty", "encoder.bias", "encoder.weight", "scale"])
        #expect(arrays.map(\.shape) == [[0, 4], [5], [2, 3], []])
        #expect(arrays[0].values.isEmpty)
        let bias = arrays[1].values
        #expect(bits(Array(bias[0...2])) == bits([-0.0, .leastNonzeroMagnitude, .infinity]))
        #expect(bias[3].isNaN)
        #expect(bias[4] == -2.5)
        #expect(arrays[2].values == [0, 1, 2, 3, 4, 5])
        #expect(arrays[3].values == [0.125])
    }
}
