/// Tests of the 13a tokenizer and of the Python string rules, against sacreBLEU 2.6.0.
import Testing
@testable import Scoring

struct Tokenizer13aTests {
    let tokenizer = Tokenizer13a()

    @Test(arguments: SacreBLEUFixtures.caseNames)
    func tokenizesEverySentenceAsSacreBLEU(caseName: String) throws {
        let fixture = try SacreBLEUFixtures.loadCase(caseName)
        let sentences = fixture.hypotheses + fixture.references
        let expected = fixture.tokenizedHypotheses + fixture.tokenizedReferences
        for (sentence, tokenized) in zip(sentences, expected) {
            #expect(sameScalars(tokenizer.tokenize(sentence), tokenized), "\(sentence)")
        }
    }

    @Test func tokenizesLineBreaksEntitiesAndOddInputAsSacreBLEU() throws {
        for example in try SacreBLEUFixtures.loadTextRules().tokenizerExtras {
            #expect(sameScalars(tokenizer.tokenize(example.text), example.tokenized), "\(example.text)")
        }
    }

    @Test func fixturesKeepDecomposedCharacters() throws {
        // If decoding the fixtures normalized Unicode, the tests above would miss the
        // difference between "é" and "e" + combining acute accent.
        let fixture = try SacreBLEUFixtures.loadCase("unicode_punctuation")
        #expect(fixture.hypotheses.contains { $0.unicodeScalars.contains("\u{0301}") })
    }

    @Test func splitsPunctuationButKeepsNumbersWhole() {
        #expect(tokenizer.tokenize("Hello, world!") == "Hello , world !")
        #expect(tokenizer.tokenize("It costs 1,000.50 (3.5%).") == "It costs 1,000.50 ( 3.5 % ) .")
        #expect(tokenizer.tokenize("pages 10-15") == "pages 10 - 15")
        #expect(tokenizer.tokenize("well-known rock'n'roll") == "well-known rock'n'roll")
    }

    @Test func leavesNonASCIIPunctuationAttached() {
        #expect(tokenizer.tokenize("„Gut“ — sagte sie…") == "„Gut“ — sagte sie…")
        #expect(tokenizer.tokenize("5\u{00A0}€") == "5 €")
    }

    @Test func decodesMtevalsFourEntities() {
        #expect(tokenizer.tokenize("&lt;b&gt; &quot;x&quot; &amp;amp;") == "< b > \" x \" & amp ;")
    }

    @Test func pythonStringRulesMatchPython() throws {
        for example in try SacreBLEUFixtures.loadTextRules().pythonStrings {
            let scalars = Array(example.text.unicodeScalars)
            #expect(sameScalars(PythonText.lower(example.text), example.lower), "\(example.text)")
            #expect(sameScalars(PythonText.rstrip(example.text), example.rstrip), "\(example.text)")
            let pieces = PythonText.split(scalars).map { String(String.UnicodeScalarView($0)) }
            #expect(pieces.count == example.split.count && zip(pieces, example.split).allSatisfy(sameScalars),
                    "\(example.text)")
        }
    }

    @Test func lowercasesAFinalSigmaAsPythonDoes() {
        #expect(PythonText.lower("ΟΔΟΣ ΣΟΦΙΑ") == "οδος σοφια")
        #expect(PythonText.lower("İ").unicodeScalars.map(\.value) == [0x69, 0x307])
    }
}
