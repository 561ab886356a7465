/// Tests of choosing between best and averaged weights by validation BLEU.
import Foundation
import Testing
@testable import Translation

struct WeightsChoiceTests {
    /// The higher validation BLEU wins; on a tie the best weights stay the choice.
    @Test func theHigherValidationBLEUWinsAndATieKeepsBest() {
        let averagingHelps = WeightsChoice(scores: [("best.safetensors", 36.2), ("averaged.safetensors", 36.9)])
        #expect(averagingHelps.chosen == "averaged.safetensors")
        #expect(averagingHelps.description == "averaged.safetensors (validation BLEU 36.9; best.safetensors 36.2)")
        let averagingHurts = WeightsChoice(scores: [("best.safetensors", 36.2), ("averaged.safetensors", 34.4)])
        #expect(averagingHurts.chosen == "best.safetensors")
        #expect(WeightsChoice(scores: [("best.safetensors", 30), ("averaged.safetensors", 30)]).chosen
                == "best.safetensors")
        #expect(WeightsChoice(scores: [("best.safetensors", 30)]).description
                == "best.safetensors (validation BLEU 30.0)")
    }
}
