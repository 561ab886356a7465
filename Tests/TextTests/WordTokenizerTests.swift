/// Tests of the word tokenizer and the English detokenizer.
import Testing
@testable import Autodiff
@testable import Text

struct WordTokenizerTests {
    let tokenizer = WordTokenizer()

    @Test func splitsPunctuationOffEnglishWords() {
        #expect(
            tokenizer.tokenize("Hello, world! (It's fine.)")
                == ["Hello", ",", "world", "!", "(", "It's", "fine", ".", ")"])
    }

    @Test func splitsGermanQuotesAndKeepsCompounds() {
        #expect(
            tokenizer.tokenize("Er sagte: „Schick mir eine E-Mail.“")
                == ["Er", "sagte", ":", "„", "Schick", "mir", "eine", "E-Mail", ".", "“"])
        #expect(
            tokenizer.tokenize("Peters Hund, Peter's dog") == [
                "Peters", "Hund", ",", "Peter's", "dog",
            ])
    }

    @Test func keepsNumbersWithInternalSeparators() {
        #expect(
            tokenizer.tokenize("Das kostet 3,50 € bzw. 1.000 Euro, um 10:30 Uhr, 10-15 Mal, 2.5%.")
                == [
                    "Das", "kostet", "3,50", "€", "bzw", ".", "1.000", "Euro", ",", "um", "10:30",
                    "Uhr", ",", "10-15", "Mal", ",", "2.5", "%", ".",
                ])
        #expect(tokenizer.tokenize("Im Jahr 1990. Dann") == ["Im", "Jahr", "1990", ".", "Dann"])
    }

    @Test func keepsAbbreviationsButNotTheirFinalPeriod() {
        #expect(tokenizer.tokenize("z.B. um 7 p.m.") == ["z.B", ".", "um", "7", "p.m", "."])
    }

    @Test func placesSingleQuotesAndPossessives() {
        #expect(
            tokenizer.detokenize(["the", "parents", "'", "house", "and", "'", "home", "'", "."])
                == "the parents' house and 'home'.")    }

    @Test func separatesPunctuationFromOtherLanguages() {
        #expect(tokenizer.tokenize("«Bonjour»") == ["«", "Bonjour", "»"])
        #expect(tokenizer.tokenize("¿Qué?") == ["¿", "Qué", "?"])
        #expect(tokenizer.tokenize("Warte—nein…") == ["Warte", "—", "nein", "…"])
        #expect(
            tokenizer.tokenize("'quoted' don't -dash-") == [
                "'", "quoted", "'", "don't", "-", "dash", "-",
            ])
    }

    @Test func keepsEveryCharacterButControls() {
        #expect(
            tokenizer.tokenize("Ich 👍🏽 東京 und Москва!") == ["Ich", "👍🏽", "東京", "und", "Москва", "!"])
        #expect(tokenizer.tokenize("a\u{7}b\tc\r\nd\u{0}") == ["ab", "c", "d"])
        #expect(tokenizer.tokenize("Cafe\u{301} straße") == ["Cafe\u{301}", "straße"])
        #expect(tokenizer.tokenize("  \n ").isEmpty)
    }

    @Test func lowercasesWhenAsked() {
        let lower = WordTokenizer(lowercase: true)
        #expect(lower.tokenize("Die STRASSE, Ärger!") == ["die", "strasse", ",", "ärger", "!"])
    }

    @Test func detokenizesEnglishPunctuation() {
        let tokens = [
            "He", "said", ":", "\"", "Hi", "(", "again", ")", "!", "\"", "50", "%", "of", "[", "us",
            "]", "…",
        ]
        #expect(tokenizer.detokenize(tokens) == "He said: \"Hi (again)!\" 50% of [us]…")
        #expect(
            tokenizer.detokenize(["I", "don't", "know", ";", "do", "you", "?"])
                == "I don't know; do you?")
        #expect(tokenizer.detokenize([]) == "")
    }

    @Test func straightQuotesAlternate() {
        let tokens = ["\"", "a", "\"", "and", "\"", "b", "\"", "."]
        #expect(tokenizer.detokenize(tokens) == "\"a\" and \"b\".")
    }

    @Test func capitalizesLowercasedOutput() {
        let lower = WordTokenizer(lowercase: true)
        #expect(lower.capitalize)
        #expect(
            lower.detokenize(["\"", "yes", ",", "i", "think", "i'm", "in", "berlin", ".", "\""])
                == "\"Yes, I think I'm in berlin.\"")
        #expect(lower.detokenize(["3", "apples", "."]) == "3 apples.")
        // "ß" has no one-letter capital; it stays as it is.
        #expect(lower.detokenize(["ß", "ok"]) == "ß ok")
        #expect(
            WordTokenizer(lowercase: true, capitalize: false).detokenize(["i", "am"]) == "i am")
    }

    @Test(arguments: [
        "A man in a blue shirt is standing on a ladder.",
        "Two dogs (a puppy and its mother) play in the snow; \"they're happy!\"",
        "It costs $3.50, i.e. 20% less... really?",
        "Das Café „Zur Linde“ öffnet um 10:30 — oder?",
        "¿Dónde está el baño? «Ici», dit-il.",
        "Emoji 👨‍👩‍👧 and flags 🇩🇪🇬🇧 stay whole.",
    ])
    func roundTripsSentences(text: String) {
        for tokenizer in [WordTokenizer(), WordTokenizer(lowercase: true)] {
            let tokens = tokenizer.tokenize(text)
            #expect(tokenizer.tokenize(tokenizer.detokenize(tokens)) == tokens)
        }
    }

    @Test func neverGluesACombiningMarkOntoPunctuation() {
        // A mark with no letter before it stays a token of its own: "(" + "\u{301}a" would
        // read back as the one character "(\u{301}" followed by "a".
        let tokens = tokenizer.tokenize("( \u{301}a")
        #expect(tokens == ["(", "\u{301}a"])
        #expect(tokenizer.detokenize(tokens) == "( \u{301}a")
    }

    @Test(arguments: [
        "The cat's toy (a red ball) rolled away, didn't it? Yes: 2.5 metres!",
        "We always go to my parents' for Christmas at 6 p.m. on the 24th.",
        "She said \"no\" [twice]; 30% agreed, e.g. Anna's friends' friends.",
    ])
    func detokenizingUndoesTokenizingOfNormalEnglish(text: String) {
        #expect(tokenizer.detokenize(tokenizer.tokenize(text)) == text)
    }

    /// Random strings over a mix of scripts, punctuation, marks, emoji parts, controls and
    /// spaces: tokenizing never crashes, tokens are never empty or contain whitespace,
    /// and detokenizing then tokenizing gives the same tokens back.
    @Test func roundTripsRandomUnicode() {
        let alphabet: [Unicode.Scalar] = [
            "a", "Z", "ß", "é", "Ä", "i", "I", "İ", "ǅ", "Σ", "ж", "東", "ع", "\u{0915}", "\u{094D}",
            "0", "7", "٣", "½", "²", ".", ",", ":", ";", "!", "?", "'", "\u{2019}", "-", "\u{2010}",
            "\"", "(", ")", "[", "]", "{", "}", "%", "…", "„", "“", "”", "«", "»", "¿", "—", "_",
            "/", "€", "+", "\u{301}", "\u{20E3}", "\u{FE0F}", "\u{200D}", "\u{200B}", "\u{600}",
            "👍", "\u{1F3FD}", "\u{1F1E9}", "\u{1F1EA}", "\u{1100}", "\u{1161}",
            " ", " ", " ", "\t", "\n", "\u{A0}", "\u{2028}", "\u{7}", "\u{0}", "\u{7F}", "\u{85}",
        ]
        var generator = SeededGenerator(seed: 7)
        for tokenizer in [WordTokenizer(), WordTokenizer(lowercase: true)] {
            for _ in 0..<2000 {
                let length = Int(generator.next() % 24)
                var scalars = String.UnicodeScalarView()
                for _ in 0..<length {
                    scalars.append(alphabet[Int(generator.next() % UInt64(alphabet.count))])
                }
                let text = String(scalars)
                let tokens = tokenizer.tokenize(text)
                #expect(
                    !tokens.contains {
                        $0.isEmpty || $0.unicodeScalars.contains { $0.properties.isWhitespace }
                    })
                let again = tokenizer.tokenize(tokenizer.detokenize(tokens))
                #expect(
                    again == tokens,
                    "text: \(text.unicodeScalars.map { String($0.value, radix: 16) })")
            }
        }
    }
}
