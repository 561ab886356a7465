/// The model protocol as a seam: a second, test-only model, unlike the RNN in every way,
/// driven through the same greedy search, beam search and scoring.
import Foundation
import Testing
import Translation
@testable import Autodiff
@testable import NeuralNet
@testable import Text

/// A model without parameters that copies its source: at step t its most probable word
/// is source token t (then `</s>`), with logit `confidence` against 0 for every other word,
/// and its alignment puts all weight on position t. Its memory and state are plain
/// arrays, one entry per row, so a search that mixed up rows when it reorders, repeats or
/// drops them would copy the wrong sentence.
private struct CopyModel: TranslationModel {
    let vocabularySize = 12
    let confidence: Float = 3

    struct Memory: RowSelectable {
        /// Each row's source ids, `</s>` included.
        let sources: [[Int]]
        func selecting(_ rows: [Int]) -> Memory { Memory(sources: rows.map { sources[$0] }) }
    }

    struct State: RowSelectable {
        /// The steps each row has taken.
        let steps: [Int]
        func selecting(_ rows: [Int]) -> State { State(steps: rows.map { steps[$0] }) }
    }

    var kind: String { "copy" }
    var namedParameters: [(name: String, tensor: Tensor)] { [] }
    /// No weights, so no multiply–adds: as much work at every position.
    var workPerPosition: WorkPerPosition { WorkPerPosition(sourcePosition: 1, targetPosition: 1, targetToken: 1) }

    func encode(source: [Int], lengths: [Int], dropout: inout SeededGenerator?) -> Memory {
        let batch = lengths.count
        return Memory(sources: (0..<batch).map { b in lengths[b] > 0 ? (0..<lengths[b]).map { source[$0 * batch + b] } : [] })
    }

    func initialState(_ memory: Memory) -> State { State(steps: memory.sources.map { _ in 0 }) }

    /// The word row `b` should write at `step`: its source token there, `</s>` at the end.
    private func expected(_ memory: Memory, row b: Int, step: Int) -> Int {
        step < memory.sources[b].count - 1 ? memory.sources[b][step] : Vocabulary.eos
    }

    func decode(previous words: [Int], state: State, memory: Memory) -> DecoderStep<State> {
        let rows = words.count, n = memory.sources.map(\.count).max() ?? 0
        var logits = [Float](repeating: 0, count: rows * vocabularySize)
        var alignment = [Float](repeating: 0, count: rows * n)
        for b in 0..<rows {
            logits[b * vocabularySize + expected(memory, row: b, step: state.steps[b])] = confidence
            alignment[b * n + min(state.steps[b], memory.sources[b].count - 1)] = 1
        }
        return DecoderStep(logits: Tensor(shape: [rows, vocabularySize], data: logits),
                           state: State(steps: state.steps.map { $0 + 1 }),
                           alignment: Tensor(shape: [rows, n], data: alignment))
    }

    func tokenLosses(_ batch: Batch, dropout: inout SeededGenerator?, smoothing: Float) -> (losses: Tensor, rows: [Int]) {
        let memory = encode(source: batch.source, lengths: batch.sourceLengths, dropout: &dropout)
        let rows = batch.targetOutput.indices.filter { batch.targetOutput[$0] != Vocabulary.pad }
        var logits = [Float](repeating: 0, count: rows.count * vocabularySize)
        for (i, row) in rows.enumerated() {
            let (t, b) = (row / batch.batchSize, row % batch.batchSize)
            logits[i * vocabularySize + expected(memory, row: b, step: t)] = confidence
        }
        let losses = Tensor.crossEntropy(logits: Tensor(shape: [rows.count, vocabularySize], data: logits),
                                         targets: rows.map { batch.targetOutput[$0] }, ignoring: Vocabulary.pad,
                                         smoothing: smoothing)
        return (losses, rows)
    }
}

struct ModelProtocolTests {
    /// Sentences of different lengths, so that rows leave the batch at different steps.
    let sources = [[4, 5, 6, 7, 8], [9], [6, 6, 10, 11], [5, 4]]

    func batch() -> Batch { Batch(sources: sources, indices: Array(sources.indices)) }

    @Test func greedySearchCopiesEverySentence() {
        let hypotheses = CopyModel().greedySearch(batch())
        #expect(hypotheses.map(\.tokens) == sources)
        // All weight on the position copied, one row per output step and `</s>`.
        for (h, source) in zip(hypotheses, sources) {
            #expect(h.alignment.count == source.count + 1)
            #expect(h.alignment.enumerated().allSatisfy { t, row in row.firstIndex(of: 1) == t })
        }
    }

    /// Beams up to 3: a sentence is done once it has k finished hypotheses, and with a
    /// beam as wide as the longest sentence, hypotheses that stop early (each a step
    /// apart) fill it before the copy of five words ends, as in fairseq.
    @Test(arguments: [1, 2, 3])
    func beamSearchCopiesEverySentence(beam: Int) {
        let model = CopyModel()
        let hypotheses = model.beamSearch(batch(), beamSize: beam)
        #expect(hypotheses.map(\.tokens) == sources)
        if beam == 1 {
            let greedy = model.greedySearch(batch())
            #expect(hypotheses.map(\.logProbability) == greedy.map(\.logProbability))
        }
    }

    /// Each copied word has probability e^c / (e^c + V − 1); a sentence's NLL is its
    /// length (tokens and `</s>`) times −log of that. Scoring goes through the same
    /// protocol extension as the RNN's.
    @Test func sentenceLossesAreThoseOfTheModel() {
        let model = CopyModel()
        let batch = Batch(sources: sources, targets: sources, indices: Array(sources.indices))
        let c = Double(model.confidence), v = Double(model.vocabularySize)
        let perToken = -(c - log(exp(c) + v - 1))
        for (loss, source) in zip(model.sentenceLosses(batch), sources) {
            #expect(abs(Double(loss) - perToken * Double(source.count + 1)) < 1e-4)
        }
    }
}
