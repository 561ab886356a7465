/// Tests of the alignment figures: well-formed SVG, one shaded cell per weight, hover
/// titles, escaping, and the baseline's note.
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import Reports
@testable import Autodiff
@testable import Text
@testable import Figures
@testable import Translation

/// The elements of an XML document, in order, with their attributes and text; nil if the
/// document is not well-formed.
func xmlElements(_ document: String) -> [(name: String, attributes: [String: String], text: String)]? {
    final class Collector: NSObject, XMLParserDelegate {
        var elements: [(name: String, attributes: [String: String], text: String)] = []
        var open: [Int] = []
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?,
                    qualifiedName: String?, attributes: [String: String]) {
            open.append(elements.count)
            elements.append((name, attributes, ""))
        }
        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            open.removeLast()
        }
        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if let last = open.last { elements[last].text += string }
        }
    }
    let parser = XMLParser(data: Data(document.utf8))
    let collector = Collector()
    parser.delegate = collector
    return parser.parse() ? collector.elements : nil
}

/// A translation as the translator returns it.
private func translation(source: [String], output: [String], alignment: [[Float]]) -> Translation {
    Translation(text: output.joined(separator: " "), sourceTokens: source, tokens: output,
                alignment: alignment, logProbability: -1)
}

struct AlignmentFigureTests {
    /// A translation by a model with two heads gets one figure per head, each the head's
    /// own rows; one without heads gets none.
    @Test func eachHeadGetsItsOwnFigure() {
        var twoHeads = translation(source: ["ja"], output: ["yes"], alignment: [[0.5, 0.5], [0.5, 0.5]])
        twoHeads.heads = [[[1, 0], [0, 1]], [[0.25, 0.75], [0.75, 0.25]]]
        twoHeads.headLayers = 1
        let figures = AlignmentFigure.heads(of: twoHeads, caption: "Sentence 1")
        #expect(figures.map(\.caption) == ["Sentence 1, head 1", "Sentence 1, head 2"])
        #expect(figures[0].weights == [[1, 0], [0.25, 0.75]] && figures[1].weights == [[0, 1], [0.75, 0.25]])
        #expect(figures[0].targetTokens == ["yes", "</s>"] && figures[0].sourceTokens == ["ja", "</s>"])
        #expect(AlignmentFigure.heads(of: example, caption: "Sentence 1").isEmpty)
    }

    let example = translation(
        source: ["das", "Haus", "ist", "klein"], output: ["the", "house", "is", "small"],
        alignment: [[0.9, 0.05, 0.03, 0.01, 0.01], [0.05, 0.87, 0.04, 0.02, 0.02], [0, 0, 1, 0, 0],
                    [0, 0, 0, 0.5, 0.5], [0, 0, 0, 0.2, 0.8]])

    @Test func drawsOneShadedCellPerWeightWithItsTitle() throws {
        let figure = AlignmentFigure(example, caption: "Sentence 1")
        #expect(figure.sourceTokens == ["das", "Haus", "ist", "klein", "</s>"])
        #expect(figure.targetTokens == ["the", "house", "is", "small", "</s>"])
        let elements = try #require(xmlElements(figure.svg))

        let titles = elements.filter { $0.name == "title" }.map(\.text)
        #expect(titles.count == 25)
        #expect(titles.contains("Haus → house: 0.87"))
        #expect(titles.contains("</s> → </s>: 0.80"))
        let cells = elements.filter { $0.name == "rect" && $0.attributes["fill"]?.hasPrefix("#") == true }
        #expect(cells.count == 25)
        // White for 0, black for 1, middle gray for one half.
        #expect(cells[0].attributes["fill"] == "#1a1a1a")  // 0.9
        #expect(cells[12].attributes["fill"] == "#000000")  // "ist" → "is": 1
        #expect(cells[13].attributes["fill"] == "#ffffff")  // 0
        #expect(cells[18].attributes["fill"] == "#808080")  // 0.5
        let labels = elements.filter { $0.name == "text" }.map(\.text)
        #expect(labels.starts(with: ["Sentence 1", "das", "Haus", "ist", "klein", "</s>", "the", "house"]))
    }

    @Test func shadesAreClampedToZeroAndOne() {
        #expect(AlignmentFigure.gray(-0.2) == "#ffffff")
        #expect(AlignmentFigure.gray(0) == "#ffffff")
        #expect(AlignmentFigure.gray(1) == "#000000")
        #expect(AlignmentFigure.gray(1.3) == "#000000")
        #expect(AlignmentFigure.gray(0.25) == "#bfbfbf")
    }

    /// Tokens are text from the user: markup in them must stay text, and control
    /// characters, which XML cannot hold at all, must go.
    @Test func escapesTokensAndCaption() throws {
        let figure = AlignmentFigure(
            sourceTokens: ["<b>", "&amp;", "\"x\"", "it's", "bell\u{7}", "</s>"], targetTokens: ["<script>", "</s>"],
            weights: [[0.5, 0.1, 0.1, 0.1, 0.1, 0.1], [0, 0, 0, 0, 0, 1]], caption: "R&D <test>")
        let elements = try #require(xmlElements(figure.svg))
        #expect(!elements.contains { $0.name == "b" || $0.name == "script" })
        let texts = elements.filter { $0.name == "text" }.map(\.text)
        #expect(texts.contains("R&D <test>"))
        #expect(texts.contains("&amp;"))
        #expect(texts.contains("\"x\""))
        #expect(texts.contains("it's"))
        #expect(texts.contains("bell"))
        #expect(elements.filter { $0.name == "title" }.map(\.text).contains("<b> → <script>: 0.50"))
    }

    /// The baseline has no attention: the figure says so, and draws no matrix.
    @Test func saysThatTheBaselineHasNoAlignment() throws {
        let baseline = translation(source: ["das", "Haus"], output: ["the", "house"], alignment: [])
        let figure = AlignmentFigure(baseline, caption: "Sentence 1")
        #expect(figure.note != nil)
        let elements = try #require(xmlElements(figure.svg))
        #expect(elements.filter { $0.name == "title" }.isEmpty)
        #expect(elements.contains { $0.name == "text" && $0.text.hasPrefix("No attention") })

        let empty = AlignmentFigure(translation(source: [], output: [], alignment: []), caption: "Sentence 2")
        #expect(empty.note?.contains("empty line") == true)
    }

    /// Several sentences stack into one document, as tall as all of them, with the
    /// shading scale defined once.
    @Test func stacksSentencesOneBelowTheOther() throws {
        let first = AlignmentFigure(example, caption: "Sentence 1")
        let second = AlignmentFigure(translation(source: ["ja"], output: ["yes"], alignment: [[0.7, 0.3], [0.1, 0.9]]),
                                     caption: "Sentence 2")
        let svg = AlignmentFigure.svg(stacking: [first, second])
        let elements = try #require(xmlElements(svg))
        let root = try #require(elements.first)
        #expect(root.name == "svg")
        #expect(Double(root.attributes["height"]!)! >= first.size.height + second.size.height)
        #expect(Double(root.attributes["width"]!)! >= max(first.size.width, second.size.width))
        #expect(elements.filter { $0.name == "linearGradient" }.count == 1)
        #expect(elements.filter { $0.name == "title" }.count == 25 + 4)
        let captions = elements.filter { $0.name == "text" && $0.text.hasPrefix("Sentence") }.map(\.text)
        #expect(captions == ["Sentence 1", "Sentence 2"])
    }

    /// Long labels widen and heighten the figure instead of leaving it.
    @Test func makesRoomForLongLabels() {
        let short = AlignmentFigure(sourceTokens: ["a", "</s>"], targetTokens: ["b"], weights: [[1, 0]], caption: "")
        let long = AlignmentFigure(sourceTokens: ["a", "Donaudampfschifffahrtsgesellschaft"],
                                   targetTokens: ["extraordinarily"], weights: [[1, 0]], caption: "")
        #expect(long.size.width > short.size.width + 50)
        #expect(long.size.height > short.size.height + 100)
    }

    /// The figure of a real translation has a row per output step and a column per
    /// source token and `</s>`.
    @Test func drawsWhatTheTranslatorReturns() throws {
        var generator = SeededGenerator(seed: 3)
        let source = Vocabulary(tokens: ["das", "Haus"]), target = Vocabulary(tokens: ["the", "house"])
        var config = ModelConfig()
        (config.embeddingSize, config.encoderHiddenSize, config.decoderHiddenSize, config.attentionSize) = (3, 3, 4, 3)
        let model = RNNModel(config: config, sourceVocabularySize: source.count,
                            targetVocabularySize: target.count, generator: &generator)
        model.trackGradients(false)
        let translator = Translator(model: model, source: source, target: target, lowercase: false)
        let result = translator.translate(["das Haus"], limit: LengthLimit(ratio: 1, extra: 2))[0]
        let figure = AlignmentFigure(result, caption: "Sentence 1")
        #expect(figure.note == nil)
        #expect(figure.sourceTokens == ["das", "Haus", "</s>"])
        #expect(figure.weights.count == figure.targetTokens.count)
        let titles = try #require(xmlElements(figure.svg)).filter { $0.name == "title" }
        #expect(titles.count == 3 * figure.targetTokens.count)
    }
}
