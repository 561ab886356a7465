/// `nmt serve`'s HTTP side: Hummingbird's router in front of `TranslationAPI`.
import Hummingbird
import Logging

/// Where the server listens, and how it stops.
public struct ServerAddress: Sendable {
    public var host = "127.0.0.1"
    public var port = 8080

    public init(host: String = "127.0.0.1", port: Int = 8080) {
        self.host = host
        self.port = port
    }
}

extension TranslationAPI {
    /// Serves the API at `address` until SIGINT or SIGTERM, which stop it gracefully: no new
    /// connection is accepted, and the requests in flight are answered first.
    /// `onListening` is told the port actually bound (useful with port 0).
    public func serve(at address: ServerAddress, onListening: @escaping @Sendable (Int) -> Void = { _ in }) async throws {
        var logger = Logger(label: "nmt-serve")
        logger.logLevel = .warning
        let app = Application(
            router: router(),
            configuration: .init(address: .hostname(address.host, port: address.port), serverName: "nmt"),
            onServerRunning: { channel in onListening(channel.localAddress?.port ?? address.port) },
            logger: logger)
        try await app.runService()
    }

    /// The routes, behind a middleware that answers every refusal, Hummingbird's own
    /// included (an unknown path, a body over the limit), as `{"error": "…"}`.
    func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: JSONErrorMiddleware())
        router.get("/") { _, _ in response(index()) }
        router.get("/health") { _, _ in response(await health()) }
        router.post("/translate") { request, _ in
            let body = try await request.body.collect(upTo: limits.maxBodyBytes)
            return response(await translate(body: Array(buffer: body)))
        }
        return router
    }
}

/// A Hummingbird response of an `APIResponse`.
private func response(_ answer: APIResponse) -> Response {
    Response(status: .init(code: answer.status),
             headers: [.contentType: answer.contentType],
             body: .init(byteBuffer: ByteBuffer(bytes: answer.body)))
}

/// Turns Hummingbird's errors (404 for an unknown path, 413 for a body over the limit) into
/// JSON answers like the API's own, and a known path asked with the wrong method into 405.
private struct JSONErrorMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext
    /// The routes and their methods, for the 405 answer.
    static let routes = ["/": "GET", "/health": "GET", "/translate": "POST"]

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as any HTTPResponseError {
            let path = request.uri.path
            switch error.status {
            case .notFound where Self.routes[path] != nil:
                return response(.json(["error": "\(request.method) is not allowed on \(path) (use \(Self.routes[path]!))"],
                                      status: 405))
            case .notFound:
                return response(.json(["error": "no such path \(path) (the API has GET /, GET /health, POST /translate)"],
                                      status: 404))
            case .contentTooLarge:
                return response(.json(["error": "the body is too large"], status: 413))
            default:
                let message = (error as? HTTPError)?.body ?? error.status.reasonPhrase
                return response(.json(["error": message], status: error.status.code))
            }
        }
    }
}
