/// The alignment of a given translation: what the model attends to while it reads the
/// reference word by word (teacher forcing) instead of choosing its own words.
import Autodiff
import Text

extension TranslationModel {
    /// For each sentence pair of `batch`, the alignment of every target step (each token,
    /// then `</s>`) over the source positions (tokens and `</s>`), with the reference's
    /// previous word fed at each step; empty rows for a model without attention.
    public func forcedAlignment(_ batch: Batch) -> [[[Float]]] {
        var noDropout: SeededGenerator? = nil
        let memory = encode(source: batch.source, lengths: batch.sourceLengths, dropout: &noDropout)
        var state = initialState(memory)
        var alignments = [[[Float]]](repeating: [], count: batch.batchSize)
        for t in 0..<batch.targetSteps {
            let previous = Array(batch.targetInput[(t * batch.batchSize)..<((t + 1) * batch.batchSize)])
            let step = decode(previous: previous, state: state, memory: memory)
            state = step.state
            guard let weights = step.alignment else { continue }
            for b in 0..<batch.batchSize where t < batch.targetLengths[b] {
                alignments[b].append(sourceWeights(weights, row: b, length: batch.sourceLengths[b]))
            }
        }
        return alignments
    }
}

extension Translator {
    /// The alignments of given translations of `sources` under teacher forcing, as
    /// translations whose tokens are the given target's (subwords, for a model of subwords).
    public func align(sources: [String], targets: [String], batchSize: Int = 64) -> [Translation] {
        precondition(sources.count == targets.count, "align: \(sources.count) sources, \(targets.count) targets")
        let (sourceTokens, targetTokens) = (tokens(of: sources), tokens(of: targets))
        let pairs = zip(sourceTokens, targetTokens).map { (source.encode($0), target.encode($1)) }
        var results = targets.indices.map { i in
            Translation(text: targets[i], sourceTokens: sourceTokens[i], tokens: targetTokens[i], alignment: [],
                        logProbability: 0)
        }
        for batch in Batcher(pairs: pairs, batchSize: batchSize).batchesInOrder() {
            for (alignment, index) in zip(model.forcedAlignment(batch), batch.indices) {
                results[index].alignment = alignment
            }
        }
        return results
    }
}
