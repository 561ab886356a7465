/// `nmt evaluate` on several checkpoints, each with the weights that did better on the
/// validation set.
import Foundation
import Testing
@testable import Files

@Suite(.enabled(if: CommandRunner.isAvailable, "the nmt binary is not built beside the tests; run swift build"))
struct EvaluateTests {
    /// Without --weights, a checkpoint with averaged weights is tested with whichever of
    /// best and averaged scores higher on --valid, and the choice is printed; every
    /// --compare adds a model to the report's table.
    @Test func choosesWeightsOnTheValidationSetAndComparesSeveralModels() throws {
        let fixture = try CommandFixture()
        let (arrays, metadata) = try SafeTensors.read(fixture.path("model/best.safetensors"))
        try SafeTensors.write(arrays.map { NamedArray(name: $0.name, shape: $0.shape, values: $0.values.map { 3 * $0 }) },
                              metadata: metadata, to: fixture.path("model/averaged.safetensors"))
        for copy in ["second", "third"] {
            try FileManager.default.copyItem(atPath: fixture.path("model"), toPath: fixture.path(copy))
        }
        try FileManager.default.removeItem(atPath: fixture.path("third/averaged.safetensors"))

        let outcome = try CommandRunner.run(["evaluate", "--checkpoint", "model", "--compare", "second",
                                             "--compare", "third", "--test", "ok", "--valid", "valid", "--out", "report"],
                                            in: fixture.folder)
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let choices = outcome.standardOutput.split(separator: "\n").filter { $0.contains("validation BLEU") }
        #expect(choices.count == 2, "third has no averaged weights to choose")
        #expect(choices.first?.hasPrefix("model: ") == true)
        #expect(choices.allSatisfy { $0.contains("best.safetensors") && $0.contains("averaged.safetensors")
                                     && $0.hasSuffix(" on valid") })
        let report = try String(contentsOfFile: fixture.path("report/report.md"), encoding: .utf8)
        for name in ["model", "second", "third"] {
            #expect(report.contains("| \(name) (additive attention) | "))
        }

        let asked = try CommandRunner.run(["evaluate", "--checkpoint", "model", "--weights", "averaged", "--test", "ok",
                                           "--valid", "missing", "--out", "report"], in: fixture.folder, run: "asked")
        #expect(asked.status == 0, "--weights given: the validation set is not read")
        #expect(!asked.standardOutput.contains("validation BLEU"))
    }
}
