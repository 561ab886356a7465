/// The Transformer's settings in config.json: read, defaulted, and refused out of range.
import Testing
@testable import Translation

struct TransformerConfigurationTests {
    func problem(_ json: String) -> String? {
        do {
            _ = try Configuration.parse(json, path: "c.json", as: .overrides)
            return nil
        } catch {
            return error.description
        }
    }

    /// The defaults train as before the settings existed: Adam's own β₂ and ε, the
    /// plateau schedule, batches of sentences.
    @Test func defaultsKeepTodaysTraining() {
        let training = TrainingConfig()
        #expect(training.schedule == .plateau && training.batchTokens == 0)
        let adam = training.optimizer(over: [])
        #expect(adam.beta2 == 0.999 && adam.epsilon == 1e-8 && adam.beta1 == 0.9)
        #expect(ModelConfig().architecture == .rnn)
    }

    @Test func readsTheRecipes() throws {
        for recipe in ["configs/transformer.json", "configs/multi30k-transformer.json"] {
            let config = try Configuration(contentsOf: repositoryPath(recipe), as: .overrides)
            #expect(config.model.architecture == .transformer, "\(recipe)")
            #expect(config.training.schedule == .inverseSqrt, "\(recipe)")
            #expect(config.training.adamBeta2 == 0.98 && config.training.adamEpsilon == 1e-9, "\(recipe)")
        }
    }

    @Test func outOfRangeValuesAreNamed() {
        let transformer = #""architecture": "transformer""#
        #expect(problem(#"{"model": {\#(transformer), "modelSize": 30, "heads": 4}}"#)
                == "c.json: model.modelSize 30 must be divisible by model.heads 4")
        #expect(problem(#"{"model": {\#(transformer), "heads": 0}}"#) == "c.json: model.heads must be at least 1, got 0")
        #expect(problem(#"{"model": {\#(transformer), "encoderLayers": 0}}"#)
                == "c.json: model.encoderLayers must be at least 1, got 0")
        #expect(problem(#"{"model": {\#(transformer), "feedForwardSize": 0}}"#)
                == "c.json: model.feedForwardSize must be between 1 and 65536, got 0")
        #expect(problem(#"{"model": {"modelSize": 30, "heads": 4}}"#) == nil, "an RNN reads no Transformer size")
        #expect(problem(#"{"training": {"schedule": "inverse-sqrt", "warmupSteps": 0}}"#)
                == "c.json: training.warmupSteps must be at least 1, got 0")
        #expect(problem(#"{"training": {"schedule": "noam"}}"#)
                == "c.json: training.schedule: \"noam\" is not a valid value (the default is \"plateau\")")
        #expect(problem(#"{"training": {"batchTokens": -1}}"#)
                == "c.json: training.batchTokens must be 0 (batches of batchSize sentences) or more, got -1")
        #expect(problem(#"{"training": {"adamBeta2": 1}}"#) == "c.json: training.adamBeta2 must be in [0, 1), got 1.0")
        #expect(problem(#"{"training": {"adamEpsilon": 0}}"#) == "c.json: training.adamEpsilon must be positive, got 0.0")
    }
}
