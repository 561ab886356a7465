/// Dynamic batching: the sentences of requests that arrive together are decoded together.
import Dispatch
import Translation

/// Decodes translation requests in batches, one batch at a time, on a thread of its own.
///
/// A search costs little more for 32 sentences than for one: most of a step's time is
/// reading the output layer's weights, once for the whole batch. So the service waits up
/// to `maxWait` after a request arrives for others to join it, then decodes every waiting
/// request with the same beam, up to `maxBatchSentences` sentences, as one call to the
/// translator. With `maxBatchSentences` = 1 every request is decoded alone.
///
/// The translator (its tensors are not thread-safe) is used on one serial queue only,
/// never on the server's event loops, so a long batch never stalls a connection.
public actor TranslationService {
    /// One request waiting to be decoded.
    private struct Job {
        let texts: [String]
        let beam: Int
        let continuation: CheckedContinuation<[Translation], Never>
    }

    private let worker: Worker
    public let maxBatchSentences: Int
    public let maxWait: Duration
    private var waiting: [Job] = []
    private var draining = false
    /// How many calls to the translator have decoded how many requests' sentences: what
    /// batching saved is the difference between the two counts.
    public private(set) var batchesDecoded = 0
    public private(set) var requestsDecoded = 0

    public init(translator: Translator, maxBatchSentences: Int = 32, maxWait: Duration = .milliseconds(5),
                maxSourceTokens: Int = 250) {
        worker = Worker(translator: translator, maxSourceTokens: maxSourceTokens)
        self.maxBatchSentences = max(1, maxBatchSentences)
        self.maxWait = maxWait
    }

    /// The translations of `texts`, in order, decoded with those of other requests.
    public func translate(_ texts: [String], beam: Int) async -> [Translation] {
        await withCheckedContinuation { continuation in
            waiting.append(Job(texts: texts, beam: beam, continuation: continuation))
            if !draining {
                draining = true
                Task { await drain() }
            }
        }
    }

    /// Decodes batches until no request waits.
    private func drain() async {
        if maxBatchSentences > 1 { try? await Task.sleep(for: maxWait) }
        while !waiting.isEmpty {
            let jobs = nextBatch()
            batchesDecoded += 1
            requestsDecoded += jobs.count
            let translations = await worker.translate(jobs.flatMap(\.texts), beam: jobs[0].beam,
                                                      batchSize: maxBatchSentences)
            var start = 0
            for job in jobs {
                job.continuation.resume(returning: Array(translations[start..<(start + job.texts.count)]))
                start += job.texts.count
            }
        }
        draining = false
    }

    /// The oldest request and those after it with the same beam, while they fit in a
    /// batch (the oldest always goes, however many sentences it has).
    private func nextBatch() -> [Job] {
        var batch = [waiting.removeFirst()]
        var sentences = batch[0].texts.count
        var i = 0
        while i < waiting.count {
            let job = waiting[i]
            if job.beam == batch[0].beam && sentences + job.texts.count <= maxBatchSentences {
                batch.append(waiting.remove(at: i))
                sentences += job.texts.count
            } else {
                i += 1
            }
        }
        return batch
    }
}

/// The translator and the one queue it is used on.
private final class Worker: @unchecked Sendable {
    // Safe to share: `translator` is touched only from `queue`, which runs one block at a time.
    private let translator: Translator
    private let maxSourceTokens: Int
    private let queue = DispatchQueue(label: "nmt.translation")

    init(translator: Translator, maxSourceTokens: Int) {
        self.translator = translator
        self.maxSourceTokens = maxSourceTokens
    }

    func translate(_ texts: [String], beam: Int, batchSize: Int) async -> [Translation] {
        await withCheckedContinuation { continuation in
            queue.async { [self] in
                continuation.resume(returning: translator.translate(texts, beam: beam, batchSize: batchSize,
                                                                   maxSourceTokens: maxSourceTokens))
            }
        }
    }
}
