/// The interactive alignment viewer: one self-contained HTML page in which a person picks
/// a sentence, sees its attention matrix, reads each weight and follows each word.

/// A page that shows the alignment matrices of translations, in the manner of figure 3 of
/// Bahdanau et al. (2015) but interactive: a list of sentences with a search box, the
/// chosen sentence's matrix as a grid (source words across, output words down) where
/// hovering over a cell shows its weight and the two words, clicking an output word shades
/// the source words by how much it attended to each (and clicking a source word the
/// reverse), and a picker among the mean and each layer's heads.
///
/// The page is one file that needs nothing else: its script and style are inside it, its
/// data is JSON in a `<script type="application/json">` element, and a content security
/// policy forbids it to load or send anything (the live page may talk only to the server
/// that sent it). The same script serves both modes; the live page adds a text box whose
/// translations, asked of `POST /translate`, join the list.
public struct AlignmentViewer: Sendable {
    /// One named attention matrix of a sentence: the mean over heads, or one head of one layer.
    public struct Matrix: Equatable, Sendable {
        /// What the picker calls it: `all heads`, `layer 2, head 3`.
        public let name: String
        /// `weights[i][j]`: the weight of output token i on source token j.
        public let weights: [[Float]]

        public init(name: String, weights: [[Float]]) {
            self.name = name
            self.weights = weights
        }
    }

    /// One translated sentence: its tokens and its matrices, the first of which is shown
    /// first (the mean, for a model with several heads). A sentence without matrices (a
    /// model without attention) is listed, and the page says there is nothing to draw.
    public struct Sentence: Equatable, Sendable {
        /// Column labels, `</s>` included if the matrices have its column.
        public let sourceTokens: [String]
        /// Row labels, `</s>` included if the matrices have its row.
        public let targetTokens: [String]
        public let matrices: [Matrix]

        public init(sourceTokens: [String], targetTokens: [String], matrices: [Matrix]) {
            for matrix in matrices {
                precondition(matrix.weights.count == targetTokens.count, "\(matrix.name): one row per output token")
                precondition(matrix.weights.allSatisfy { $0.count == sourceTokens.count },
                             "\(matrix.name): one weight per source token")
            }
            self.sourceTokens = sourceTokens
            self.targetTokens = targetTokens
            self.matrices = matrices
        }
    }

    /// Whether the page carries its sentences alone or also translates.
    public enum Mode: Equatable, Sendable {
        /// A page to open from disk, as a report writes it: it fetches nothing.
        case standalone
        /// The page of `nmt serve`: a text box and a Translate button that post
        /// `{"text": …, "beam": k}` to `/translate` of the server that sent the page
        /// (`beam` the box's first value), show its answer in the viewer and its error
        /// when it refuses; `?text=…` in the address translates that text at once.
        case live(beam: Int)
    }

    /// The page's title and heading.
    public let title: String
    /// HTML placed as it is between the heading and the viewer: a report's tables and
    /// inline SVG figures. It must come from this program, never from what a user typed,
    /// and may load nothing from outside the page (the page's policy would block it).
    public let trustedHTML: String
    public let sentences: [Sentence]

    public init(title: String, trustedHTML: String = "", sentences: [Sentence]) {
        self.title = title
        self.trustedHTML = trustedHTML
        self.sentences = sentences
    }

    /// The whole page. (SVG's escaping of text suits HTML text as well.)
    public func html(_ mode: Mode = .standalone) -> String {
        var live = false
        if case .live = mode { live = true }
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta http-equiv="Content-Security-Policy" content="\(Self.contentSecurityPolicy(live: live))">
            <title>\(SVG.escaped(title))</title>
            <style>
            \(Self.style)</style>
            </head>
            <body>
            <header><h1>\(SVG.escaped(title))</h1></header>
            \(trustedHTML.isEmpty ? "" : "<section class=\"report\">\n\(trustedHTML)\n</section>\n")\
            \(Self.liveForm(mode))\(Self.viewerMarkup)
            <script type="application/json" id="viewer-data">\(dataJSON)</script>
            <script>
            \(Self.viewerScript)\(live ? Self.liveScript : "")</script>
            </body>
            </html>

            """
    }

    /// What the page may load and where it may send: nothing but its own inline script and
    /// style, images written into it (`data:`), and for the live page its own server.
    static func contentSecurityPolicy(live: Bool) -> String {
        "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; "
            + "connect-src \(live ? "'self'" : "'none'"); base-uri 'none'; form-action 'none'"
    }

    /// The sentences as the script reads them:
    /// `{"sentences": [{"source": […], "target": […], "matrices": [{"name": …, "weights": [[…]]}]}]}`.
    var dataJSON: String {
        let sentences = sentences.map { sentence in
            ViewerJSON.object([
                ("source", ViewerJSON.array(sentence.sourceTokens.map(ViewerJSON.string))),
                ("target", ViewerJSON.array(sentence.targetTokens.map(ViewerJSON.string))),
                ("matrices", ViewerJSON.array(sentence.matrices.map { matrix in
                    ViewerJSON.object([
                        ("name", ViewerJSON.string(matrix.name)),
                        ("weights", ViewerJSON.array(matrix.weights.map { ViewerJSON.array($0.map(ViewerJSON.number)) })),
                    ])
                })),
            ])
        }
        return ViewerJSON.object([("sentences", ViewerJSON.array(sentences))])
    }

    /// The text box of the live page, or nothing.
    private static func liveForm(_ mode: Mode) -> String {
        guard case .live(let beam) = mode else { return "" }
        return """
            <form id="live-form" class="live" autocomplete="off">
            <label for="live-text">German text</label>
            <textarea id="live-text" rows="2" placeholder="Ich muss zum Arzt."></textarea>
            <div class="live-controls">
            <label for="live-beam">Beam size</label>
            <input id="live-beam" type="number" min="1" max="64" value="\(beam)">
            <button id="live-submit" type="submit">Translate</button>
            <p id="live-status" role="status"></p>
            </div>
            </form>

            """
    }

    /// The list, the matrix and its controls, filled in by the script.
    private static let viewerMarkup = """
        <main class="viewer">
        <nav class="sentences" aria-label="Sentences">
        <label for="viewer-search">Search</label>
        <input id="viewer-search" type="search" placeholder="source or output words">
        <p id="viewer-count" class="muted"></p>
        <ol id="viewer-list"></ol>
        </nav>
        <section class="matrix" aria-label="Alignment">
        <div class="toolbar">
        <label id="viewer-matrix-label" for="viewer-matrix" hidden>Weights</label>
        <select id="viewer-matrix" hidden></select>
        </div>
        <h2 id="viewer-caption"></h2>
        <p id="viewer-output" class="muted"></p>
        <div id="viewer-grid"></div>
        <div class="legend">
        <svg id="viewer-legend" width="180" height="34" aria-hidden="true"></svg>
        <p class="muted">Each cell is the weight α with which the output word of its row attended to the source \
        word of its column. Hover over a cell to read it; click a word (or focus it and press Enter) to see \
        where it looked.</p>
        </div>
        <p id="viewer-details" aria-live="polite"></p>
        <div id="viewer-alternatives"></div>
        <p id="viewer-error" role="alert" hidden></p>
        <noscript><p>The matrix needs JavaScript, which this browser does not run.</p></noscript>
        </section>
        </main>
        <div id="viewer-tooltip" role="tooltip" hidden></div>
        """
}
