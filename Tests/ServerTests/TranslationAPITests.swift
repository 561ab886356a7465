/// The handlers of nmt serve, without a network: answers, refusals, and batching.
import Foundation
import Testing
@testable import Server
import Autodiff
import Text
import Translation

/// A small random translator: its translations are nonsense, but they are its own.
func tinyTranslator() -> Translator {
    var config = ModelConfig()
    (config.embeddingSize, config.encoderHiddenSize, config.decoderHiddenSize, config.attentionSize) = (4, 4, 5, 4)
    config.dropout = 0
    let source = Vocabulary(tokens: ["ich", "muss", "zum", "arzt", "."])
    let target = Vocabulary(tokens: ["i", "have", "to", "go", "doctor", "."])
    var generator = SeededGenerator(seed: 3)
    let model = config.makeModel(sourceVocabularySize: source.count, targetVocabularySize: target.count,
                                 generator: &generator)
    model.trackGradients(false)
    return Translator(model: model, source: source, target: target, lowercase: true)
}

func api(maxBatch: Int = 32, wait: Duration = .milliseconds(1)) -> TranslationAPI {
    var limits = ServerLimits()
    limits.maxSourceTokens = 6
    let countTokens = tinyTranslator().sourceTokenCounter
    return TranslationAPI(service: TranslationService(translator: tinyTranslator(), maxBatchSentences: maxBatch, maxWait: wait),
                          limits: limits, modelName: "tiny", page: "<html></html>", countTokens: countTokens)
}

func object(_ response: APIResponse) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
}

struct TranslationAPITests {
    /// Every translation has its text and tokens, and an alignment of tokens × source
    /// tokens (`</s>` included) whose rows sum to 1.
    @Test func answersWithTranslationsAndAlignments() async throws {
        let response = await api().translate(body: Array(#"{"texts": ["Ich muss zum Arzt.", "Arzt"], "beam": 3}"#.utf8))
        #expect(response.status == 200)
        #expect(response.contentType.hasPrefix("application/json"))
        let translations = try #require(try object(response)["translations"] as? [[String: Any]])
        #expect(translations.count == 2)
        let expected = tinyTranslator().translate(["Ich muss zum Arzt.", "Arzt"], beam: 3)
        for (answer, translation) in zip(translations, expected) {
            #expect(answer["text"] as? String == translation.text)
            let tokens = try #require(answer["tokens"] as? [String])
            let sourceTokens = try #require(answer["sourceTokens"] as? [String])
            #expect(sourceTokens.last == "</s>" && Array(sourceTokens.dropLast()) == translation.sourceTokens)
            let alignment = try #require(answer["alignment"] as? [[Double]])
            #expect(alignment.count == tokens.count)
            for row in alignment {
                #expect(row.count == sourceTokens.count)
                #expect(abs(row.reduce(0, +) - 1) < 1e-5)
            }
            #expect((answer["alternatives"] as? [[String: Any]])?.count == translation.alternatives.count)
        }
    }

    @Test func refusalsAreJSONErrors() async throws {
        for (body, status) in [("{", 400), (#"{"text": "ich ich ich ich ich ich ich"}"#, 422), (#"{"texts": [1]}"#, 400)] {
            let response = await api().translate(body: Array(body.utf8))
            #expect(response.status == status)
            #expect(try object(response)["error"] is String)
        }
        let long = try object(await api().translate(body: Array(#"{"texts": ["ich", "ich ich ich ich ich ich ich"]}"#.utf8)))
        #expect(long["error"] as? String == "\"texts\"[1] has 7 tokens; at most 6")
    }

    /// Requests that arrive together are decoded in fewer batches than requests, and each
    /// gets the translation it would have got alone.
    @Test func concurrentRequestsShareBatches() async throws {
        let server = api(maxBatch: 32, wait: .milliseconds(50))
        let texts = ["Ich muss zum Arzt.", "Arzt", "Ich muss.", "zum Arzt", "Ich", "muss zum", "Arzt .", "ich ich"]
        let answers = await withTaskGroup(of: (Int, String?).self) { group in
            for (i, text) in texts.enumerated() {
                group.addTask {
                    let response = await server.translate(body: Array("{\"text\": \"\(text)\"}".utf8))
                    let translations = (try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])?["translations"]
                    return (i, ((translations as? [[String: Any]])?.first?["text"]) as? String)
                }
            }
            var answers = [String?](repeating: nil, count: texts.count)
            for await (i, text) in group { answers[i] = text }
            return answers
        }
        let alone = tinyTranslator().translate(texts).map(\.text)
        #expect(answers == alone)
        let health = try object(await server.health())
        #expect(health["requests"] as? Int == texts.count)
        #expect((health["batches"] as? Int ?? 99) < texts.count)
    }

    /// With batches of one, every request is decoded alone.
    @Test func batchesOfOneDecodeEachRequestAlone() async throws {
        let server = api(maxBatch: 1)
        for text in ["Arzt", "Ich muss"] { _ = await server.translate(body: Array("{\"text\": \"\(text)\"}".utf8)) }
        let health = try object(await server.health())
        #expect(health["batches"] as? Int == 2 && health["status"] as? String == "ok")
    }
}
