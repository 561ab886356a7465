/// Every attention kind against PyTorch: the per-sentence negative log-likelihood of a
/// small random model, from the weights in Fixtures/kinds/ (written by
/// scripts/make_attention_kinds_fixture.py from the design's equations, in float64).

import Foundation
import Testing
@testable import Translation
@testable import Files
@testable import Autodiff

/// Fixtures/kinds/kinds.json: the sentence pairs, and each kind's settings and losses.
private struct KindsFixture: Sendable {
    let pairs: [(source: [Int], target: [Int])]
    let sourceVocabularySize: Int, targetVocabularySize: Int
    /// Each kind's settings, as the JSON of a config.json (`{"model": {…}}`), and its losses.
    let kinds: [String: (settings: String, losses: [Double])]

    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/kinds")

    static let loaded: KindsFixture = {
        let json = try! JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("kinds.json")))
            as! [String: Any]
        let pairs = (json["pairs"] as! [[String: [Int]]]).map { ($0["source"]!, $0["target"]!) }
        let kinds = (json["kinds"] as! [String: [String: Any]]).mapValues { kind in
            let settings = try! JSONSerialization.data(withJSONObject: ["model": kind["model"]!])
            return (String(decoding: settings, as: UTF8.self), kind["losses"] as! [Double])
        }
        return KindsFixture(pairs: pairs, sourceVocabularySize: json["sourceVocabularySize"] as! Int,
                            targetVocabularySize: json["targetVocabularySize"] as! Int, kinds: kinds)
    }()
}

struct AttentionKindsParityTests {
    /// The model is built from its settings as a checkpoint's config.json gives them, and
    /// loaded as a checkpoint loads its weights; the four pairs are scored in one padded
    /// batch. Relative 1e-5: float32 sums of a few hundred products against float64.
    @Test(arguments: ModelConfig.Attention.allCases)
    func sentenceLossesMatchPyTorch(attention: ModelConfig.Attention) throws {
        let fixture = KindsFixture.loaded
        let kind = try #require(fixture.kinds[attention.rawValue], "no fixture for \(attention.rawValue)")
        let config = try Configuration.parse(kind.settings, path: "kinds.json", as: .overrides)
        #expect(config.model.attention == attention)
        var generator = SeededGenerator(seed: 0)
        let model = RNNModel(config: config.model, sourceVocabularySize: fixture.sourceVocabularySize,
                             targetVocabularySize: fixture.targetVocabularySize, generator: &generator)
        let path = KindsFixture.folder.appendingPathComponent("\(attention.rawValue).safetensors").path
        try model.load(try SafeTensors.read(path).arrays, from: path)
        model.trackGradients(false)

        let batch = Batch(sources: fixture.pairs.map(\.source), targets: fixture.pairs.map(\.target),
                          indices: Array(fixture.pairs.indices))
        let ours = model.sentenceLosses(batch)
        #expect(ours.count == kind.losses.count)
        var largest = 0.0
        for (i, (mine, theirs)) in zip(ours, kind.losses).enumerated() {
            let relative = abs(Double(mine) - theirs) / abs(theirs)
            #expect(relative < 1e-5, "\(attention.rawValue), pair \(i): ours \(mine), PyTorch's \(theirs)")
            largest = max(largest, relative)
        }
        // The figure itself, not only the bound, for the test log (the README quotes it).
        print("parity \(attention.rawValue): largest relative difference \(String(format: "%.1e", largest)) over \(ours.count) pairs")
    }
}
