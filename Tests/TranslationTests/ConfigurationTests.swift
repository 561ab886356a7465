/// Reading config.json and --config files: defaults, and every kind of bad value refused
/// with the setting's name.
import Testing
@testable import Translation

struct ConfigurationTests {
    func problem(_ json: String) -> String? {
        do {
            _ = try Configuration.parse(json, path: "c.json")
            return nil
        } catch {
            return error.description
        }
    }

    @Test func keysLeftOutKeepTheirDefaults() throws {
        var expected = Configuration()
        expected.training.batchSize = 8
        #expect(try Configuration.parse(#"{"training": {"batchSize": 8}}"#, path: "c.json") == expected)
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
}
