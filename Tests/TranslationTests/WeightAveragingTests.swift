/// Checkpoint averaging: which step files the trainer keeps, and their mean.
import Foundation
import TestSupport
import Testing
@testable import Translation
@testable import Files

struct WeightAveragingTests {
    /// The fixture validates at steps 5, 10, 15 and 20; with `averageLast` 3 the folder
    /// ends with the last three step files, and averaged.safetensors is their mean.
    @Test func theTrainerKeepsAndAveragesTheLastValidations() throws {
        var fixture = try TrainingFixture()
        fixture.config.training.averageLast = 3
        var record = TrainingRecord()
        try record.run(try fixture.newTrainer())
        #expect(record.log.map(\.step) == [5, 10, 15, 20])

        let checkpoint = fixture.checkpoint
        let kept = [10, 15, 20].map(checkpoint.stepWeightsPath)
        #expect(Set(checkpoint.stepWeightsFiles()) == Set(kept))

        let saves = try kept.map { try SafeTensors.read($0).arrays }
        let averaged = try SafeTensors.read(checkpoint.averagedWeightsPath).arrays
        #expect(averaged.map(\.name) == record.weights.map(\.name))
        for (i, array) in averaged.enumerated() {
            for j in array.values.indices {
                let mean = saves.map { Double($0[i].values[j]) }.reduce(0, +) / 3
                #expect(abs(Double(array.values[j]) - mean) <= 1e-6 * max(1, abs(mean)))
            }
        }
        // Averaging changed something: the mean is not any one save.
        #expect(!saves.contains(averaged))

        // The averaged weights load and translate like any others.
        let translator = try Translator(checkpoint: checkpoint, weightsFile: "averaged.safetensors")
        #expect(translator.translate(["der hund"]).count == 1)
    }

    /// A bad early validation is left out of the mean as soon as a later one beats it by
    /// more than the margin, and never comes back; validations near the best stay.
    @Test func aBadEarlyValidationIsLeftOut() {
        func log(_ bleu: [Double]) -> [LogEntry] {
            bleu.enumerated().map { i, b in
                LogEntry(step: 10 * (i + 1), epoch: i + 1, trainLoss: 0, validLoss: 0, validBLEU: b,
                         tokensPerSecond: 0, wallSeconds: 0, learningRate: 0)
            }
        }
        func averaged(_ bleu: [Double]) -> [Int] {
            WeightAveraging.validationsToAverage(log(bleu), last: 5).map(\.step)
        }
        #expect(averaged([20]) == [10])
        #expect(averaged([20, 30.5]) == [20], "epoch 1, 10.5 below, is left out")
        #expect(averaged([20, 30.5, 31, 30.6, 31.4]) == [20, 30, 40, 50])
        #expect(averaged([20, 30.5, 31, 30.6, 31.4, 29]) == [20, 30, 40, 50], "a late bad one is left out too")
        #expect(averaged([30, 29.5, 29.2]) == [10, 20, 30], "within one point of the best")
        #expect(averaged([35, 1, 2, 3, 4, 5]).isEmpty, "the best is older than the last five")
    }

    @Test func averagingCanBeTurnedOff() throws {
        var fixture = try TrainingFixture()
        fixture.config.training.averageLast = 0
        var record = TrainingRecord()
        try record.run(try fixture.newTrainer())
        #expect(fixture.checkpoint.stepWeightsFiles().isEmpty)
        #expect(!FileManager.default.fileExists(atPath: fixture.checkpoint.averagedWeightsPath))
    }

    /// Saves of different models cannot be averaged; the error names the odd file.
    @Test func savesOfDifferentModelsAreRefused() throws {
        let folder = try TemporaryFolder()
        let a = folder.path("a.safetensors"), b = folder.path("b.safetensors")
        try SafeTensors.write([NamedArray(name: "w", shape: [2], values: [1, 3])], to: a)
        try SafeTensors.write([NamedArray(name: "w", shape: [3], values: [1, 2, 3])], to: b)
        #expect(try WeightAveraging.mean(of: [a, a]) == [NamedArray(name: "w", shape: [2], values: [1, 3])])
        let error = #expect(throws: InputError.self) { try WeightAveraging.mean(of: [a, b]) }
        #expect(error?.path == b)
    }

    /// A damaged save would make the mean NaN; the error names the save instead.
    @Test func aSaveHoldingAValueThatIsNotFiniteIsRefused() throws {
        let folder = try TemporaryFolder()
        let a = folder.path("a.safetensors"), b = folder.path("b.safetensors")
        try SafeTensors.write([NamedArray(name: "w", shape: [2], values: [1, 3])], to: a)
        try SafeTensors.write([NamedArray(name: "w", shape: [2], values: [1, .nan])], to: b)
        let error = #expect(throws: InputError.self) { try WeightAveraging.mean(of: [a, b]) }
        #expect(error?.description == "\(b): tensor w holds a non-finite value (nan) at index 1")
    }
}

