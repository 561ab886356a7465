/// `nmt serve`: translate over HTTP, with the live alignment viewer at `/`.
import ArgumentParser
import Autodiff
import Figures
import Foundation
import Server
import Translation

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve translations over HTTP: a page at /, POST /translate, GET /health.",
        discussion: """
            GET / is a page where a person types German and sees the English, its alignment \
            and the beam's alternatives; /?text=... translates that text on load. POST /translate \
            takes {"text": "..."} or {"texts": ["...", ...]} with an optional "beam" and answers \
            {"translations": [{"text", "tokens", "sourceTokens", "alignment", "score", \
            "alternatives"}]}, where alignment is a tokens × sourceTokens matrix whose rows sum \
            to 1. Requests that arrive together are decoded together. A bad request gets a 4xx \
            answer {"error": "..."}. Ctrl-C or SIGTERM stops the server after the requests in \
            flight.
            """)

    @OptionGroup var model: CheckpointOptions
    @Option(help: "Address to listen on; 0.0.0.0 makes the server reachable from other machines.")
    var host = "127.0.0.1"
    @Option(parsing: .unconditional, help: "Port to listen on (0: any free port, printed at start).")
    var port = 8080
    @Option(parsing: .unconditional, help: "Beam size the page starts with.")
    var beam = 5
    @Option(parsing: .unconditional, help: "Largest request body, in bytes.")
    var maxBodyBytes = 4 << 20
    @Option(parsing: .unconditional, help: "Most sentences in one request.")
    var maxSentences = 64
    @Option(parsing: .unconditional, help: "Most source tokens (subwords, for a model of subwords) in one sentence.")
    var maxSourceTokens = 250
    @Option(parsing: .unconditional, help: "Largest beam a request may ask for.")
    var maxBeam = 16
    @Option(parsing: .unconditional, help: "Most sentences decoded together (1: every request alone).")
    var batchSize = 32
    @Option(parsing: .unconditional, help: "Milliseconds a request waits for others to join its batch.")
    var batchWait = 5
    @Option(parsing: .unconditional, help: ArgumentHelp("Threads for matrix products.", valueName: "n"))
    var threads = 2

    func run() async throws {
        try await reportingErrors {
            try check()
            setBLASThreads(threads)
            let folder = try model.checkpointFolder()
            let translator = try model.translator()
            let countTokens = translator.sourceTokenCounter
            var limits = ServerLimits()
            (limits.maxBodyBytes, limits.maxSentences, limits.maxSourceTokens, limits.maxBeam)
                = (maxBodyBytes, maxSentences, maxSourceTokens, maxBeam)
            let service = TranslationService(translator: translator, maxBatchSentences: batchSize,
                                             maxWait: .milliseconds(batchWait), maxSourceTokens: maxSourceTokens)
            let api = TranslationAPI(
                service: service, limits: limits, modelName: folder,
                page: AlignmentViewer(title: "nmt serve: \(folder)", sentences: []).html(.live(beam: beam)),
                countTokens: countTokens)
            try await api.serve(at: ServerAddress(host: host, port: port)) { port in
                note("serving \(folder) at http://\(host):\(port)/ (Ctrl-C stops)")
            }
            note("stopped")
        }
    }

    private func check() throws {
        for (name, value, lowest) in [("--port", port, 0), ("--beam", beam, 1), ("--max-body-bytes", maxBodyBytes, 1),
                                      ("--max-sentences", maxSentences, 1), ("--max-source-tokens", maxSourceTokens, 1),
                                      ("--max-beam", maxBeam, 1), ("--batch-size", batchSize, 1),
                                      ("--batch-wait", batchWait, 0), ("--threads", threads, 1)] where value < lowest {
            throw ValidationError("\(name) must be at least \(lowest), got \(value)")
        }
        guard port <= 65535 else { throw ValidationError("--port must be at most 65535, got \(port)") }
        guard beam <= maxBeam else { throw ValidationError("--beam \(beam) is above --max-beam \(maxBeam)") }
    }
}
