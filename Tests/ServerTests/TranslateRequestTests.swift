/// The body of POST /translate: the two accepted forms, and every way of getting it wrong.
import Testing
@testable import Server
import Autodiff

struct TranslateRequestTests {
    let limits = ServerLimits()

    func parse(_ body: String) throws(APIError) -> TranslateRequest {
        try TranslateRequest(body: Array(body.utf8), limits: limits)
    }

    @Test func oneTextOrSeveral() throws {
        let one = try parse(#"{"text": "Guten Morgen."}"#)
        #expect(one.texts == ["Guten Morgen."] && one.beam == 1 && one.isSingle)
        let several = try parse(#"{"texts": ["a", "b"], "beam": 5}"#)
        #expect(several.texts == ["a", "b"] && several.beam == 5 && !several.isSingle)
        #expect(try parse(#"{"text": "a", "beam": 2.0}"#).beam == 2)
    }

    /// Each refusal, with its status and message.
    @Test(arguments: [
        ("", 400, "the body is not valid JSON"),
        ("{\"text\": ", 400, "the body is not valid JSON"),
        ("[\"a\"]", 400, "the body must be a JSON object such as {\"text\": \"Guten Morgen.\"}"),
        ("\"a\"", 400, "the body must be a JSON object such as {\"text\": \"Guten Morgen.\"}"),
        ("{}", 400, "expected \"text\" (a string) or \"texts\" (an array of strings)"),
        ("{\"text\": 5}", 400, "\"text\" must be a string"),
        ("{\"text\": null}", 400, "\"text\" must be a string"),
        ("{\"text\": \"  \"}", 400, "\"text\" is empty"),
        ("{\"texts\": \"a\"}", 400, "\"texts\" must be an array of strings"),
        ("{\"texts\": []}", 400, "\"texts\" is empty"),
        ("{\"texts\": [\"a\", 3]}", 400, "\"texts\"[1] must be a string"),
        ("{\"texts\": [\"a\", \"\"]}", 400, "\"texts\"[1] is empty"),
        ("{\"text\": \"a\", \"texts\": [\"b\"]}", 400, "give \"text\" or \"texts\", not both"),
        ("{\"text\": \"a\", \"beam\": true}", 400, "\"beam\" must be a whole number"),
        ("{\"text\": \"a\", \"beam\": 2.5}", 400, "\"beam\" must be a whole number"),
        ("{\"text\": \"a\", \"beam\": \"5\"}", 400, "\"beam\" must be a whole number"),
        ("{\"text\": \"a\", \"beam\": 0}", 422, "\"beam\" must be between 1 and 16, got 0"),
        ("{\"text\": \"a\", \"beam\": 1e30}", 400, "\"beam\" must be a whole number"),
        ("{\"text\": \"a\", \"Beam\": 2}", 400, "unknown key \"Beam\" (known: text, texts, beam)"),
    ])
    func refused(body: String, status: Int, message: String) {
        let error = #expect(throws: APIError.self) { try parse(body) }
        #expect(error?.status.rawValue == status)
        #expect(error?.message == message)
    }

    @Test func tooManySentences() {
        let body = "{\"texts\": [" + Array(repeating: "\"a\"", count: limits.maxSentences + 1).joined(separator: ",") + "]}"
        let error = #expect(throws: APIError.self) { try parse(body) }
        #expect(error == APIError(.unprocessableContent, "65 sentences in one request; at most 64"))
    }

    /// Thousands of random bodies: each is either a request or an APIError, never a crash.
    @Test func randomBodiesNeverCrash() {
        var generator = SeededGenerator(seed: 5)
        let pieces = ["{", "}", "[", "]", "\"text\"", "\"texts\"", "\"beam\"", ":", ",", "\"a\"", "1", "-2", "2.5",
                      "true", "null", "\"\\u0000\"", "\"ü\"", " ", "\"\\ud800\"", "1e400"]
        var accepted = 0
        for _ in 0..<5_000 {
            let body = (0..<Int.random(in: 0...12, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
            if (try? parse(body)) != nil { accepted += 1 }
            let bytes = (0..<Int.random(in: 0...40, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            _ = try? TranslateRequest(body: bytes, limits: limits)
        }
        #expect(accepted < 5_000)
    }
}
