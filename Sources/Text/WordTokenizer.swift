/// Splitting text into word and punctuation tokens, and joining English tokens back into text.

/// A rule-based word tokenizer that works from Unicode character categories, so that it
/// needs no language-specific lists and treats „German“, «French» and ¿Spanish? alike.
///
/// A token is either a run of word characters (letters, combining marks, digits) or a
/// single other character (punctuation, symbol, emoji). Within a run, some separators do
/// not split a word:
/// - an apostrophe between word characters: `don't`, `Peter's`, `l'homme`;
/// - a hyphen between word characters: `E-Mail`, `10-15`;
/// - `.`, `,` or `:` between digits: `3,50`, `1.000`, `10:30`, `2.5`;
/// - `.` between letters, for abbreviations: `p.m`, `z.B`, `U.S.A` (the final period
///   stays a token of its own, as it may also end the sentence).
///
/// Whitespace separates tokens, control characters are dropped, and every other
/// character ends up in exactly one token. Text is handled as grapheme clusters, so an
/// emoji with a skin tone or a letter with combining accents is never cut apart.
public struct WordTokenizer: Sendable {
    /// Whether tokens are lowercased (the whole text is, before splitting).
    public var lowercase: Bool
    /// Whether ``detokenize(_:)`` capitalises the first word and the pronoun "i",
    /// for models trained on lowercased text.
    public var capitalize: Bool

    /// A tokenizer; `capitalize` defaults to `lowercase`, since text that was lowercased
    /// is the text that needs its capitals back.
    public init(lowercase: Bool = false, capitalize: Bool? = nil) {
        self.lowercase = lowercase
        self.capitalize = capitalize ?? lowercase
    }

    // MARK: Tokenizing

    /// The tokens of `text`, in order.
    public func tokenize(_ text: String) -> [String] {
        let prepared = lowercase ? text.lowercased() : text
        return chunks(of: prepared).flatMap(tokens(ofChunk:))
    }

    /// The whitespace-separated pieces of `text`, with control characters removed.
    ///
    /// This works on Unicode scalars, not characters: Swift joins a space and a following
    /// combining mark into one character, and splitting on characters would then lose
    /// the boundary.
    private func chunks(of text: String) -> [String] {
        var chunks: [String] = []
        var current = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar.properties.isWhitespace {
                if !current.isEmpty { chunks.append(String(current)) }
                current = String.UnicodeScalarView()
            } else if scalar.properties.generalCategory != .control {
                current.append(scalar)
            }
        }
        if !current.isEmpty { chunks.append(String(current)) }
        return chunks
    }

    /// The tokens of a piece of text that holds no whitespace.
    private func tokens(ofChunk chunk: String) -> [String] {
        let characters = Array(chunk)
        var tokens: [String] = []
        var word = ""
        for (i, character) in characters.enumerated() {
            let previous = i > 0 ? characters[i - 1] : nil
            let next = i + 1 < characters.count ? characters[i + 1] : nil
            if isWordCharacter(character)
                || isInternalSeparator(character, between: previous, and: next)
            {
                word.append(character)
                continue
            }
            if !word.isEmpty { tokens.append(word) }
            word = ""
            tokens.append(String(character))
        }
        if !word.isEmpty { tokens.append(word) }
        return tokens
    }

    /// Letters, marks and digits make up words; everything else stands alone.
    private func isWordCharacter(_ character: Character) -> Bool {
        switch character.unicodeScalars.first!.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
            .nonspacingMark, .spacingMark, .enclosingMark,
            .decimalNumber, .letterNumber, .otherNumber:
            true
        default:
            false
        }
    }

    /// Whether `character` joins the word characters on either side of it.
    private func isInternalSeparator(
        _ character: Character, between previous: Character?, and next: Character?
    ) -> Bool {
        guard let previous, let next else { return false }
        if Self.apostrophes.contains(character) || Self.hyphens.contains(character) {
            return isWordCharacter(previous) && isWordCharacter(next)
        }
        if Self.digitSeparators.contains(character) && previous.isWholeNumber && next.isWholeNumber {
            return true
        }
        return character == "." && previous.isLetter && next.isLetter
    }

    private static let apostrophes: Set<Character> = ["'", "\u{2019}"]
    private static let hyphens: Set<Character> = ["-", "\u{2010}", "\u{2011}"]
    private static let digitSeparators: Set<Character> = [".", ",", ":"]

    // MARK: Detokenizing

    /// English text from tokens: words separated by spaces, except none before closing
    /// punctuation and none after opening punctuation. Straight double quotes alternate
    /// between opening and closing; a straight single quote closes an open one, else
    /// closes a plural possessive after `s` (`the parents' house`), else opens.
    ///
    /// For any tokens this tokenizer produced, `tokenize(detokenize(tokens)) == tokens`
    /// (when capitalising, that needs `lowercase` too, to undo the capitals).
    public func detokenize(_ tokens: [String]) -> String {
        var text = ""
        var previousOpens = true  // nothing goes before the first token
        var doubleQuoteIsOpen = false
        var singleQuoteIsOpen = false
        var previousToken = ""
        var capitalizeNext = capitalize
        for token in tokens {
            var token = token
            var opens = Self.openingPunctuation.contains(token)
            var closes = Self.closingPunctuation.contains(token)
            if token == "\"" {
                closes = doubleQuoteIsOpen
                opens = !closes
                doubleQuoteIsOpen.toggle()
            }
            if token == "'" {
                closes = singleQuoteIsOpen || previousToken.last == "s" || previousToken.last == "S"
                opens = !closes
                singleQuoteIsOpen = opens
            }
            if capitalize, let first = token.first, first.isLetter || first.isNumber {
                if capitalizeNext || isPronounI(token) { token = capitalizingFirstLetter(token) }
                capitalizeNext = false
            }
            if !(previousOpens || closes) || !joinsCleanly(text, token) {
                text += " "
            }
            text += token
            previousOpens = opens
            previousToken = token
        }
        return text
    }

    /// Whether two pieces of text, written without a space, keep their own characters:
    /// a token starting with a combining mark would otherwise merge into the one before.
    private func joinsCleanly(_ text: String, _ token: String) -> Bool {
        guard let last = text.last, let first = token.first else { return true }
        return (String(last) + String(first)).count == 2
    }

    /// Whether `token` is the English "I", alone or contracted ("i'm", "i'll").
    private func isPronounI(_ token: String) -> Bool {
        token == "i" || Self.apostrophes.contains { token.hasPrefix("i" + String($0)) }
    }

    /// `token` with its first letter in upper case, unless lowercasing would not give the
    /// same letter back (`ß` becomes `SS`), which would break the round trip.
    private func capitalizingFirstLetter(_ token: String) -> String {
        let first = String(token.first!)
        let upper = first.uppercased()
        guard upper.lowercased() == first else { return token }
        return upper + token.dropFirst()
    }

    private static let closingPunctuation: Set<String> = [
        ".", ",", "!", "?", ";", ":", ")", "]", "}", "%", "…", "\u{201D}",
    ]
    private static let openingPunctuation: Set<String> = ["(", "[", "{", "\u{201C}"]
}
