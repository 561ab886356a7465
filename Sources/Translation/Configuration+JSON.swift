/// Reading a configuration from JSON: missing keys keep their defaults, unknown keys and
/// out-of-range values are errors.
import Foundation

extension Configuration {
    /// Parses the JSON of config.json or of a `--config` file. Keys that are left out keep
    /// their defaults, so a file need only say what it changes; a key we do not know is
    /// refused, since a misspelt setting silently ignored is worse than an error.
    public static func parse(_ text: String, path: String) throws(InputError) -> Configuration {
        guard let user = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
            throw InputError(path: path, "not a JSON object")
        }
        let defaults = try! JSONSerialization.jsonObject(with: JSONEncoder().encode(Configuration())) as! [String: Any]
        let merged = try merge(user, into: defaults, path: path, keyPath: "")
        let config: Configuration
        do {
            config = try JSONDecoder().decode(Configuration.self,
                                              from: JSONSerialization.data(withJSONObject: merged))
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.dataCorrupted(context) {
            let key = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw InputError(path: path, "\(key): \(context.debugDescription)")
        } catch {
            throw InputError(path: path, "\(error)")
        }
        guard config.formatVersion == currentFormatVersion else {
            throw InputError(path: path, "format version \(config.formatVersion), this nmt reads version \(currentFormatVersion)")
        }
        if let problem = config.problems.first { throw InputError(path: path, problem) }
        return config
    }

    private static func merge(_ user: [String: Any], into defaults: [String: Any],
                              path: String, keyPath: String) throws(InputError) -> [String: Any] {
        var merged = defaults
        for (key, value) in user {
            let name = keyPath.isEmpty ? key : keyPath + "." + key
            guard let known = defaults[key] else {
                throw InputError(path: path, "unknown setting \(name) (known: \(defaults.keys.sorted().joined(separator: ", ")))")
            }
            if let section = known as? [String: Any] {
                guard let userSection = value as? [String: Any] else {
                    throw InputError(path: path, "\(name) must be an object")
                }
                merged[key] = try merge(userSection, into: section, path: path, keyPath: name)
            } else {
                merged[key] = value
            }
        }
        return merged
    }

    /// Every setting that is out of range, as a sentence naming the setting; empty when
    /// the configuration can be used.
    public var problems: [String] {
        var found: [String] = []
        func positive(_ value: Int, _ name: String) {
            if value < 1 { found.append("\(name) must be at least 1, got \(value)") }
        }
        positive(model.embeddingSize, "model.embeddingSize")
        positive(model.encoderHiddenSize, "model.encoderHiddenSize")
        positive(model.decoderHiddenSize, "model.decoderHiddenSize")
        positive(model.attentionSize, "model.attentionSize")
        if !(model.dropout >= 0 && model.dropout < 1) {
            found.append("model.dropout must be in [0, 1), got \(model.dropout)")
        }
        positive(training.batchSize, "training.batchSize")
        positive(training.maxEpochs, "training.maxEpochs")
        positive(training.maxLength, "training.maxLength")
        positive(training.threads, "training.threads")
        positive(training.patience, "training.patience")
        positive(training.decayPatience, "training.decayPatience")
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
        return found
    }
}
