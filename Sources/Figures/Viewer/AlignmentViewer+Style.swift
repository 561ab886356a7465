/// The alignment viewer's style sheet, kept in Swift so that the module needs no resources.

extension AlignmentViewer {
    /// The page's CSS: the sentence list on the left, the matrix on the right, the fonts
    /// every system has, and the colours of the matrix (white 0 to deep blue 1, with the
    /// word in focus in vermillion, both from palettes that stay distinct for the common
    /// forms of colour blindness).
    static let style = #"""
        :root {
          --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --panel: #f6f8fa;
          --accent: #d55e00; --select: #0072b2; --chosen: #ddeaf6;
          font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", Helvetica, Arial, sans-serif;
        }
        * { box-sizing: border-box; }
        body { margin: 0; color: var(--ink); background: #fff; font-size: 15px; line-height: 1.45; }
        header { padding: 16px 28px; border-bottom: 1px solid var(--line); }
        h1 { margin: 0; font-size: 21px; font-weight: 600; }
        h2 { margin: 4px 0 2px; font-size: 17px; font-weight: 600; }
        .muted { color: var(--muted); }
        .report { padding: 8px 28px 16px; border-bottom: 1px solid var(--line); overflow-x: auto; }
        .report table { border-collapse: collapse; margin: 10px 0; }
        .report th, .report td { border-bottom: 1px solid var(--line); padding: 4px 10px; text-align: left; }
        .live { padding: 14px 28px; border-bottom: 1px solid var(--line); background: var(--panel); }
        .live label { font-weight: 600; margin-right: 6px; }
        .live textarea { display: block; width: 100%; max-width: 860px; margin: 6px 0 8px; padding: 8px 10px;
          font: inherit; border: 1px solid var(--line); border-radius: 6px; resize: vertical; }
        .live-controls { display: flex; align-items: center; gap: 8px; flex-wrap: wrap; }
        .live-controls input { width: 4.5em; font: inherit; padding: 3px 6px; }
        .live-controls p { margin: 0 0 0 8px; }
        button, select, input { font: inherit; }
        #live-submit { padding: 5px 16px; border: 1px solid var(--select); border-radius: 6px;
          background: var(--select); color: #fff; cursor: pointer; }
        #live-submit:disabled { opacity: 0.6; cursor: progress; }
        .error { color: #b3261e; }
        .viewer { display: grid; grid-template-columns: minmax(230px, 330px) minmax(0, 1fr); min-height: 70vh; }
        .sentences { background: var(--panel); border-right: 1px solid var(--line); padding: 14px 12px;
          max-height: 100vh; overflow-y: auto; position: sticky; top: 0; }
        .sentences label { font-weight: 600; font-size: 13px; }
        #viewer-search { display: block; width: 100%; margin: 4px 0 6px; padding: 5px 8px;
          border: 1px solid var(--line); border-radius: 6px; }
        #viewer-count { margin: 0 0 8px; font-size: 13px; }
        #viewer-list { list-style: none; margin: 0; padding: 0; }
        #viewer-list button { display: grid; grid-template-columns: 2.2em minmax(0, 1fr); width: 100%;
          padding: 5px 6px; border: 0; border-radius: 6px; background: transparent; color: inherit;
          text-align: left; cursor: pointer; }
        #viewer-list button:hover { background: #eaeef2; }
        #viewer-list button:focus-visible { outline: 2px solid var(--select); outline-offset: -2px; }
        #viewer-list button[aria-current="true"] { background: var(--chosen); box-shadow: inset 3px 0 0 var(--select); }
        #viewer-list .number { grid-row: span 2; color: var(--muted); font-size: 12px; padding-top: 2px;
          font-variant-numeric: tabular-nums; }
        #viewer-list .source, #viewer-list .target { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
        #viewer-list .target { color: var(--muted); font-size: 13px; }
        .matrix { padding: 14px 28px 28px; min-width: 0; }
        .toolbar { display: flex; align-items: center; gap: 8px; }
        .toolbar label { font-weight: 600; font-size: 13px; }
        .toolbar select { padding: 3px 6px; }
        #viewer-output { margin: 0 0 10px; }
        #viewer-grid { overflow-x: auto; }
        #viewer-grid svg { display: block; font-size: 13px; }
        #viewer-grid .cell { stroke: #fff; stroke-width: 1; }
        #viewer-grid .dimmed { opacity: 0.5; }
        #viewer-grid .word { cursor: pointer; outline: none; }
        #viewer-grid .word text { fill: var(--ink); }
        #viewer-grid .word:hover text, #viewer-grid .word.hovered text { font-weight: 600; }
        #viewer-grid .word:focus-visible .shade { stroke: var(--select); stroke-width: 2; }
        #viewer-grid .word.chosen text { fill: var(--accent); font-weight: 700; }
        #viewer-grid .shade { fill: var(--accent); fill-opacity: 0; }
        #viewer-grid .outline { fill: none; stroke: var(--accent); stroke-width: 2; }
        .legend { display: flex; align-items: center; gap: 14px; margin-top: 14px; max-width: 760px; }
        .legend p { margin: 0; font-size: 13px; }
        .legend svg { flex: none; }
        #viewer-details { min-height: 1.5em; margin: 12px 0 0; }
        #viewer-details b { color: var(--accent); }
        #viewer-alternatives h3 { font-size: 14px; margin: 16px 0 4px; }
        #viewer-alternatives ol { margin: 0; padding-left: 1.6em; }
        #viewer-alternatives .score { color: var(--muted); font-variant-numeric: tabular-nums; margin-left: 8px; }
        #viewer-tooltip { position: fixed; z-index: 10; pointer-events: none; padding: 5px 8px; border-radius: 5px;
          background: #1f2328; color: #fff; font-size: 13px; white-space: nowrap; }
        #viewer-error { color: #b3261e; font-weight: 600; }
        @media (max-width: 760px) {
          .viewer { grid-template-columns: 1fr; }
          .sentences { position: static; max-height: 40vh; border-right: 0; border-bottom: 1px solid var(--line); }
        }

        """#
}
