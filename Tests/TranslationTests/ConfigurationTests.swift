/// Reading config.json and --config files: defaults in a --config file, every setting in
/// a checkpoint's, and every kind of bad value refused with the setting's name.
import Foundation
import Testing
import Files
@testable import Translation

struct ConfigurationTests {
    func problem(_ json: String) -> String? {
        do {
            _ = try Configuration.parse(json, path: "c.json", as: .overrides)
            return nil
        } catch {
            return error.description
        }
    }

    @Test func keysLeftOutKeepTheirDefaults() throws {
        var expected = Configuration()
        expected.training.batchSize = 8
        #expect(try Configuration.parse(#"{"training": {"batchSize": 8}}"#, path: "c.json", as: .overrides) == expected)
    }

    /// Foundation's decoder reports a number it cannot convert without naming its key;
    /// `seed: -1` used to give ": The given data was not valid JSON."
    @Test func outOfRangeValuesAreNamed() {
        #expect(problem(#"{"model": {"embeddingSize": -1}}"#)
                == "c.json: model.embeddingSize must be between 1 and 65536, got -1")
        #expect(problem(#"{"model": {"dropout": 1.5}}"#) == "c.json: model.dropout must be in [0, 1), got 1.5")
        #expect(problem(#"{"training": {"batchSize": 0}}"#) == "c.json: training.batchSize must be at least 1, got 0")
        #expect(problem(#"{"training": {"threads": 0}}"#) == "c.json: training.threads must be at least 1, got 0")
        #expect(problem(#"{"training": {"seed": -1}}"#)
                == "c.json: training.seed: -1 is not a valid value (the default is 1)")
        #expect(problem(#"{"training": {"batchSize": 3.5}}"#)
                == "c.json: training.batchSize: 3.5 is not a valid value (the default is 32)")
        #expect(problem(#"{"model": {"attention": "bahdanau"}}"#)
                == "c.json: model.attention: \"bahdanau\" is not a valid value (the default is \"additive\")")
        #expect(problem(#"{"training": {"learningRate": 1e400}}"#) == "c.json: not valid JSON")
        #expect(problem(#"{"training": {"epochs": 3}}"#)?.hasPrefix("c.json: unknown setting training.epochs") == true)
        #expect(problem("[1, 2]") == "c.json: not a JSON object")
    }

    /// The attention kinds' settings: nonsense is refused whatever the kind, and what a
    /// kind needs of the other sizes only for that kind.
    @Test func attentionKindSettingsAreChecked() {
        #expect(problem(#"{"model": {"attention": "dot", "decoderHiddenSize": 100}}"#)
                == "c.json: dot attention needs model.decoderHiddenSize (100) equal to twice "
                    + "model.encoderHiddenSize (2 × 128 = 256)")
        #expect(problem(#"{"model": {"attention": "dot"}}"#) == nil, "D = 2H = 256 by default")
        #expect(problem(#"{"model": {"attention": "multi-head", "attentionHeads": 3}}"#)
                == "c.json: model.attentionHeads 3 must divide model.attentionSize 128 for multi-head attention")
        #expect(problem(#"{"model": {"attentionHeads": 3}}"#) == nil, "additive attention reads no heads")
        #expect(problem(#"{"model": {"attentionHeads": 0}}"#)
                == "c.json: model.attentionHeads must be between 1 and 65536, got 0")
        #expect(problem(#"{"model": {"attentionWindow": 0}}"#)
                == "c.json: model.attentionWindow must be between 1 and 65536, got 0")
        #expect(problem(#"{"model": {"locationFilters": 0}}"#)
                == "c.json: model.locationFilters must be between 1 and 65536, got 0")
        #expect(problem(#"{"model": {"locationWidth": 4}}"#)
                == "c.json: model.locationWidth must be odd, between 1 and 65536, got 4")
        #expect(problem(#"{"model": {"attention": "scaled-dot"}}"#) == nil)
        let defaults = ModelConfig()
        #expect((defaults.attentionHeads, defaults.attentionWindow, defaults.locationFilters, defaults.locationWidth)
                == (4, 5, 10, 5))
    }

    /// A size so large that a weight matrix's element count would overflow used to be
    /// accepted, and building the model then crashed.
    @Test func sizesTooLargeToAllocateAreRefused() {
        #expect(problem(#"{"model": {"decoderHiddenSize": 4294967296}}"#)
                == "c.json: model.decoderHiddenSize must be between 1 and 65536, got 4294967296")
        #expect(problem(#"{"model": {"attentionSize": 65536}}"#) == nil)
    }

    /// A complete config.json, as JSON, with some settings changed from their defaults,
    /// and then with each setting in `changes` (sections joined by dots) set to its value,
    /// or left out where that is nil.
    func checkpointJSON(_ changes: [String: Any?] = [:]) throws -> String {
        var config = Configuration()
        config.model.decoderHiddenSize = 64
        config.training.labelSmoothing = 0.1
        config.training.averageLast = 3
        config.vocabulary.merges = 10
        var object = try JSONSerialization.jsonObject(with: JSONEncoder().encode(config)) as! [String: Any]
        for (setting, value) in changes {
            let keys = setting.split(separator: ".").map(String.init)
            var section = object[keys[0]] as! [String: Any]
            section[keys[1]] = value
            object[keys[0]] = section
        }
        return String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }

    /// A model setting deleted from a checkpoint's config.json used to load with the
    /// default in its place: another model than the one trained, or a confusing shape error.
    @Test func aCheckpointMustHoldEverySetting() throws {
        let text = try checkpointJSON(["model.decoderHiddenSize": nil])
        let error = #expect(throws: InputError.self) { try Configuration.parse(text, path: "c.json", as: .checkpoint) }
        #expect(error?.description == "c.json: missing setting model.decoderHiddenSize")
        #expect(try Configuration.parse(text, path: "c.json", as: .overrides).model.decoderHiddenSize == 256)

        let sectionless = #expect(throws: InputError.self) {
            try Configuration.parse(#"{"formatVersion": 1}"#, path: "c.json", as: .checkpoint)
        }
        #expect(sectionless?.description == "c.json: missing setting model.attention (and 19 more)")
    }

    /// Settings added after format version 1 was released may be missing from older
    /// checkpoints, and then do what was done before them (which is not always today's
    /// default: a new training averages its last five validations).
    @Test(arguments: [("training.labelSmoothing", "0"), ("training.averageLast", "0"), ("vocabulary.merges", "0"),
                      ("model.architecture", #""rnn""#)])
    func aSettingAddedLaterDoesWhatWasDoneBefore(_ setting: String, _ json: String) throws {
        let before = try JSONSerialization.jsonObject(with: Data(json.utf8), options: .fragmentsAllowed)
        let given = try Configuration.parse(try checkpointJSON([setting: before]), path: "c.json", as: .checkpoint)
        let leftOut = try Configuration.parse(try checkpointJSON([setting: nil]), path: "c.json", as: .checkpoint)
        #expect(leftOut == given)
    }

    @Test func aCheckpointFromBeforeEverySettingAddedLaterLoads() throws {
        let changes = Dictionary(uniqueKeysWithValues: Configuration.settingsAddedLater.map { ($0.setting, nil as Any?) })
        let config = try Configuration.parse(try checkpointJSON(changes), path: "c.json", as: .checkpoint)
        #expect(config.training.averageLast == 0 && config.vocabulary.merges == 0 && config.model.decoderHiddenSize == 64)
    }

    /// A setting added later was loaded with its default even when the checkpoint's model
    /// came with it: a multi-head checkpoint without its heads, or a Transformer without
    /// its size, cannot predate the setting, so it has lost it and is refused.
    @Test(arguments: [("multi-head", "rnn", "model.attentionHeads"), ("local", "rnn", "model.attentionWindow"),
                      ("location", "rnn", "model.locationFilters"), ("location", "rnn", "model.locationWidth"),
                      ("additive", "transformer", "model.modelSize"), ("additive", "transformer", "model.tieOutput"),
                      ("additive", "transformer", "training.schedule"),
                      ("additive", "transformer", "training.adamEpsilon")])
    func aSettingTheModelCameWithIsRequired(_ attention: String, _ architecture: String, _ setting: String) throws {
        let kind: [String: Any?] = ["model.attention": attention, "model.architecture": architecture]
        let text = try checkpointJSON(kind.merging([setting: nil]) { $1 })
        let error = #expect(throws: InputError.self) { try Configuration.parse(text, path: "c.json", as: .checkpoint) }
        #expect(error?.description == "c.json: missing setting \(setting), which this model needs")
        #expect(try Configuration.parse(try checkpointJSON(kind), path: "c.json", as: .checkpoint).model.attention.rawValue
                == attention)
        // The same setting may be missing from a model that does not read it.
        let other: [String: Any?] = ["model.attention": "additive", "model.architecture": "rnn", setting: nil]
        #expect(try Configuration.parse(try checkpointJSON(other), path: "c.json", as: .checkpoint).model.architecture == .rnn)
    }

    /// Another version may name other settings: its number is the error, not their names.
    @Test func anotherFormatVersionIsNamedBeforeItsSettings() {
        for source in [Configuration.Source.overrides, .checkpoint] {
            let error = #expect(throws: InputError.self) {
                try Configuration.parse(#"{"formatVersion": 2, "model": {"heads": 8}}"#, path: "c.json", as: source)
            }
            #expect(error?.description == "c.json: format version 2, this nmt reads version 1")
        }
    }
}
