/// Beam search: keep the K best partial translations at every step.

#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
import Autodiff
import Text

extension EncodedSource {
    /// The same sentences with each one repeated `times` times in a row (sentence b's
    /// copies at rows b·times ..< (b+1)·times), so that K hypotheses decode as one batch.
    func repeated(_ times: Int) -> EncodedSource {
        selecting((0..<batchSize).flatMap { [Int](repeating: $0, count: times) })
    }
}

extension RNNModel {
    /// Translates a batch with a beam of `beamSize` hypotheses per sentence.
    ///
    /// At each step every live hypothesis is extended by every word; of these the
    /// `beamSize` most probable stay in the beam, and those ending in `</s>` are set aside
    /// as finished. A sentence is done when it has `beamSize` finished hypotheses, or at its
    /// length limit, where `</s>` is the only word left. The winner has the highest
    /// log-probability divided by length^alpha (tokens and `</s>`): without that division
    /// short translations would win simply for having fewer factors below one.
    ///
    /// With a beam of one this is exactly greedy search.
    public func beamSearch(_ batch: Batch, beamSize k: Int, alpha: Float = 1,
                           limit: LengthLimit = LengthLimit()) -> [Hypothesis] {
        precondition(k >= 1, "beamSearch: beam size must be at least 1")
        let b = batch.batchSize
        var noDropout: SeededGenerator? = nil
        var source = encode(source: batch.source, lengths: batch.sourceLengths, dropout: &noDropout).repeated(k)
        var state = initialDecoderState(source)
        let empty = Hypothesis(tokens: [], alignment: [], logProbability: 0)
        // The sentences still being translated; row p·k + j holds hypothesis j of sentence
        // live[p]. At first only j = 0 is alive. A sentence that is done leaves the batch.
        var live = Array(0..<b)
        var beams = [Hypothesis](repeating: empty, count: b * k)
        var alive = (0..<(b * k)).map { $0 % k == 0 }
        var finished = [[Hypothesis]](repeating: [], count: b)
        var previous = [Int](repeating: Vocabulary.bos, count: b * k)
        let caps = batch.sourceLengths.map { limit.maxTokens(sourceLength: $0 - 1) }

        func normalized(_ h: Hypothesis) -> Float {
            h.logProbability / powf(Float(h.tokens.count + 1), alpha)
        }

        for t in 0...(caps.max() ?? 0) {
            let embedded = targetEmbedding(previous)
            let step = decodeStep(previousEmbedding: embedded, state: state, source: source)
            let features = outputFeatures(states: step.state.hidden, contexts: step.context,
                                          previousEmbeddings: embedded)
            let logProbabilities = logSoftmaxRows(logits(features, dropout: &noDropout))
            let v = targetVocabularySize
            var parents = Array(beams.indices)
            var nextBeams = beams
            var nextAlive = [Bool](repeating: false, count: beams.count)
            var continuing: [Int] = []  // positions p whose sentence goes on
            for (p, s) in live.enumerated() {
                // The best extensions of this sentence's live hypotheses. At most k of
                // them end in `</s>` (one per hypothesis), so the best 2k always hold k
                // that do not; only those are kept, in order, as they are found.
                let rows = (p * k)..<((p + 1) * k)
                var candidates = TopCandidates(capacity: 2 * k)
                for row in rows where alive[row] {
                    let base = beams[row].logProbability
                    if t < caps[s] {
                        for w in 0..<v { candidates.offer(base + logProbabilities[row * v + w], row: row, word: w) }
                    } else {
                        candidates.offer(base + logProbabilities[row * v + Vocabulary.eos], row: row, word: Vocabulary.eos)
                    }
                }
                var slot = rows.lowerBound
                for candidate in candidates.best {
                    if slot == rows.upperBound || finished[s].count == k { break }
                    var h = beams[candidate.row]
                    h.logProbability = candidate.score
                    if let weights = step.weights {
                        let n = source.length, len = batch.sourceLengths[s]
                        h.alignment.append(Array(weights.data[(candidate.row * n)..<(candidate.row * n + len)]))
                    }
                    if candidate.word == Vocabulary.eos {
                        finished[s].append(h)
                    } else {
                        h.tokens.append(candidate.word)
                        nextBeams[slot] = h
                        nextAlive[slot] = true
                        parents[slot] = candidate.row
                        previous[slot] = candidate.word
                        slot += 1
                    }
                }
                if finished[s].count < k && nextAlive[rows].contains(true) { continuing.append(p) }
            }
            if continuing.isEmpty { break }
            beams = nextBeams
            alive = nextAlive
            if continuing.count < live.count {
                let rows = continuing.flatMap { p in (p * k)..<((p + 1) * k) }
                live = continuing.map { live[$0] }
                (beams, alive) = (rows.map { beams[$0] }, rows.map { alive[$0] })
                (parents, previous) = (rows.map { parents[$0] }, rows.map { previous[$0] })
                source = source.selecting(rows)
            }
            state = DecoderState(hidden: Tensor.gather(step.state.hidden, rows: parents),
                                 cell: Tensor.gather(step.state.cell, rows: parents))
        }
        return (0..<b).map { s in
            let pool = finished[s].isEmpty
                ? Array(beams[(live.firstIndex(of: s)! * k)...].prefix(k)) : finished[s]
            return pool.enumerated().max { a, c in
                normalized(a.element) != normalized(c.element)
                    ? normalized(a.element) < normalized(c.element) : a.offset > c.offset
            }!.element
        }
    }
}

/// The best few (score, row, word) triples seen so far, best first; among equal scores the
/// lower row, then the lower word, comes first (as greedy search breaks ties).
struct TopCandidates {
    let capacity: Int
    private(set) var best: [(score: Float, row: Int, word: Int)] = []

    init(capacity: Int) {
        self.capacity = capacity
        best.reserveCapacity(capacity + 1)
    }

    /// Candidates arrive in increasing (row, word) order, so a later one with an equal
    /// score ranks after the earlier: it only displaces strictly worse ones.
    mutating func offer(_ score: Float, row: Int, word: Int) {
        if best.count == capacity, let last = best.last, !(score > last.score) { return }
        var i = best.count
        while i > 0 && score > best[i - 1].score { i -= 1 }
        best.insert((score, row, word), at: i)
        if best.count > capacity { best.removeLast() }
    }
}
