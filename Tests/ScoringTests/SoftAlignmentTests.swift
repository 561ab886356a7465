/// Tests of alignments read off attention: subword pieces merged into words, `</s>` left
/// out, one hard link per target word, and the JSON of the weights. Weights are sums of
/// powers of two, so that the merged values are exact.
import Testing
@testable import Scoring

struct SoftAlignmentTests {
    @Test func wholeWordsLoseTheEndOfSentenceRowAndColumn() {
        // das Haus </s> × the house </s>
        let soft = SoftAlignment(
            attention: [[0.75, 0.25, 0], [0.125, 0.625, 0.25], [0, 0.25, 0.75]],
            sourcePieces: ["das", "Haus"], targetPieces: ["the", "house"])
        #expect(soft.sourceWords == ["das", "Haus"] && soft.targetWords == ["the", "house"])
        #expect(soft.weights == [[0.75, 0.25], [0.125, 0.625]])
        #expect(soft.hardAlignment.pharaoh == "0-0 1-1")
        // Without a final </s> row the rows are the same.
        let short = SoftAlignment(attention: [[0.75, 0.25, 0], [0.125, 0.625, 0.25]],
                                  sourcePieces: ["das", "Haus"], targetPieces: ["the", "house"])
        #expect(short == soft)
    }

    /// `ins Krank@@ en@@ haus` is two words; Krankenhaus's weight is the sum of its three
    /// pieces': 0.125 · 3 = 0.375 in the first row, 0.25 · 3 = 0.75 in the second.
    @Test func aSourceWordWeighsTheSumOfItsPieces() {
        let soft = SoftAlignment(
            attention: [[0.5, 0.125, 0.125, 0.125, 0.125], [0.125, 0.25, 0.25, 0.25, 0.125]],
            sourcePieces: ["ins", "Krank@@", "en@@", "haus"], targetPieces: ["to", "hospital"])
        #expect(soft.sourceWords == ["ins", "Krankenhaus"])
        #expect(soft.weights == [[0.5, 0.375], [0.125, 0.75]])
        #expect(soft.hardAlignment.pharaoh == "0-0 1-1")
    }

    /// `lock` gives 0.3125 to each piece of `Tür@@ schloss` and 0.375 to `kaputt`: the
    /// word Türschloss has 0.625 and takes the link, though each of its pieces alone has
    /// less than kaputt.
    @Test func theSumOfPiecesDecidesTheHardLink() {
        let soft = SoftAlignment(attention: [[0.3125, 0.3125, 0.375, 0]],
                                 sourcePieces: ["Tür@@", "schloss", "kaputt"], targetPieces: ["lock"])
        #expect(soft.weights == [[0.625, 0.375]])
        #expect(soft.hardAlignment.pharaoh == "0-0")
    }

    /// `hospi@@ tal` is one target word whose row is the mean of its pieces' rows:
    /// ([0, 0.5] + [0.25, 0.75]) / 2 = [0.125, 0.625]; a sum would give [0.25, 1.25].
    @Test func aTargetWordsRowIsTheMeanOfItsPiecesRows() {
        let soft = SoftAlignment(
            attention: [[0.75, 0.125, 0.125], [0, 0.5, 0.5], [0.25, 0.75, 0], [0, 0, 1]],
            sourcePieces: ["das", "Spital"], targetPieces: ["the", "hospi@@", "tal"])
        #expect(soft.targetWords == ["the", "hospital"])
        #expect(soft.weights == [[0.75, 0.125], [0.125, 0.625]])
        #expect(soft.hardAlignment.sure == links([(0, 0), (1, 1)]))
        #expect(soft.json == "[[0.75,0.125],[0.125,0.625]]")
    }

    /// Equal weights go to the lower source word; a row with nothing on any source word
    /// (all of it on `</s>`) gets no link at all rather than one to word 0.
    @Test func tiesGoToTheLowerWordAndARowOnEndOfSentenceGetsNoLink() {
        let soft = SoftAlignment(
            attention: [[0.25, 0.375, 0.375, 0], [0.5, 0, 0.5, 0], [0, 0, 0, 1], [0, 0, 0.25, 0.75]],
            sourcePieces: ["a", "b", "c"], targetPieces: ["x", "y", "z", "w"])
        #expect(soft.hardAlignment.pharaoh == "0-1 1-0 2-3")
        #expect(SoftAlignment(attention: [[1], [1]], sourcePieces: [], targetPieces: ["x"]).hardAlignment.pharaoh == "")
    }

    /// As `BytePairEncoding.join` in Text: a final piece ending in `@@` ends its word, and
    /// a bare `@@` spells nothing (at the end it belongs to no word; inside, to the next).
    @Test func piecesMakeWordsAsTextJoinsThem() {
        let words = SoftAlignment.words(fromPieces: ["the", "new@@", "est", "do@@"])
        #expect(words.map(\.text) == ["the", "newest", "do"])
        #expect(words.map(\.pieces) == [0..<1, 1..<3, 3..<4])
        let bare = SoftAlignment.words(fromPieces: ["a", "@@", "b", "@@"])
        #expect(bare.map(\.text) == ["a", "b"] && bare.map(\.pieces) == [0..<1, 1..<3])
        #expect(SoftAlignment.words(fromPieces: []).isEmpty)
        // The mark is compared scalar by scalar, as Text does: after U+0600 it fuses with
        // the letter into one Character, and must still be seen.
        #expect(SoftAlignment.words(fromPieces: ["\u{0600}@@", "x"]).map(\.text) == ["\u{0600}x"])
    }

    /// A cut-off translation: the row of a final `hou@@` is its word's, and the row of a
    /// bare `@@` after a whole word belongs to no word and is left out.
    @Test func danglingPiecesAtTheEndOfATranslation() {
        let cut = SoftAlignment(attention: [[1, 0, 0], [0, 0.5, 0.5]],
                                sourcePieces: ["Das", "Haus"], targetPieces: ["The", "hou@@"])
        #expect(cut.targetWords == ["The", "hou"] && cut.weights == [[1, 0], [0, 0.5]])
        let bare = SoftAlignment(attention: [[1, 0, 0], [0, 1, 0]],
                                 sourcePieces: ["Das", "Haus"], targetPieces: ["The", "@@"])
        #expect(bare.targetWords == ["The"] && bare.weights == [[1, 0]])
        #expect(bare.hardAlignment.pharaoh == "0-0")
    }

    @Test func jsonRoundsToFourDecimalsAndWritesNullForNonFiniteWeights() {
        #expect(SoftAlignment.jsonNumber(0.123456) == "0.1235")
        #expect(SoftAlignment.jsonNumber(1) == "1")
        #expect(SoftAlignment.jsonNumber(0) == "0")
        #expect(SoftAlignment.jsonNumber(0.00001) == "0")
        #expect(SoftAlignment.jsonNumber(-0.00001) == "0")
        #expect(SoftAlignment.jsonNumber(.nan) == "null")
        let soft = SoftAlignment(sourceWords: ["a", "b"], targetWords: ["x"], weights: [[.infinity, 0.5]])
        #expect(soft.json == "[[null,0.5]]")
        #expect(SoftAlignment(sourceWords: [], targetWords: ["x", "y"], weights: [[], []]).json == "[[],[]]")
    }
}
