/// Training, saving, resuming and translating with byte-pair subword units.

import Foundation
import Testing
@testable import Translation
@testable import Files
@testable import Text

struct SubwordTrainingTests {
    /// The fixture with `merges` byte-pair merges: few enough that some words stay split.
    func fixture(merges: Int = 12) throws -> TrainingFixture {
        var fixture = try TrainingFixture()
        fixture.config.vocabulary.merges = merges
        return fixture
    }

    /// Both sides are split by merges learned from the training corpus, and the
    /// validation data by the same merges.
    @Test func trainingDataIsSplitIntoSubwords() throws {
        let fixture = try fixture()
        let trainer = try fixture.newTrainer()
        let subwords = try #require(trainer.train.subwords)
        #expect(subwords.merges.count == 12)
        #expect(trainer.valid.subwords == subwords)
        for vocabulary in [trainer.train.source, trainer.train.target] {
            #expect(vocabulary.tokens.contains { $0.hasSuffix("@@") })
        }
        let tokenizer = WordTokenizer()
        let words = fixture.train.sources.map(tokenizer.tokenize)
        let first = trainer.train.source.decode(trainer.train.pairs[0].source)
        #expect(first == subwords.segment(words)[0])
        #expect(BytePairEncoding.join(first) == words[0])
    }

    /// A model trained on subwords saves its merges, reloads with them and translates
    /// into whole words as the model in memory does.
    @Test func savesReloadsAndTranslatesWholeWords() throws {
        let fixture = try fixture()
        let trainer = try fixture.newTrainer()
        var record = TrainingRecord()
        try record.run(trainer)
        let checkpoint = fixture.checkpoint
        #expect(try BytePairEncoding(contentsOf: checkpoint.subwordCodesPath) == trainer.train.subwords)

        let reloaded = try Translator(checkpoint: checkpoint, weightsFile: "last.safetensors")
        #expect(reloaded.subwords == trainer.train.subwords)
        let inMemory = Translator(model: trainer.model, source: trainer.train.source, target: trainer.train.target,
                                  lowercase: false, subwords: trainer.train.subwords)
        let sources = fixture.valid.sources + ["ein unbekanntes wort", "x"]
        let translations = reloaded.translate(sources)
        #expect(translations.map(\.text) == inMemory.translate(sources).map(\.text))
        #expect(translations.contains { !$0.text.isEmpty })
        for translation in translations {
            #expect(!translation.text.contains("@@"))
            #expect(translation.text == WordTokenizer().detokenize(BytePairEncoding.join(translation.tokens)))
        }
        #expect(translations[0].sourceTokens == trainer.valid.source.decode(trainer.valid.pairs[0].source))
        // The reloaded translator multiplies by packed copies of the weights (`forDecoding`),
        // which sum in their own order: the same scores up to rounding.
        let scores = zip(reloaded.score(sources: fixture.valid.sources, targets: fixture.valid.targets),
                         inMemory.score(sources: fixture.valid.sources, targets: fixture.valid.targets))
        for (got, expected) in scores { #expect(abs(got - expected) <= 1e-5 * abs(expected), "\(got) against \(expected)") }
    }

    /// Resuming reads the merges back, so the corpus is split exactly as before.
    @Test func resumingSplitsTheCorpusAsBefore() throws {
        let fixture = try fixture()
        let trainer = try fixture.newTrainer()
        var record = TrainingRecord()
        try record.run(trainer, stopAfter: 6)
        let resumed = try fixture.resumedTrainer()
        #expect(resumed.train.subwords == trainer.train.subwords)
        #expect(resumed.train.pairs.map(\.source) == trainer.train.pairs.map(\.source))
        #expect(resumed.train.pairs.map(\.target) == trainer.train.pairs.map(\.target))
        #expect(resumed.valid.pairs.map(\.source) == trainer.valid.pairs.map(\.source))
    }

    /// Without merges, no codes file is written, none is read, and words stay whole.
    @Test func wholeWordsNeedNoCodesFile() throws {
        let fixture = try TrainingFixture()
        let trainer = try fixture.newTrainer()
        #expect(trainer.train.subwords == nil)
        #expect(!FileManager.default.fileExists(atPath: fixture.checkpoint.subwordCodesPath))
        #expect(!trainer.train.source.tokens.contains { $0.hasSuffix("@@") })
        #expect(try fixture.checkpoint.readSubwords(for: trainer.config) == nil)
    }

    /// A subword checkpoint whose codes file is missing or malformed is refused, naming
    /// the file (and the line).
    @Test func missingOrMalformedCodesFileIsNamed() throws {
        let fixture = try fixture()
        var record = TrainingRecord()
        try record.run(try fixture.newTrainer(), stopAfter: 1)
        let path = fixture.checkpoint.subwordCodesPath
        try "#version: 0.2\nh u\nnot a merge\n".write(toFile: path, atomically: false, encoding: .utf8)
        #expect {
            try Translator(checkpoint: fixture.checkpoint, weightsFile: "last.safetensors")
        } throws: { error in
            (error as? InputError)?.path == path && (error as? InputError)?.line == 3
        }
        try FileManager.default.removeItem(atPath: path)
        #expect(throws: InputError(path: path, "no such file")) {
            try fixture.resumedTrainer()
        }
    }

    /// A negative merge count is refused, by name.
    @Test func negativeMergesAreRefused() throws {
        var config = Configuration()
        config.vocabulary.merges = -1
        #expect(config.problems == ["vocabulary.merges must be 0 (whole words) or more, got -1"])
        #expect(throws: InputError(path: "c.json", "vocabulary.merges must be 0 (whole words) or more, got -1")) {
            try Configuration.parse(#"{"vocabulary": {"merges": -1}}"#, path: "c.json", as: .overrides)
        }
        #expect(try Configuration.parse(#"{"vocabulary": {"merges": 30}}"#, path: "c.json", as: .overrides).vocabulary.merges == 30)
    }
}
