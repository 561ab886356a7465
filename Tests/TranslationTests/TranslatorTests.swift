/// The translator on awkward input (runaway lines, empty lines, control characters,
/// emoji and mixed scripts), and on several threads.
import Foundation
import Testing
@testable import Translation
import Autodiff
import TestSupport

struct TranslatorTests {
    let translator = randomTranslator(seed: 11, source: ["ein", "hund", "läuft", "."],
                                      target: ["a", "dog", "runs", "."], size: 4, lowercase: false)

    /// A line of 5,000 words is cut to its first `maxSourceTokens`, which bounds the time
    /// it takes; the translation says how many tokens were left out.
    @Test func aRunawayLineIsCutToTheLongestSourceAllowed() {
        let line = Array(repeating: "ein hund läuft", count: 1_700).joined(separator: " ")
        let start = Date()
        let translation = translator.translate([line, "ein hund"], maxSourceTokens: 50)
        #expect(Date().timeIntervalSince(start) < 10)
        #expect(translation[0].sourceTokens.count == 50)
        #expect(translation[0].droppedSourceTokens == 5_050)
        #expect(translation[0].tokens.count <= LengthLimit().maxTokens(sourceLength: 50))
        #expect(translation[1].droppedSourceTokens == 0)
    }

    /// Every input line gives exactly one output line, in order, whatever it holds.
    @Test func oddLinesGiveOneLineEach() {
        let lines = ["", "   ", "\t\u{0}\u{7}\u{1B}[31m", "ein 🐕‍🦺 läuft 👍🏽", "der Hund ist 犬 und كلب und कुत्ता",
                     "e\u{301}\u{301}\u{301}", "\u{202E}ein hund\u{202C}", "\u{FEFF}ein", String(repeating: "!", count: 300)]
        for beam in [1, 3] {
            let translations = translator.translate(lines, beam: beam, batchSize: 4)
            #expect(translations.count == lines.count)
            #expect(translations.allSatisfy { !$0.text.contains("\n") && !$0.text.contains("\r") })
            #expect(translations[0].text.isEmpty && translations[1].text.isEmpty)
        }
    }

    /// Batches translated at once on two threads give the translations of one thread, bit for
    /// bit and in order, greedy and with a beam.
    @Test func translationsOnTwoThreadsAreThoseOfOne() {
        let translator = randomTranslator(seed: 12, source: ["ein", "hund", "läuft", "."],
                                          target: ["a", "dog", "runs", "."], size: 4, lowercase: false)
        let lines = (0..<11).map { i in (0...(i % 5)).map { ["ein", "hund", "läuft", "."][($0 + i) % 4] }.joined(separator: " ") }
        for beam in [1, 3] {
            let one = translator.translate(lines, beam: beam, batchSize: 3)
            let two = withEngineThreads(2) { translator.translate(lines, beam: beam, batchSize: 3) }
            #expect(one.map(\.tokens) == two.map(\.tokens))
            #expect(one.map(\.logProbability.bitPattern) == two.map(\.logProbability.bitPattern))
            #expect(one.map(\.alignment) == two.map(\.alignment))
        }
    }

    /// A sentence decoded alone gets the bits it gets in a batch, from a model packed for
    /// decoding as a checkpoint's is: a one-row product through the packed copy sums in
    /// the order a batch's rows do (`PackedWeight.vectorProduct`), where OpenBLAS's
    /// matrix–vector product summed in its own. The lines are of one length, so that a
    /// batch pads none of them.
    @Test func aSentenceAloneGetsTheBitsItGetsInABatch() {
        let words = ["ein", "hund", "läuft", "katze", "schläft", "."]
        let random = randomTranslator(seed: 13, source: words, target: words, size: 40, lowercase: false)
        let translator = Translator(model: random.model.forDecoding(), source: random.source,
                                    target: random.target, lowercase: false)
        let lines = (0..<7).map { i in (0..<5).map { words[($0 * ($0 + i) + i) % words.count] }.joined(separator: " ") }
        for beam in [1, 3] {
            let alone = translator.translate(lines, beam: beam, batchSize: 1)
            let batch = translator.translate(lines, beam: beam, batchSize: 7)
            #expect(alone.map(\.tokens) == batch.map(\.tokens))
            #expect(alone.map(\.logProbability.bitPattern) == batch.map(\.logProbability.bitPattern), "beam \(beam)")
        }
    }
}
