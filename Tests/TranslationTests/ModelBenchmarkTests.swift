/// The whole-model benchmark, for every model the factory builds.
import Testing
@testable import Translation
import Autodiff

struct ModelBenchmarkTests {
    /// Training and decoding are timed for every attention kind, and every figure is a
    /// finite number, none negative (an untrained model may say `</s>` at once: length 0).
    @Test(arguments: ModelConfig.Attention.allCases)
    func runsWithEveryAttentionKind(attention: ModelConfig.Attention) throws {
        var fixture = try TrainingFixture()
        fixture.config.model = tinyConfig(attention: attention, size: 4)
        var figures: [BenchmarkFigure] = []
        try ModelBenchmark.run(config: fixture.config, corpus: fixture.train, batches: 1, sentences: 3) {
            figures.append($0)
        }
        #expect(figures.contains { $0.name.hasPrefix("training") }, "\(attention)")
        #expect(figures.contains { $0.name.hasPrefix("beam-5 decoding") }, "\(attention)")
        #expect(figures.allSatisfy { $0.value.isFinite && $0.value >= 0 }, "\(attention): \(figures)")
    }
}
