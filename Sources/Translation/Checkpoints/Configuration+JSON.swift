/// Reading a configuration from JSON: unknown keys and out-of-range values are errors, and
/// a setting left out takes its default in a `--config` file but is refused in a
/// checkpoint's config.json.
import Foundation
import Files

extension Configuration {
    /// Where a configuration is read from, which decides what a setting left out means.
    public enum Source: Sendable {
        /// A `--config` file: it says what it changes, and the settings it leaves out keep
        /// their defaults.
        case overrides
        /// A checkpoint's config.json: it holds every setting its model was made and
        /// trained with, so one left out is refused, not defaulted (a default changed since
        /// would quietly build another model than the one trained). Only those in
        /// ``settingsAddedLater`` may be missing, from checkpoints written before them.
        case checkpoint
    }

    /// Reads and parses a configuration file (config.json, or a `--config` file).
    public init(contentsOf path: String, as source: Source) throws(InputError) {
        self = try Self.parse(try readLines(atPath: path).joined(separator: "\n"), path: path, as: source)
    }

    /// Parses the JSON of config.json or of a `--config` file. What a key that is left out
    /// means depends on the `source`; a key we do not know is refused, since a misspelt
    /// setting silently ignored is worse than an error.
    public static func parse(_ text: String, path: String, as source: Source) throws(InputError) -> Configuration {
        guard let json = try? JSONSerialization.jsonObject(with: Data(text.utf8)) else {
            throw InputError(path: path, "not valid JSON")
        }
        guard let user = json as? [String: Any] else { throw InputError(path: path, "not a JSON object") }
        // Another version may name other settings, so the version is checked first (a
        // value that is no whole number is refused below, like any bad value).
        if let version = user["formatVersion"] as? Int, version != currentFormatVersion {
            throw InputError(path: path, "format version \(version), this nmt reads version \(currentFormatVersion)")
        }
        let defaults = try! JSONSerialization.jsonObject(with: JSONEncoder().encode(Configuration())) as! [String: Any]
        let given = try settings(in: user, known: defaults, path: path)
        let givenNames = Set(given.map { $0.keys.joined(separator: ".") })
        let addedLater = settingsAddedLater.filter { !givenNames.contains($0.setting) }
        if source == .checkpoint {
            let optional = Set(addedLater.map(\.setting))
            let missing = settingNames(in: defaults).filter { !givenNames.contains($0) && !optional.contains($0) }
            if let first = missing.first {
                throw InputError(path: path, "missing setting \(first)" + (missing.count > 1 ? " (and \(missing.count - 1) more)" : ""))
            }
        }
        var merged = defaults
        for (keys, value) in given {
            // Each setting is decoded on its own first, because Foundation's decoder does
            // not say which key held a number it could not convert (-1 for the seed, 3.5
            // for a count).
            guard (try? decode(replacing(keys[...], with: value, in: defaults))) != nil else {
                throw InputError(path: path, "\(keys.joined(separator: ".")): \(jsonText(value)) is not a valid value "
                                 + "(the default is \(jsonText(defaultValue(keys, in: defaults))))")
            }
            merged = replacing(keys[...], with: value, in: merged)
        }
        var config: Configuration
        do {
            config = try decode(merged)
        } catch {
            throw InputError(path: path, "\(error)")
        }
        if source == .checkpoint {
            if let lost = addedLater.first(where: { $0.neededBy(config) }) {
                throw InputError(path: path, "missing setting \(lost.setting), which this model needs")
            }
            for setting in addedLater { setting.asBefore(&config) }
        }
        if let problem = config.problems.first { throw InputError(path: path, problem) }
        return config
    }

    /// The name of every setting in `object` (a configuration as JSON), sections joined
    /// with dots, in sorted order: `model.attention`, …, `vocabulary.minFrequency`.
    private static func settingNames(in object: [String: Any]) -> [String] {
        object.keys.sorted().flatMap { key in
            (object[key] as? [String: Any]).map { settingNames(in: $0).map { key + "." + $0 } } ?? [key]
        }
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
        found += attentionKindProblems
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

    // The attention kinds' settings. Each must make sense whatever the kind (config.json
    // keeps them all); what ties a setting to the other sizes is checked for the kind that
    // reads it.
    private var attentionKindProblems: [String] {
        var found: [String] = []
        let m = model
        if !(1...Self.largestSize).contains(m.attentionHeads) {
            found.append("model.attentionHeads must be between 1 and \(Self.largestSize), got \(m.attentionHeads)")
        } else if m.attention == .multiHead && m.attentionSize % m.attentionHeads != 0 {
            found.append("model.attentionHeads \(m.attentionHeads) must divide model.attentionSize \(m.attentionSize) "
                         + "for multi-head attention")
        }
        if !(1...Self.largestSize).contains(m.attentionWindow) {
            found.append("model.attentionWindow must be between 1 and \(Self.largestSize), got \(m.attentionWindow)")
        }
        if !(1...Self.largestSize).contains(m.locationFilters) {
            found.append("model.locationFilters must be between 1 and \(Self.largestSize), got \(m.locationFilters)")
        }
        if !(1...Self.largestSize).contains(m.locationWidth) || m.locationWidth % 2 == 0 {
            found.append("model.locationWidth must be odd, between 1 and \(Self.largestSize), got \(m.locationWidth)")
        }
        if m.attention == .dot && m.decoderHiddenSize != 2 * m.encoderHiddenSize {
            found.append("dot attention needs model.decoderHiddenSize (\(m.decoderHiddenSize)) equal to twice "
                         + "model.encoderHiddenSize (2 × \(m.encoderHiddenSize) = \(2 * m.encoderHiddenSize))")
        }
        return found
    }
}
