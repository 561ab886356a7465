/// The body of `POST /translate`, read strictly: every mistake is named in the answer.
import Foundation

/// What a client asks to translate: `{"text": "…"}` or `{"texts": ["…", …]}`, with an
/// optional `"beam"` (1, greedy search, unless given).
public struct TranslateRequest: Equatable, Sendable {
    public var texts: [String]
    public var beam: Int
    /// Whether the client sent one `text` (answered as one translation, still in a list).
    public var isSingle: Bool

    /// Parses a request body, refusing anything else than the two forms above: a body that
    /// is not JSON or not an object, a missing, empty or mistyped text, an unknown key, a
    /// beam outside `1...limits.maxBeam`, more than `limits.maxSentences` sentences.
    public init(body: [UInt8], limits: ServerLimits) throws(APIError) {
        guard let json = try? JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed]) else {
            throw APIError(.badRequest, "the body is not valid JSON")
        }
        guard let object = json as? [String: Any] else {
            throw APIError(.badRequest, "the body must be a JSON object such as {\"text\": \"Guten Morgen.\"}")
        }
        if let unknown = object.keys.sorted().first(where: { !["text", "texts", "beam"].contains($0) }) {
            throw APIError(.badRequest, "unknown key \"\(unknown)\" (known: text, texts, beam)")
        }
        switch (object["text"], object["texts"]) {
        case (let text?, nil):
            guard let text = text as? String else { throw APIError(.badRequest, "\"text\" must be a string") }
            texts = [text]
            isSingle = true
        case (nil, let list?):
            guard let items = list as? [Any] else { throw APIError(.badRequest, "\"texts\" must be an array of strings") }
            texts = try items.enumerated().map { (i, item) throws(APIError) in
                guard let text = item as? String else {
                    throw APIError(.badRequest, "\"texts\"[\(i)] must be a string")
                }
                return text
            }
            isSingle = false
        case (nil, nil):
            throw APIError(.badRequest, "expected \"text\" (a string) or \"texts\" (an array of strings)")
        case (_?, _?):
            throw APIError(.badRequest, "give \"text\" or \"texts\", not both")
        }
        beam = try Self.beam(object["beam"], limits: limits)
        try check(limits: limits)
    }

    /// `beam` must be a whole number (JSON has no integers of its own: 2.0 is 2, 2.5 is
    /// not). JSONSerialization gives `true` and `false` as numbers too, of C type `char`
    /// ("c"), which no JSON number has; they are refused.
    private static func beam(_ value: Any?, limits: ServerLimits) throws(APIError) -> Int {
        guard let value else { return 1 }
        guard let number = value as? NSNumber, String(cString: number.objCType) != "c",
              let beam = Int(exactly: number.doubleValue) else {
            throw APIError(.badRequest, "\"beam\" must be a whole number")
        }
        guard (1...limits.maxBeam).contains(beam) else {
            throw APIError(.unprocessableContent, "\"beam\" must be between 1 and \(limits.maxBeam), got \(beam)")
        }
        return beam
    }

    private func check(limits: ServerLimits) throws(APIError) {
        let field = isSingle ? "\"text\"" : "\"texts\""
        guard !texts.isEmpty else { throw APIError(.badRequest, "\(field) is empty") }
        guard texts.count <= limits.maxSentences else {
            throw APIError(.unprocessableContent, "\(texts.count) sentences in one request; at most \(limits.maxSentences)")
        }
        for (i, text) in texts.enumerated() where text.allSatisfy(\.isWhitespace) {
            throw APIError(.badRequest, isSingle ? "\"text\" is empty" : "\"texts\"[\(i)] is empty")
        }
    }
}

/// How much one request may ask of the server.
public struct ServerLimits: Sendable {
    /// The largest request body, in bytes.
    public var maxBodyBytes = 4 << 20
    /// Sentences in one request.
    public var maxSentences = 64
    /// Source tokens (subwords, for a model of subwords) of one sentence.
    public var maxSourceTokens = 250
    public var maxBeam = 16

    public init() {}
}

/// A request the server refuses: an HTTP status and a message, answered as
/// `{"error": "…"}`.
public struct APIError: Error, Equatable, Sendable {
    public enum Status: Int, Sendable {
        case badRequest = 400, notFound = 404, methodNotAllowed = 405, contentTooLarge = 413
        case unprocessableContent = 422, serviceUnavailable = 503
    }

    public let status: Status
    public let message: String

    public init(_ status: Status, _ message: String) {
        self.status = status
        self.message = message
    }
}
