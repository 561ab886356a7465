/// Small line and bar charts in SVG: axes with round ticks, labels, a legend, several series.
import Foundation

/// One named series of values.
public struct ChartSeries {
    var name: String
    /// (x, y) pairs; for a bar chart x is the category's index.
    var points: [(x: Double, y: Double)]
    var color: String
    /// Dashed lines tell apart two series of the same colour (training and validation).
    var dashed = false

    public init(name: String, points: [(x: Double, y: Double)], color: String, dashed: Bool = false) {
        (self.name, self.points, self.color, self.dashed) = (name, points, color, dashed)
    }
}

/// Colours that stay distinct for the common forms of colour blindness (Okabe and Ito).
public enum ChartPalette {
    public static let blue = "#0072B2"
    public static let vermillion = "#D55E00"
    public static let green = "#009E73"
    public static let purple = "#CC79A7"
    public static let orange = "#E69F00"
    public static let skyBlue = "#56B4E9"
    public static let black = "#000000"
    public static let yellow = "#F0E442"
    public static let grey = "#999999"
    public static let brown = "#8C510A"
    /// Okabe and Ito's eight colours, told apart by colour-blind readers too, and two more
    /// for a comparison of ten models.
    public static let all = [blue, vermillion, green, purple, orange, skyBlue, black, yellow, grey, brown]
}

/// What line and bar charts share: the title, a y axis from zero with round ticks and
/// light grid lines, the axis labels, and a legend under the plot.
struct ChartFrame {
    var title: String
    var xLabel: String
    var yLabel: String
    var width: Double
    var height: Double
    /// One entry per series: a short line, dashed or not, or a box for bars.
    var legend: [(name: String, color: String, dashed: Bool, box: Bool)]
    /// The largest y value plotted; the axis runs from 0 to a round value above it.
    var yMaximum: Double
    /// Lines of text under each x tick (two for categories with a count under them).
    var xTickLines = 1

    static let fontSize = 12.0
    static let titleSize = 14.0
    static let legendSample = 22.0

    var yTicks: [Double] { Self.roundTicks(upTo: yMaximum) }
    private var yTickLabels: [String] { Self.tickLabels(yTicks) }

    // The plot area, inside the margins.
    var plotLeft: Double {
        let widest = yTickLabels.map { SVG.textWidth($0, fontSize: Self.fontSize) }.max() ?? 0
        return 12 + Self.fontSize + 10 + widest + 6
    }
    var plotRight: Double { width - 16 }
    var plotTop: Double { 12 + Self.titleSize + 14 }
    var plotBottom: Double {
        height - 10 - Double(legendRows.count) * (Self.fontSize + 8) - (Self.fontSize + 8)
            - Double(xTickLines) * (Self.fontSize + 3) - 6
    }

    /// The screen y of a value.
    func y(_ value: Double) -> Double {
        let top = yTicks.last ?? 1
        return plotBottom - value / top * (plotBottom - plotTop)
    }

    /// The width of one legend entry: every entry gets the widest one's, so that entries
    /// line up in columns when they take more than one row.
    private var legendColumn: Double {
        let longest = legend.map { SVG.textWidth($0.name, fontSize: Self.fontSize) }.max() ?? 0
        return Self.legendSample + 6 + longest + 18
    }

    /// Legend entries in rows of as many columns as fit the width.
    private var legendRows: [[Int]] {
        let columns = max(1, min(legend.count, Int((width - 24) / legendColumn)))
        return stride(from: 0, to: legend.count, by: columns).map { Array($0..<min($0 + columns, legend.count)) }
    }

    /// Title, grid, y axis, axis labels and legend.
    func draw() -> String {
        var out = SVG.text(title, x: width / 2, y: 12 + Self.titleSize, size: Self.titleSize, anchor: "middle",
                           extra: "font-weight=\"bold\"")
        for (value, label) in zip(yTicks, yTickLabels) {
            let y = y(value)
            out += SVG.line(x1: plotLeft, y1: y, x2: plotRight, y2: y, stroke: value == 0 ? "#333" : "#e4e4e4")
            out += SVG.text(label, x: plotLeft - 6, y: y + Self.fontSize / 3, size: Self.fontSize, anchor: "end")
        }
        out += SVG.line(x1: plotLeft, y1: plotTop, x2: plotLeft, y2: plotBottom, stroke: "#333")
        let yMiddle = (plotTop + plotBottom) / 2
        out += SVG.text(yLabel, x: 12 + Self.fontSize, y: yMiddle, size: Self.fontSize, anchor: "middle",
                        extra: "transform=\"rotate(-90 \(SVG.number(12 + Self.fontSize)) \(SVG.number(yMiddle)))\"")
        let xLabelY = plotBottom + Double(xTickLines) * (Self.fontSize + 3) + 6 + Self.fontSize + 4
        out += SVG.text(xLabel, x: (plotLeft + plotRight) / 2, y: xLabelY, size: Self.fontSize, anchor: "middle")
        return out + drawLegend(top: xLabelY + 10)
    }

    /// The legend as a block of rows and columns, centred under the plot.
    private func drawLegend(top: Double) -> String {
        var out = ""
        let columns = legendRows.first?.count ?? 0
        let left = (width - Double(columns) * legendColumn + 18) / 2
        for (r, row) in legendRows.enumerated() {
            let y = top + Double(r) * (Self.fontSize + 8) + Self.fontSize / 2
            for (column, entry) in row.map({ legend[$0] }).enumerated() {
                let x = left + Double(column) * legendColumn
                if entry.box {
                    out += "<rect x=\"\(SVG.number(x + 5))\" y=\"\(SVG.number(y - 6))\" width=\"12\" height=\"12\" "
                        + "fill=\"\(entry.color)\"/>\n"
                } else {
                    out += SVG.line(x1: x, y1: y, x2: x + Self.legendSample, y2: y, stroke: entry.color, width: 2,
                                    extra: entry.dashed ? "stroke-dasharray=\"5 3\"" : "")
                }
                out += SVG.text(entry.name, x: x + Self.legendSample + 6, y: y + Self.fontSize / 3, size: Self.fontSize)
            }
        }
        return out
    }

    /// Ticks at round values (1, 2 or 5 times a power of ten) from 0 to just above
    /// `maximum`, about five of them.
    static func roundTicks(upTo maximum: Double) -> [Double] {
        let top = maximum > 0 ? maximum : 1
        let step = roundStep(top / 5)
        let count = Int((top / step).rounded(.up))
        return (0...count).map { Double($0) * step }
    }

    /// The smallest of 1, 2, 5 × 10^k at least `x`.
    static func roundStep(_ x: Double) -> Double {
        let power = pow(10, floor(log10(x)))
        for factor in [1.0, 2, 5, 10] where factor * power >= x * (1 - 1e-9) { return factor * power }
        return 10 * power
    }

    /// Tick values with as many decimals as their step needs, and no more.
    static func tickLabels(_ ticks: [Double]) -> [String] {
        let step = ticks.count > 1 ? ticks[1] - ticks[0] : 1
        let decimals = max(0, Int(-floor(log10(step) + 1e-9)))
        return ticks.map { String(format: "%.\(decimals)f", $0) }
    }
}

/// Lines over a numeric x axis, with a dot at every point (so that a series of one point
/// still shows).
public struct LineChart {
    var title: String
    var xLabel: String
    var yLabel: String
    var series: [ChartSeries]
    var width = 440.0
    var height = 320.0

    public init(title: String, xLabel: String, yLabel: String, series: [ChartSeries],
                width: Double = 440, height: Double = 320) {
        (self.title, self.xLabel, self.yLabel, self.series) = (title, xLabel, yLabel, series)
        (self.width, self.height) = (width, height)
    }

    private var frame: ChartFrame {
        let ys = series.flatMap { $0.points.map(\.y) }
        return ChartFrame(title: title, xLabel: xLabel, yLabel: yLabel, width: width, height: height,
                          legend: series.map { ($0.name, $0.color, $0.dashed, false) },
                          yMaximum: ys.max() ?? 1)
    }

    private var xTicks: [Double] {
        ChartFrame.roundTicks(upTo: series.flatMap { $0.points.map(\.x) }.max() ?? 1)
    }

    public var svg: String { SVG.document(width: width, height: height, body: body) }

    /// The chart's elements, its top left corner at the origin.
    public var body: String {
        let frame = frame, ticks = xTicks
        let left = frame.plotLeft, right = frame.plotRight
        func x(_ value: Double) -> Double { left + value / (ticks.last ?? 1) * (right - left) }
        var out = frame.draw()
        for (value, label) in zip(ticks, ChartFrame.tickLabels(ticks)) {
            out += SVG.line(x1: x(value), y1: frame.plotBottom, x2: x(value), y2: frame.plotBottom + 4, stroke: "#333")
            out += SVG.text(label, x: x(value), y: frame.plotBottom + 4 + ChartFrame.fontSize,
                            size: ChartFrame.fontSize, anchor: "middle")
        }
        if series.allSatisfy({ $0.points.isEmpty }) {
            out += SVG.text("no data", x: (left + right) / 2, y: (frame.plotTop + frame.plotBottom) / 2,
                            size: ChartFrame.fontSize, anchor: "middle", extra: "fill=\"#777\"")
        }
        for s in series where !s.points.isEmpty {
            let coordinates = s.points.map { "\(SVG.number(x($0.x))),\(SVG.number(frame.y($0.y)))" }
            out += "<polyline points=\"\(coordinates.joined(separator: " "))\" fill=\"none\" stroke=\"\(s.color)\" "
                + "stroke-width=\"2\"\(s.dashed ? " stroke-dasharray=\"5 3\"" : "")>"
                + "<title>\(SVG.escaped(s.name))</title></polyline>\n"
            for point in s.points {
                out += "<circle cx=\"\(SVG.number(x(point.x)))\" cy=\"\(SVG.number(frame.y(point.y)))\" r=\"2.5\" "
                    + "fill=\"\(s.color)\"><title>\(SVG.escaped(s.name)): \(SVG.number(point.x)), "
                    + "\(String(format: "%.3g", point.y))</title></circle>\n"
            }
        }
        return out
    }
}

/// Bars grouped by category, one bar per series in each group, each labelled with its
/// value; a missing value leaves a gap marked "–".
public struct BarChart {
    var title: String
    var xLabel: String
    var yLabel: String
    /// The category names; a newline starts a second line under the tick.
    var categories: [String]
    /// `values[c]` is the series' value in category c, or nil for none.
    var series: [(name: String, values: [Double?], color: String)]
    var width = 480.0
    var height = 320.0

    public init(title: String, xLabel: String, yLabel: String, categories: [String],
                series: [(name: String, values: [Double?], color: String)], width: Double = 480, height: Double = 320) {
        (self.title, self.xLabel, self.yLabel, self.categories, self.series) = (title, xLabel, yLabel, categories, series)
        (self.width, self.height) = (width, height)
    }

    private var frame: ChartFrame {
        let largest = series.flatMap { $0.values.compactMap { $0 } }.max() ?? 1
        let lines = categories.map { $0.split(separator: "\n").count }.max() ?? 1
        // Room above the tallest bar for its label.
        return ChartFrame(title: title, xLabel: xLabel, yLabel: yLabel, width: width, height: height,
                          legend: series.map { ($0.name, $0.color, false, true) },
                          yMaximum: largest * 1.08, xTickLines: lines)
    }

    public var svg: String { SVG.document(width: width, height: height, body: body) }

    /// The chart's elements, its top left corner at the origin.
    public var body: String {
        let frame = frame
        let group = (frame.plotRight - frame.plotLeft) / Double(max(categories.count, 1))
        let bar = group * 0.72 / Double(max(series.count, 1))
        var out = frame.draw()
        for (c, category) in categories.enumerated() {
            let middle = frame.plotLeft + (Double(c) + 0.5) * group
            for (l, line) in category.split(separator: "\n").enumerated() {
                out += SVG.text(String(line), x: middle, y: frame.plotBottom + ChartFrame.fontSize + 3
                                    + Double(l) * (ChartFrame.fontSize + 3),
                                size: ChartFrame.fontSize - Double(l), anchor: "middle",
                                extra: l > 0 ? "fill=\"#555\"" : "")
            }
            for (s, series) in series.enumerated() {
                let x = middle - Double(self.series.count) * bar / 2 + Double(s) * bar
                let labelSize = ChartFrame.fontSize - 2
                guard let value = series.values[c] else {
                    out += SVG.text("–", x: x + bar / 2, y: frame.plotBottom - 4, size: labelSize, anchor: "middle",
                                    extra: "fill=\"#777\"")
                    continue
                }
                let top = frame.y(value)
                out += "<rect x=\"\(SVG.number(x + 1))\" y=\"\(SVG.number(top))\" width=\"\(SVG.number(bar - 2))\" "
                    + "height=\"\(SVG.number(frame.plotBottom - top))\" fill=\"\(series.color)\">"
                    + "<title>\(SVG.escaped(series.name)): \(String(format: "%.1f", value))</title></rect>\n"
                out += SVG.text(String(format: "%.1f", value), x: x + bar / 2, y: top - 3, size: labelSize,
                                anchor: "middle")
            }
        }
        return out
    }
}
