/// Tests of the alignment viewer's page: nothing outside the page is named, the embedded
/// data reads back as given whatever the sentences hold, both modes share one script.
/// `scripts/browser-test.sh` runs the page itself in Chromium.
import Foundation
import Testing
@testable import Figures

/// The text of the page's data element, from its start tag to the first `</script>`
/// (where a browser ends it too).
private func embeddedData(_ page: String) throws -> String {
    let start = try #require(page.range(of: "<script type=\"application/json\" id=\"viewer-data\">"))
    let end = try #require(page.range(of: "</script>", range: start.upperBound..<page.endIndex))
    return String(page[start.upperBound..<end.lowerBound])
}

/// The embedded data parsed back by Foundation: one dictionary per sentence.
private func parsedSentences(_ page: String) throws -> [[String: Any]] {
    let object = try JSONSerialization.jsonObject(with: Data(try embeddedData(page).utf8))
    let root = try #require(object as? [String: Any])
    return try #require(root["sentences"] as? [[String: Any]])
}

/// How often `needle` occurs in `text`, ignoring case.
private func occurrences(of needle: String, in text: String) -> Int {
    text.lowercased().components(separatedBy: needle.lowercased()).count - 1
}

struct AlignmentViewerTests {
    let standalone = ViewerSample.viewer.html()
    let live = ViewerSample.viewer.html(.live(beam: 7))

    @Test(arguments: [false, true])
    func thePageNamesNothingOutsideItself(isLive: Bool) {
        let page = (isLive ? live : standalone).lowercased()
        for reference in ["http:", "https:", "ws://", "wss://", "ftp:", "src=", "href=", "<link", "@import", "<iframe", "<object", "<embed"] {
            #expect(!page.contains(reference), "\(reference)")
        }
        // Every url( is a reference inside the page (the legend's gradient).
        #expect(occurrences(of: "url(", in: page) == occurrences(of: "url(#", in: page))
        // No address that starts with // (scheme-relative) in a string or an attribute.
        #expect(page.range(of: #"["'(=]\s*//"#, options: .regularExpression) == nil)
        #expect(page.contains("default-src 'none'"))
    }

    @Test func onlyTheLivePageMaySendAndOnlyToItsServer() {
        #expect(standalone.contains("connect-src 'none'") && live.contains("connect-src 'self'"))
        for sending in ["fetch(", "XMLHttpRequest", "WebSocket", "sendBeacon", "EventSource"] {
            #expect(!standalone.contains(sending), "\(sending)")
        }
        #expect(live.contains("fetch('/translate'"))
        #expect(live.contains("<form id=\"live-form\"") && !standalone.contains("live-form"))
        #expect(live.contains("<input id=\"live-beam\" type=\"number\" min=\"1\" max=\"64\" value=\"7\">"))
    }

    @Test func bothModesRunTheSameViewerScript() {
        #expect(standalone.contains(AlignmentViewer.viewerScript))
        #expect(live.contains(AlignmentViewer.viewerScript + AlignmentViewer.liveScript))
        #expect(occurrences(of: "const viewer =", in: live) == 1)
    }

    @Test func theDataReadsBackAsGiven() throws {
        let sentences = try parsedSentences(standalone)
        #expect(sentences.count == ViewerSample.viewer.sentences.count)
        for (parsed, original) in zip(sentences, ViewerSample.viewer.sentences) {
            #expect(parsed["source"] as? [String] == original.sourceTokens)
            #expect(parsed["target"] as? [String] == original.targetTokens)
            let matrices = try #require(parsed["matrices"] as? [[String: Any]])
            #expect(matrices.map { $0["name"] as? String } == original.matrices.map(\.name))
            for (matrix, expected) in zip(matrices, original.matrices) {
                let weights = try #require(matrix["weights"] as? [[Double]])
                #expect(weights.count == expected.weights.count)
                for (row, expectedRow) in zip(weights, expected.weights) {
                    // Three decimals: within half a thousandth of the Float.
                    #expect(row.count == expectedRow.count)
                    #expect(zip(row, expectedRow).allSatisfy { abs($0 - Double($1)) <= 0.0005 + 1e-9 }, "\(row)")
                }
            }
        }
    }

    /// `</script>`, `<!--`, quotes and the rest come back the same, and the page still has
    /// exactly its two script elements and no comment.
    @Test func textThatWouldBreakThePageIsEscaped() throws {
        let hostile = try parsedSentences(standalone)[2]
        #expect(hostile["source"] as? [String] == ["</script>", "<!--", "\"Zitat\"", "a\\b", "&amp;", "</s>"])
        #expect(hostile["target"] as? [String] == ["</SCRIPT >", "<script>alert(1)</script>", "'quote'", "x\u{2028}y", "👋🏽", "</s>"])
        #expect(occurrences(of: "<script", in: standalone) == 2)
        #expect(occurrences(of: "</script", in: standalone) == 2)
        #expect(occurrences(of: "<!--", in: standalone) == 0)
        #expect(!(try embeddedData(standalone)).contains("<"))
    }

    @Test func jsonStringsEscapeWhatHTMLAndJSONNeed() {
        #expect(ViewerJSON.string("</script><!--") == #""\u003c/script\u003e\u003c!--""#)
        #expect(ViewerJSON.string("\"\\&\u{2028}\u{2029}") == #""\"\\\u0026\u2028\u2029""#)
        #expect(ViewerJSON.string("a\nb\tc\r\u{0}\u{1B}") == #""a\nb\tc\r\u0000\u001b""#)
        #expect(ViewerJSON.string("Straße 👋🏽") == "\"Straße 👋🏽\"")
    }

    @Test func weightsAreWrittenWithThreeDecimalsAndNullWhenNotFinite() throws {
        #expect(ViewerJSON.number(0.8726) == "0.873")
        #expect(ViewerJSON.number(0.5) == "0.5")
        #expect(ViewerJSON.number(1) == "1")
        #expect(ViewerJSON.number(0.0001) == "0")
        #expect(ViewerJSON.number(-0.0001) == "0")
        #expect(ViewerJSON.number(.nan) == "null" && ViewerJSON.number(-.infinity) == "null")
        let viewer = AlignmentViewer(title: "t", sentences: [
            .init(sourceTokens: ["a", "b"], targetTokens: ["x"], matrices: [.init(name: "m", weights: [[.nan, 1]])]),
        ])
        let matrices = try #require(try parsedSentences(viewer.html())[0]["matrices"] as? [[String: Any]])
        let row = try #require((matrices[0]["weights"] as? [[Any]])?.first)
        #expect(row.first is NSNull && (row.last as? Double) == 1)
    }

    @Test func theTitleIsEscapedAndTheReportPlacedAsItIsAboveTheViewer() throws {
        #expect(standalone.contains("<title>Alignments of test sentences &lt;1–4&gt; &amp; more</title>"))
        #expect(standalone.contains("<h1>Alignments of test sentences &lt;1–4&gt; &amp; more</h1>"))
        let report = try #require(standalone.range(of: ViewerSample.report))
        let viewer = try #require(standalone.range(of: "<main class=\"viewer\">"))
        #expect(report.upperBound <= viewer.lowerBound)
        #expect(!AlignmentViewer(title: "t", sentences: []).html().contains("class=\"report\""))
    }

    @Test func aSentenceWithoutAttentionIsKeptWithNoMatrix() throws {
        let baseline = try parsedSentences(standalone)[3]
        #expect(baseline["source"] as? [String] == ["Guten", "Morgen", "</s>"])
        #expect((baseline["matrices"] as? [Any])?.isEmpty == true)
    }

    /// Not a check: writes the sample pages for `scripts/browser-test.sh`, into the folder
    /// named by `VIEWER_SAMPLE_DIR`.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["VIEWER_SAMPLE_DIR"] != nil))
    func writeSamplePagesForTheBrowserTest() throws {
        let folder = URL(fileURLWithPath: ProcessInfo.processInfo.environment["VIEWER_SAMPLE_DIR"]!)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try standalone.write(to: folder.appendingPathComponent("viewer.html"), atomically: true, encoding: .utf8)
        let liveViewer = AlignmentViewer(title: "Live translation", sentences: [])
        try liveViewer.html(.live(beam: 5)).write(to: folder.appendingPathComponent("viewer-live.html"),
                                                 atomically: true, encoding: .utf8)
    }
}
