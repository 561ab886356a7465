/// Random bytes and random Unicode thrown at everything that reads what users give it:
/// every input must give a result or an error, never a crash.
import Foundation
import TestSupport
import Testing
@testable import Translation
@testable import Autodiff
@testable import Files
@testable import Scoring
@testable import Text

/// Random inputs from a fixed seed, so that a failure can be replayed.
struct RandomInput {
    var generator: SeededGenerator

    init(seed: UInt64) { generator = SeededGenerator(seed: seed) }

    mutating func below(_ n: Int) -> Int { Int(generator.next() % UInt64(n)) }

    /// Up to `maxLength` bytes of any value, biased towards newlines, carriage returns,
    /// spaces and the lead bytes of multi-byte UTF-8.
    mutating func bytes(maxLength: Int = 40) -> [UInt8] {
        let special: [UInt8] = [0x0A, 0x0D, 0x20, 0x00, 0xC3, 0xE2, 0xF0, 0xEF, 0xBB, 0xBF, 0x80]
        return (0..<below(maxLength + 1)).map { _ in
            below(3) == 0 ? special[below(special.count)] : UInt8(truncatingIfNeeded: generator.next())
        }
    }

    /// Up to `maxLength` characters drawn from scripts and categories that tokenizers
    /// find hard: controls, spaces of every kind, combining marks, emoji with modifiers and
    /// joiners, right-to-left and CJK text, and ASCII punctuation.
    mutating func text(maxLength: Int = 30) -> String {
        let ranges: [ClosedRange<UInt32>] = [
            0x00...0x1F, 0x20...0x7E, 0x80...0x9F, 0xA0...0xFF, 0x300...0x36F, 0x590...0x5FF,
            0x600...0x6FF, 0x900...0x97F, 0x2000...0x206F, 0x3000...0x303F, 0x4E00...0x4E80,
            0xFE00...0xFE0F, 0x1F300...0x1F64F, 0x1F3FB...0x1F3FF, 0x200D...0x200D, 0xFEFF...0xFEFF,
            0x10FFF0...0x10FFFF,
        ]
        var scalars = String.UnicodeScalarView()
        for _ in 0..<below(maxLength + 1) {
            let range = ranges[below(ranges.count)]
            let value = range.lowerBound + UInt32(below(Int(range.upperBound - range.lowerBound) + 1))
            scalars.append(Unicode.Scalar(value)!)
        }
        return String(scalars)
    }

    /// Either kind of string: random bytes decoded leniently, or random scalars.
    mutating func string() -> String {
        below(2) == 0 ? String(decoding: bytes(), as: UTF8.self) : text()
    }
}

struct FuzzTests {
    @Test func wordTokenizerRoundTripsWhatItProduces() {
        var random = RandomInput(seed: 1)
        for lowercase in [false, true] {
            let tokenizer = WordTokenizer(lowercase: lowercase)
            for _ in 0..<5_000 {
                let tokens = tokenizer.tokenize(random.string())
                #expect(!tokens.contains { $0.isEmpty || $0.contains(where: \.isWhitespace) })
                let detokenized = tokenizer.detokenize(tokens)
                #expect(tokenizer.tokenize(detokenized) == tokens, "\(tokens)")
            }
        }
    }

    @Test func tokenizer13aAndScoresTakeAnything() {
        var random = RandomInput(seed: 2)
        for _ in 0..<5_000 {
            _ = Tokenizer13a().tokenize(random.string())
        }
        for _ in 0..<200 {
            let count = 1 + random.below(4)
            let hypotheses = (0..<count).map { _ in random.string() }
            let references = (0..<count).map { _ in random.string() }
            for lowercase in [false, true] {
                let bleu = BLEU(lowercase: lowercase).corpusScore(hypotheses: hypotheses, references: references)
                let chrF = CHRF(lowercase: lowercase).corpusScore(hypotheses: hypotheses, references: references)
                #expect((0...100).contains(bleu.score) && (0...100).contains(chrF.score))
                _ = (bleu.line, bleu.json, chrF.line, chrF.json)
            }
        }
    }

    /// Random files read line by line: either lines or an error naming a line.
    @Test func readLinesReadsOrNamesTheLine() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("random.txt")
        var random = RandomInput(seed: 3)
        for _ in 0..<1_000 {
            let bytes = random.bytes(maxLength: 200)
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            do {
                let lines = try readLines(atPath: path)
                #expect(!lines.contains { $0.contains("\n") })
            } catch {
                #expect(error.line != nil && error.message == "invalid UTF-8")
            }
        }
    }

    /// Random text, and a valid configuration with one setting given a random value:
    /// a configuration or an InputError, nothing else.
    @Test func configurationParserTakesAnything() throws {
        var random = RandomInput(seed: 4)
        let values = ["-1", "0", "1", "1e400", "-1e400", "3.5", "1.5", "true", "null", "\"x\"", "[]", "{}",
                      "{\"a\": 1}", "9223372036854775807", "9223372036854775808", "18446744073709551616", "-0"]
        let keys = ["formatVersion", "model.embeddingSize", "model.dropout", "model.attention",
                    "training.seed", "training.batchSize", "training.learningRate", "training.maxEpochs",
                    "training.threads", "vocabulary.lowercase", "vocabulary.maxSize", "model", "extra"]
        for _ in 0..<3_000 {
            let text: String
            if random.below(3) == 0 {
                text = random.string()
            } else {
                let key = keys[random.below(keys.count)].split(separator: ".")
                let value = values[random.below(values.count)]
                text = key.count == 1 ? "{\"\(key[0])\": \(value)}" : "{\"\(key[0])\": {\"\(key[1])\": \(value)}}"
            }
            for source in [Configuration.Source.overrides, .checkpoint] {
                do {
                    let config = try Configuration.parse(text, path: "fuzz.json", as: source)
                    #expect(config.problems.isEmpty)
                } catch {
                    #expect(error.path == "fuzz.json")
                }
            }
        }
    }

    /// A checkpoint's complete config.json with random settings or whole sections left
    /// out: it loads only when every one left out was added later, and is otherwise
    /// refused naming the first setting missing.
    @Test func checkpointConfigurationsMustBeComplete() throws {
        let complete = try JSONSerialization.jsonObject(with: JSONEncoder().encode(Configuration())) as! [String: Any]
        let sections = complete.keys.filter { complete[$0] is [String: Any] }.sorted()
        let addedLater = Set(Configuration.settingsAddedLater.map(\.setting))
        var random = RandomInput(seed: 9)
        for _ in 0..<3_000 {
            var object = complete
            var leftOut: [String] = []
            if random.below(8) == 0 {
                object["formatVersion"] = nil
                leftOut.append("formatVersion")
            }
            for name in sections {
                var section = object[name] as! [String: Any]
                let wholly = random.below(10) == 0
                for key in section.keys.sorted() where wholly || random.below(6) == 0 {
                    section[key] = nil
                    leftOut.append(name + "." + key)
                }
                object[name] = wholly && random.below(2) == 0 ? nil : section
            }
            let text = String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
            let missing = leftOut.filter { !addedLater.contains($0) }.sorted()
            do {
                let config = try Configuration.parse(text, path: "fuzz.json", as: .checkpoint)
                #expect(missing.isEmpty, "\(text)")
                #expect(config.problems.isEmpty)
            } catch {
                let more = missing.count > 1 ? " (and \(missing.count - 1) more)" : ""
                #expect(error.description == "fuzz.json: missing setting \(missing.first ?? "")" + more)
            }
        }
    }

    /// Random bytes, and a valid safetensors file with random bytes changed, cut or
    /// added: arrays or a SafeTensorsError, never a read out of bounds.
    @Test func safeTensorsDecoderTakesAnything() throws {
        let valid = SafeTensors.encode([NamedArray(name: "a", shape: [2, 3], values: [1, 2, 3, 4, 5, 6]),
                                        NamedArray(name: "b", shape: [], values: [7])],
                                       metadata: ["format": "swift-nmt"])
        var random = RandomInput(seed: 5)
        for _ in 0..<5_000 {
            var bytes = valid
            switch random.below(4) {
            case 0: bytes = random.bytes(maxLength: 100)
            case 1: bytes = Array(bytes.prefix(random.below(bytes.count)))
            case 2: bytes += random.bytes()
            default:
                for _ in 0...random.below(4) {
                    bytes[random.below(bytes.count)] = UInt8(truncatingIfNeeded: random.generator.next())
                }
            }
            do {
                let (arrays, _) = try SafeTensors.decode(bytes, path: "fuzz")
                #expect(arrays.allSatisfy { $0.values.count == $0.shape.reduce(1, *) })
            } catch let error as SafeTensorsError {
                #expect(error.path == "fuzz")
            }
        }
    }

    /// A valid weights file with random words replaced by random bit patterns, NaNs and
    /// infinities among them: arrays that are all finite, or an error naming the first
    /// tensor and index (in the order of the data) that holds a value that is not.
    @Test func weightsReaderRefusesEveryValueThatIsNotFinite() throws {
        let arrays = [NamedArray(name: "w", shape: [3, 4], values: (0..<12).map(Float.init)),
                      NamedArray(name: "b", shape: [5], values: [0.5, -1, 2, 1e-30, 3e38]),
                      NamedArray(name: "s", shape: [], values: [-0.0])]
        let valid = SafeTensors.encode(arrays)
        let words = arrays.map(\.values.count).reduce(0, +)
        let dataStart = valid.count - 4 * words
        var random = RandomInput(seed: 8)
        for _ in 0..<5_000 {
            var bytes = valid
            for _ in 0...random.below(3) {
                let noise = UInt32(truncatingIfNeeded: random.generator.next())
                // Half of them with every exponent bit set: an infinity or a NaN.
                let bits = random.below(2) == 0 ? noise : noise | 0x7F80_0000
                let start = dataStart + 4 * random.below(words)
                withUnsafeBytes(of: bits.littleEndian) { bytes.replaceSubrange(start..<start + 4, with: $0) }
            }
            let decoded = try SafeTensors.decode(bytes, path: "fuzz").arrays
            let first = decoded.lazy.compactMap { array in
                array.values.firstIndex { !$0.isFinite }.map { (array.name, $0, array.values[$0]) }
            }.first
            do {
                try WeightsFile.requireFinite(decoded, path: "fuzz")
                #expect(first == nil)
            } catch {
                let (name, index, value) = try #require(first)
                #expect(error.description == "fuzz: tensor \(name) holds a non-finite value (\(value)) at index \(index)")
            }
        }
    }

    /// Random lock files, and records of random holders: the holder is named only from a
    /// record FolderLock could have written, and in one line. Every input goes through the
    /// reader; one in twenty-five also through a real refusal, in a folder in use.
    @Test func folderLockRecordReaderTakesAnything() throws {
        let folder = try TemporaryFolder()
        let path = folder.url.path
        var random = RandomInput(seed: 10)
        var recognised = 0
        try FolderLock.holding(path, for: "nmt train") {
            for round in 0..<5_000 {
                let record: [UInt8]
                if random.below(2) == 0 {
                    record = random.bytes(maxLength: 300)
                } else {
                    // Random text is nearly always unprintable: plain words and overlong
                    // runs half of the time, so that records also pass.
                    func field() -> String {
                        [random.string(), "nmt train", "2026-12-02T05:00:00Z", "",
                         String(repeating: "x", count: 190 + random.below(20))][random.below(2) == 0 ? 0 : 1 + random.below(4)]
                    }
                    let fields = ["command": field(), "host": field(), "since": field()]
                    var object: [String: Any] = fields.filter { _ in random.below(8) != 0 }
                    object["process"] = [Int(random.below(100_000)), -1, Int(Int32.max) + 1, 2.5][random.below(4)]
                    record = Array(try JSONSerialization.data(withJSONObject: object))
                }
                let holder = FolderLock.Holder(recorded: record)
                if holder != nil { recognised += 1 }
                let named = holder?.description ?? "another process"
                #expect(!named.contains { $0.isNewline }, "\(named)")
                guard round % 25 == 0 else { continue }
                try Data(record).write(to: URL(fileURLWithPath: folder.path(FolderLock.fileName)))
                let error = #expect(throws: InputError.self) { try FolderLock.holding(path, for: "nmt train") {} }
                let description = error?.description ?? ""
                #expect(description.hasPrefix("\(path): in use by \(named); "))
                #expect(!description.contains { $0.isNewline }, "\(description)")
            }
        }
        #expect(recognised > 100, "too few records that name a holder to test their naming")
    }

    /// A tiny random model of each architecture translates random text, greedily and with
    /// a beam, each output within its length limit; the source is cut to `maxSourceTokens`.
    @Test(arguments: ModelConfig.Architecture.allCases)
    func translatorTakesAnything(architecture: ModelConfig.Architecture) {
        let translator = randomTranslator(seed: 6, source: ["ein", "hund", ".", "😀"],
                                          target: ["a", "dog", ".", "!"], size: 3, lowercase: true,
                                          architecture: architecture)
        let limit = LengthLimit(ratio: 1, extra: 3)
        var random = RandomInput(seed: 7)
        for beam in [1, 2] {
            let sentences = (0..<150).map { _ in random.string() } + ["ein hund .", "", " \t ", "\u{0}"]
            let translations = translator.translate(sentences, beam: beam, limit: limit, batchSize: 16,
                                                    maxSourceTokens: 5)
            #expect(translations.count == sentences.count)
            for translation in translations {
                #expect(translation.sourceTokens.count <= 5)
                #expect(translation.tokens.count <= limit.maxTokens(sourceLength: translation.sourceTokens.count))
                #expect(!translation.text.contains("\n"))
            }
        }
    }
}
