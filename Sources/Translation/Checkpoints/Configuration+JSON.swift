/// Reading a configuration from JSON: missing keys keep their defaults, unknown keys and
/// out-of-range values are errors.
import Foundation
import Files

extension Configuration {
    /// Reads and parses a configuration file (config.json, or a `--config` file).
    public init(contentsOf path: String) throws(InputError) {
        self = try Self.parse(try readLines(atPath: path).joined(separator: "\n"), path: path)
    }

    /// Parses the JSON of config.json or of a `--config` file. Keys that are left out keep
    /// their defaults, so a file need only say what it changes; a key we do not know is
    /// refused, since a misspelt setting silently ignored is worse than an error.
    public static func parse(_ text: String, path: String) throws(InputError) -> Configuration {
        guard let json = try? JSONSerialization.jsonObject(with: Data(text.utf8)) else {
            throw InputError(path: path, "not valid JSON")
        }
        guard let user = json as? [String: Any] else { throw InputError(path: path, "not a JSON object") }
        let defaults = try! JSONSerialization.jsonObject(with: JSONEncoder().encode(Configuration())) as! [String: Any]
        var merged = defaults
        for (keys, value) in try settings(in: user, known: defaults, path: path) {
            // Each setting is decoded on its own first, because Foundation's decoder does
            // not say which key held a number it could not convert (-1 for the seed, 3.5
            // for a count).
            guard (try? decode(replacing(keys[...], with: value, in: defaults))) != nil else {
                throw InputError(path: path, "\(keys.joined(separator: ".")): \(jsonText(value)) is not a valid value "
                                 + "(the default is \(jsonText(defaultValue(keys, in: defaults))))")
            }
            merged = replacing(keys[...], with: value, in: merged)
        }
        let config: Configuration
        do {
            config = try decode(merged)
        } catch {
            throw InputError(path: path, "\(error)")
        }
        guard config.formatVersion == currentFormatVersion else {
            throw InputError(path: path, "format version \(config.formatVersion), this nmt reads version \(currentFormatVersion)")
        }
        if let problem = config.problems.first { throw InputError(path: path, problem) }
        return config
    }

    /// Every setting in `user` that is not a section, as its key path and value, after
    /// checking each key against those `known`.
    private static func settings(in user: [String: Any], known: [String: Any], path: String,
                                 keyPath: [String] = []) throws(InputError) -> [(keys: [String], value: Any)] {
        var found: [(keys: [String], value: Any)] = []
        for (key, value) in user.sorted(by: { $0.key < $1.key }) {
            let keys = keyPath + [key]
            let name = keys.joined(separator: ".")
            guard let knownValue = known[key] else {
                throw InputError(path: path, "unknown setting \(name) (known: \(known.keys.sorted().joined(separator: ", ")))")
            }
            if let section = knownValue as? [String: Any] {
                guard let userSection = value as? [String: Any] else {
                    throw InputError(path: path, "\(name) must be an object")
                }
                found += try settings(in: userSection, known: section, path: path, keyPath: keys)
            } else {
                found.append((keys, value))
            }
        }
        return found
    }

    /// `object` with the setting at `keys` set to `value`.
    private static func replacing(_ keys: ArraySlice<String>, with value: Any, in object: [String: Any]) -> [String: Any] {
        var object = object
        let key = keys.first!
        object[key] = keys.count == 1 ? value : replacing(keys.dropFirst(), with: value, in: object[key] as! [String: Any])
        return object
    }

    private static func defaultValue(_ keys: [String], in defaults: [String: Any]) -> Any {
        keys.dropLast().reduce(defaults) { $0[$1] as! [String: Any] }[keys.last!]!
    }

    private static func decode(_ object: [String: Any]) throws -> Configuration {
        try JSONDecoder().decode(Configuration.self, from: JSONSerialization.data(withJSONObject: object))
    }

    /// A value read from JSON, written back as JSON text.
    private static func jsonText(_ value: Any) -> String {
        let data = try? JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed, .sortedKeys])
        return data.map { String(decoding: $0, as: UTF8.self) } ?? "\(value)"
    }

    /// The largest embedding, hidden or attention size accepted.
    public static let largestSize = 65_536

    /// Every setting that is out of range, as a sentence naming the setting; empty when
    /// the configuration can be used.
    public var problems: [String] {
        var found: [String] = []
        func positive(_ value: Int, _ name: String) {
            if value < 1 { found.append("\(name) must be at least 1, got \(value)") }
        }
        // Sizes have a ceiling too: beyond it, a weight matrix's element count (a size times
        // a vocabulary or another size) could overflow an Int.
        func size(_ value: Int, _ name: String) {
            if !(1...Self.largestSize).contains(value) {
                found.append("\(name) must be between 1 and \(Self.largestSize), got \(value)")
            }
        }
        size(model.embeddingSize, "model.embeddingSize")
        size(model.encoderHiddenSize, "model.encoderHiddenSize")
        size(model.decoderHiddenSize, "model.decoderHiddenSize")
        size(model.attentionSize, "model.attentionSize")
        if !(model.dropout >= 0 && model.dropout < 1) {
            found.append("model.dropout must be in [0, 1), got \(model.dropout)")
        }
        positive(training.batchSize, "training.batchSize")
        positive(training.maxEpochs, "training.maxEpochs")
        positive(training.maxLength, "training.maxLength")
        positive(training.threads, "training.threads")
        positive(training.patience, "training.patience")
        positive(training.decayPatience, "training.decayPatience")
        if training.averageLast < 0 { found.append("training.averageLast must be 0 (no averaging) or more, got \(training.averageLast)") }
        if training.validateEvery < 0 { found.append("training.validateEvery must be 0 (each epoch) or more, got \(training.validateEvery)") }
        if !(training.learningRate > 0 && training.learningRate.isFinite) {
            found.append("training.learningRate must be positive, got \(training.learningRate)")
        }
        if !(training.labelSmoothing >= 0 && training.labelSmoothing < 1) {
            found.append("training.labelSmoothing must be in [0, 1), got \(training.labelSmoothing)")
        }
        if !(training.clipNorm > 0) { found.append("training.clipNorm must be positive, got \(training.clipNorm)") }
        if !(training.decayFactor > 0 && training.decayFactor <= 1) {
            found.append("training.decayFactor must be in (0, 1], got \(training.decayFactor)")
        }
        positive(vocabulary.minFrequency, "vocabulary.minFrequency")
        if vocabulary.maxSize < 5 { found.append("vocabulary.maxSize must be at least 5, got \(vocabulary.maxSize)") }
        if vocabulary.merges < 0 { found.append("vocabulary.merges must be 0 (whole words) or more, got \(vocabulary.merges)") }
        return found + transformerProblems
    }

    // The Transformer's settings.

    /// The problems of the Transformer's sizes (when it is the architecture), of its
    /// schedule and batching, and of Adam's β₂ and ε.
    private var transformerProblems: [String] {
        var found: [String] = []
        func atLeastOne(_ value: Int, _ name: String) {
            if value < 1 { found.append("\(name) must be at least 1, got \(value)") }
        }
        if model.architecture == .transformer {
            for (value, name) in [(model.modelSize, "model.modelSize"), (model.feedForwardSize, "model.feedForwardSize")]
            where !(1...Self.largestSize).contains(value) {
                found.append("\(name) must be between 1 and \(Self.largestSize), got \(value)")
            }
            atLeastOne(model.heads, "model.heads")
            atLeastOne(model.encoderLayers, "model.encoderLayers")
            atLeastOne(model.decoderLayers, "model.decoderLayers")
            if model.heads >= 1 && model.modelSize % model.heads != 0 {
                found.append("model.modelSize \(model.modelSize) must be divisible by model.heads \(model.heads)")
            }
        }
        if training.schedule == .inverseSqrt { atLeastOne(training.warmupSteps, "training.warmupSteps") }
        if training.batchTokens < 0 {
            found.append("training.batchTokens must be 0 (batches of batchSize sentences) or more, got \(training.batchTokens)")
        }
        if !(training.adamBeta2 >= 0 && training.adamBeta2 < 1) {
            found.append("training.adamBeta2 must be in [0, 1), got \(training.adamBeta2)")
        }
        if !(training.adamEpsilon > 0 && training.adamEpsilon.isFinite) {
            found.append("training.adamEpsilon must be positive, got \(training.adamEpsilon)")
        }
        return found
    }
}
