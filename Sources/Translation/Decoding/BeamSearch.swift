/// Beam search: keep the K best partial translations at every step.

#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
import Autodiff
import Text

extension TranslationModel {
    /// Translates a batch with a beam of `beamSize` hypotheses per sentence.
    ///
    /// At each step every live hypothesis is extended by every word; those ending in
    /// `</s>` among the `beamSize` most probable extensions are set aside as finished, and
    /// the `beamSize` most probable of the others stay in the beam. A sentence is done when
    /// it has `beamSize` finished hypotheses, or at its length limit, where `</s>` is the
    /// only word left. The winner has the highest log-probability divided by length^alpha
    /// (tokens and `</s>`): without that division short translations would win simply for
    /// having fewer factors below one.
    ///
    /// Sentence b's k hypotheses decode as rows b·k ..< (b+1)·k of one batch; a sentence
    /// that is done leaves it. With a beam of one this is exactly greedy search.
    public func beamSearch(_ batch: Batch, beamSize k: Int, alpha: Float = 1,
                           limit: LengthLimit = LengthLimit()) -> [Hypothesis] {
        precondition(k >= 1, "beamSearch: beam size must be at least 1")
        var noDropout: SeededGenerator? = nil
        let encoded = encode(source: batch.source, lengths: batch.sourceLengths, dropout: &noDropout)
        var memory = encoded.selecting((0..<batch.batchSize).flatMap { [Int](repeating: $0, count: k) })
        var state = initialState(memory)
        var beams = Beams(sourceLengths: batch.sourceLengths, beamSize: k, limit: limit)
        for t in 0...beams.lastStep {
            let step = decode(previous: beams.previous, state: state, memory: memory)
            let logProbabilities = logSoftmaxRows(step.logits)
            guard let next = beams.extend(step: t, logProbabilities: logProbabilities,
                                          vocabularySize: step.logits.columns, alignment: step.alignment,
                                          layers: step.layers) else { break }
            if let kept = next.keptRows { memory = memory.selecting(kept) }
            state = step.state.selecting(next.parents)
        }
        return beams.winners(alpha: alpha)
    }
}

/// The bookkeeping of a beam search over a batch: each live sentence's k rows of
/// hypotheses, which of them are alive, and the finished hypotheses set aside.
struct Beams {
    let beamSize: Int
    let sourceLengths: [Int]
    /// The most tokens each sentence's translation may have.
    let caps: [Int]
    /// The sentences still being translated; row p·k + j holds hypothesis j of sentence
    /// live[p]. At first only j = 0 is alive.
    private(set) var live: [Int]
    private(set) var beams: [Hypothesis]
    private(set) var alive: [Bool]
    private(set) var finished: [[Hypothesis]]
    /// The word each row's hypothesis ended with, fed to the next step.
    private(set) var previous: [Int]

    init(sourceLengths: [Int], beamSize k: Int, limit: LengthLimit) {
        let b = sourceLengths.count
        beamSize = k
        self.sourceLengths = sourceLengths
        caps = sourceLengths.map { limit.maxTokens(sourceLength: $0 - 1) }
        live = Array(0..<b)
        beams = [Hypothesis](repeating: Hypothesis(tokens: [], alignment: [], logProbability: 0), count: b * k)
        alive = (0..<(b * k)).map { $0 % k == 0 }
        finished = [[Hypothesis]](repeating: [], count: b)
        previous = [Int](repeating: Vocabulary.bos, count: b * k)
    }

    /// The last step any sentence may take.
    var lastStep: Int { caps.max() ?? 0 }

    /// Extends every live sentence's beam by one word, recording the step's alignment (and
    /// each head's of every layer in `layers`, each [B, k, n]). Returns nil when every sentence is
    /// done; otherwise, for each row of the next step, the row of this step it continues
    /// (`parents`), and the rows of this step's memory that stay when some sentences
    /// leave (`keptRows`, nil when all stay).
    mutating func extend(step t: Int, logProbabilities: [Float], vocabularySize v: Int,
                         alignment: Tensor?, layers: [Tensor]) -> (parents: [Int], keptRows: [Int]?)? {
        var parents = Array(beams.indices)
        var nextBeams = beams
        var nextAlive = [Bool](repeating: false, count: beams.count)
        var continuing: [Int] = []  // positions p whose sentence goes on
        for (p, s) in live.enumerated() {
            let rows = (p * beamSize)..<((p + 1) * beamSize)
            let candidates = bestExtensions(of: rows, sentence: s, step: t, logProbabilities, vocabularySize: v)
            var slot = rows.lowerBound
            for (rank, candidate) in candidates.best.enumerated() {
                if slot == rows.upperBound || finished[s].count == beamSize { break }
                // Only an ending among the k best is a finished translation; one ranked
                // lower would fill `finished` with poor endings and stop the sentence
                // before its better hypotheses could end (fairseq keeps the same rule).
                if candidate.word == Vocabulary.eos && rank >= beamSize { continue }
                var h = beams[candidate.row]
                h.logProbability = candidate.score
                if let alignment {
                    h.alignment.append(sourceWeights(alignment, row: candidate.row, length: sourceLengths[s]))
                }
                if !layers.isEmpty {
                    h.heads.append(layers.flatMap { headWeights($0, row: candidate.row, length: sourceLengths[s]) })
                    h.headLayers = layers.count
                }
                if candidate.word == Vocabulary.eos {
                    finished[s].append(h)
                } else {
                    h.tokens.append(candidate.word)
                    (nextBeams[slot], nextAlive[slot]) = (h, true)
                    (parents[slot], previous[slot]) = (candidate.row, candidate.word)
                    slot += 1
                }
            }
            if finished[s].count < beamSize && nextAlive[rows].contains(true) { continuing.append(p) }
        }
        if continuing.isEmpty { return nil }
        (beams, alive) = (nextBeams, nextAlive)
        guard continuing.count < live.count else { return (parents, nil) }
        let kept = continuing.flatMap { p in (p * beamSize)..<((p + 1) * beamSize) }
        live = continuing.map { live[$0] }
        (beams, alive) = (kept.map { beams[$0] }, kept.map { alive[$0] })
        (parents, previous) = (kept.map { parents[$0] }, kept.map { previous[$0] })
        return (parents, kept)
    }

    /// The best extensions of one sentence's live hypotheses (its `rows`). At most k of
    /// them end in `</s>` (one per hypothesis), so the best 2k always hold k that do not.
    /// At the length limit only `</s>` is offered.
    private func bestExtensions(of rows: Range<Int>, sentence s: Int, step t: Int, _ logProbabilities: [Float],
                                vocabularySize v: Int) -> TopCandidates {
        var candidates = TopCandidates(capacity: 2 * beamSize)
        for row in rows where alive[row] {
            let base = beams[row].logProbability
            if t < caps[s] {
                for w in 0..<v { candidates.offer(base + logProbabilities[row * v + w], row: row, word: w) }
            } else {
                candidates.offer(base + logProbabilities[row * v + Vocabulary.eos], row: row, word: Vocabulary.eos)
            }
        }
        return candidates
    }

    /// Each sentence's best hypothesis by log-probability / length^alpha, among the
    /// finished ones (or the live ones if none finished), the earlier of equals; the
    /// others follow it as its alternatives, in the same order.
    func winners(alpha: Float) -> [Hypothesis] {
        func normalized(_ h: Hypothesis) -> Float {
            h.logProbability / powf(Float(h.tokens.count + 1), alpha)
        }
        return finished.indices.map { s in
            let pool = finished[s].isEmpty
                ? Array(beams[(live.firstIndex(of: s)! * beamSize)...].prefix(beamSize)) : finished[s]
            let ranked = pool.enumerated().sorted { a, c in
                normalized(a.element) != normalized(c.element)
                    ? normalized(a.element) > normalized(c.element) : a.offset < c.offset
            }.map(\.element)
            var best = ranked[0]
            best.alternatives = Array(ranked.dropFirst())
            return best
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
