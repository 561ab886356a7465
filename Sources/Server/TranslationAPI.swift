/// The server's answers, apart from HTTP: from a request body to a status and a JSON body.
import Foundation
import Translation

/// What a handler answers: an HTTP status, a content type and the body.
public struct APIResponse: Sendable {
    public let status: Int
    public let contentType: String
    public let body: [UInt8]

    static func json(_ object: Any, status: Int = 200) -> APIResponse {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return APIResponse(status: status, contentType: "application/json; charset=utf-8", body: [UInt8](data))
    }

    static func html(_ text: String) -> APIResponse {
        APIResponse(status: 200, contentType: "text/html; charset=utf-8", body: Array(text.utf8))
    }

    /// `{"error": "…"}` with the error's status.
    public static func error(_ error: APIError) -> APIResponse {
        json(["error": error.message], status: error.status.rawValue)
    }
}

/// The handlers of `nmt serve`: `GET /`, `POST /translate` and `GET /health`.
public struct TranslationAPI: Sendable {
    public let service: TranslationService
    public let limits: ServerLimits
    /// The checkpoint's name and kind, for `/health`.
    public let modelName: String
    /// The live page served at `/`.
    public let page: String
    /// The tokens the model reads of a sentence, to enforce `limits.maxSourceTokens`.
    let countTokens: @Sendable (String) -> Int

    public init(service: TranslationService, limits: ServerLimits, modelName: String, page: String,
                countTokens: @escaping @Sendable (String) -> Int) {
        self.service = service
        self.limits = limits
        self.modelName = modelName
        self.page = page
        self.countTokens = countTokens
    }

    /// That the server is up, which model it serves, and how many batches have decoded how
    /// many requests.
    public func health() async -> APIResponse {
        .json(["status": "ok", "model": modelName, "batches": await service.batchesDecoded,
               "requests": await service.requestsDecoded])
    }

    public func index() -> APIResponse { .html(page) }

    /// Translates the sentences of a request body; see `TranslateRequest` for what is refused.
    public func translate(body: [UInt8]) async -> APIResponse {
        let request: TranslateRequest
        do throws(APIError) {
            request = try TranslateRequest(body: body, limits: limits)
            for (i, text) in request.texts.enumerated() {
                let tokens = countTokens(text)
                if tokens > limits.maxSourceTokens {
                    let name = request.isSingle ? "\"text\"" : "\"texts\"[\(i)]"
                    throw APIError(.unprocessableContent, "\(name) has \(tokens) tokens; at most \(limits.maxSourceTokens)")
                }
            }
        } catch {
            return .error(error)
        }
        let translations = await service.translate(request.texts, beam: request.beam)
        return .json(["translations": translations.map(Self.json), "beam": request.beam])
    }

    /// One translation as the API answers it. `sourceTokens` and `tokens` end with `</s>`
    /// where the alignment has a column or row for it, so that `alignment` is exactly
    /// tokens × sourceTokens and each of its rows sums to 1 (it is empty for a model
    /// without attention; local attention's rows sum to less, outside its window). `heads`
    /// holds each head's matrix of the same shape, for a model with several.
    static func json(_ translation: Translation) -> [String: Any] {
        return [
            "text": translation.text,
            "tokens": translation.alignedTargetTokens,
            "sourceTokens": translation.alignment.isEmpty ? translation.sourceTokens : translation.alignedSourceTokens,
            "alignment": translation.alignment,
            "score": translation.logProbability,
            "alternatives": translation.alternatives.map { ["text": $0.text, "score": $0.score] as [String: Any] },
            "heads": Dictionary(uniqueKeysWithValues: translation.headAlignments.map { ($0.name, $0.weights) }),
        ]
    }
}
