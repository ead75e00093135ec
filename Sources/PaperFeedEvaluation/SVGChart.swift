import Foundation

/// Inline SVG charts for the HTML report: a line chart (metric@k per system) and a histogram.
/// Output is XML (every element closed, text escaped) so it embeds in XHTML-style pages.
/// Axes start at 0 on y (line chart) and use "nice" ticks (1, 2 or 5 × 10ⁿ, about 5 of them).
public enum SVGChart {
    /// One colour per series, in order (colour-blind-safe Okabe–Ito palette, then repeats).
    public static let palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"]

    static let margin = (left: 60.0, right: 150.0, top: 30.0, bottom: 45.0)

    /// Line chart of `series` (name → [x: y]); `order` fixes the legend and colour order
    /// (default: names in byte order).
    public static func lineChart(_ series: [String: [Int: Double]], order: [String]? = nil, title: String,
                                 xLabel: String = "k", yLabel: String, width: Double = 720,
                                 height: Double = 360) -> String {
        let names = (order ?? series.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }).filter { series[$0] != nil }
        let xs = series.values.flatMap(\.keys)
        let xMin = Double(xs.min() ?? 1), xMax = Double(max(xs.max() ?? 1, (xs.min() ?? 1) + 1))
        let yTicks = niceTicks(0, max(series.values.flatMap(\.values).max() ?? 1, 1e-9))
        let frame = Frame(width: width, height: height, x0: xMin, x1: xMax, y0: 0, y1: yTicks.last!)
        var out = open(width, height, title)
        out += axes(frame, xTicks: niceTicks(xMin, xMax).filter { $0 >= xMin }, yTicks: yTicks, xLabel: xLabel,
                    yLabel: yLabel)
        for (i, name) in names.enumerated() {
            let colour = palette[i % palette.count]
            let points = series[name]!.keys.sorted().map { k in
                "\(f(frame.x(Double(k)))),\(f(frame.y(series[name]![k]!)))"
            }
            out += "<polyline fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\" points=\"\(points.joined(separator: " "))\"/>\n"
            let ly = margin.top + 18 * Double(i) + 10
            out += "<line x1=\"\(f(width - margin.right + 12))\" y1=\"\(f(ly))\" x2=\"\(f(width - margin.right + 36))\" "
                + "y2=\"\(f(ly))\" stroke=\"\(colour)\" stroke-width=\"3\"/>\n"
            out += "<text x=\"\(f(width - margin.right + 42))\" y=\"\(f(ly + 4))\" font-size=\"12\">\(ReportHTML.escape(name))</text>\n"
        }
        return out + "</svg>\n"
    }

    /// Histogram of `values` in about `bins` equal-width bins laid out so that one bin is
    /// centred on 0 (bin j covers [(j − ½)·w, (j + ½)·w), w = span / bins over the range of the
    /// values and 0): a reader with no difference falls in the middle of the 0 bin, never on an
    /// edge. A dashed line marks 0.
    public static func histogram(_ values: [Double], bins: Int = 20, title: String, xLabel: String,
                                 width: Double = 720, height: Double = 300) -> String {
        let layout = HistogramBins(values, bins: bins)
        let yTicks = niceTicks(0, Double(max(1, layout.counts.max() ?? 1)))
        let xTicks = niceTicks(layout.lower, layout.upper)
        let frame = Frame(width: width, height: height, x0: min(xTicks.first!, layout.lower), x1: max(xTicks.last!, layout.upper),
                          y0: 0, y1: yTicks.last!)
        var out = open(width, height, title)
        out += axes(frame, xTicks: xTicks, yTicks: yTicks, xLabel: xLabel, yLabel: "readers")
        for (b, c) in layout.counts.enumerated() where c > 0 {
            let (lo, hi) = layout.edges(b)
            let xa = frame.x(lo), xb = frame.x(hi)
            out += "<rect x=\"\(f(xa))\" y=\"\(f(frame.y(Double(c))))\" width=\"\(f(max(0.5, xb - xa - 1)))\" "
                + "height=\"\(f(frame.y(0) - frame.y(Double(c))))\" fill=\"\(palette[0])\"><title>\(c) in [\(label(lo)), \(label(hi)))</title></rect>\n"
        }
        out += "<line x1=\"\(f(frame.x(0)))\" y1=\"\(f(margin.top))\" x2=\"\(f(frame.x(0)))\" y2=\"\(f(frame.y(0)))\" "
            + "stroke=\"#444\" stroke-dasharray=\"4 3\"/>\n"
        return out + "</svg>\n"
    }

    struct Frame {
        var width, height, x0, x1, y0, y1: Double
        func x(_ v: Double) -> Double { margin.left + (v - x0) / (x1 - x0) * (width - margin.left - margin.right) }
        func y(_ v: Double) -> Double { height - margin.bottom - (v - y0) / (y1 - y0) * (height - margin.top - margin.bottom) }
    }

    static func open(_ width: Double, _ height: Double, _ title: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(f(width))\" height=\"\(f(height))\" "
            + "viewBox=\"0 0 \(f(width)) \(f(height))\" role=\"img\" font-family=\"sans-serif\">\n"
            + "<title>\(ReportHTML.escape(title))</title>\n"
            + "<text x=\"\(f(width / 2))\" y=\"18\" text-anchor=\"middle\" font-size=\"14\">\(ReportHTML.escape(title))</text>\n"
    }

    static func axes(_ fr: Frame, xTicks: [Double], yTicks: [Double], xLabel: String, yLabel: String) -> String {
        let left = fr.x(fr.x0), right = fr.x(fr.x1), bottom = fr.y(fr.y0), top = fr.y(fr.y1)
        var out = "<line x1=\"\(f(left))\" y1=\"\(f(bottom))\" x2=\"\(f(right))\" y2=\"\(f(bottom))\" stroke=\"#000\"/>\n"
        out += "<line x1=\"\(f(left))\" y1=\"\(f(bottom))\" x2=\"\(f(left))\" y2=\"\(f(top))\" stroke=\"#000\"/>\n"
        for t in xTicks {
            let x = fr.x(t)
            out += "<line x1=\"\(f(x))\" y1=\"\(f(bottom))\" x2=\"\(f(x))\" y2=\"\(f(bottom + 5))\" stroke=\"#000\"/>"
                + "<text x=\"\(f(x))\" y=\"\(f(bottom + 18))\" text-anchor=\"middle\" font-size=\"11\">\(label(t))</text>\n"
        }
        for t in yTicks {
            let y = fr.y(t)
            out += "<line x1=\"\(f(left - 5))\" y1=\"\(f(y))\" x2=\"\(f(right))\" y2=\"\(f(y))\" stroke=\"#ddd\"/>"
                + "<text x=\"\(f(left - 8))\" y=\"\(f(y + 4))\" text-anchor=\"end\" font-size=\"11\">\(label(t))</text>\n"
        }
        out += "<text x=\"\(f((left + right) / 2))\" y=\"\(f(fr.height - 8))\" text-anchor=\"middle\" font-size=\"12\">"
            + "\(ReportHTML.escape(xLabel))</text>\n"
        out += "<text transform=\"translate(14 \(f((top + bottom) / 2))) rotate(-90)\" text-anchor=\"middle\" "
            + "font-size=\"12\">\(ReportHTML.escape(yLabel))</text>\n"
        return out
    }

    /// Ticks from ≤ lo to ≥ hi with a step of 1, 2 or 5 × 10ⁿ (about 5 intervals).
    static func niceTicks(_ lo: Double, _ hi: Double) -> [Double] {
        let span = max(hi - lo, 1e-12)
        let raw = span / 5, mag = pow(10, (log10(raw)).rounded(.down))
        let step = [1.0, 2, 5, 10].map { $0 * mag }.first { $0 >= raw } ?? 10 * mag
        let start = (lo / step).rounded(.down) * step
        var ticks = [start]
        while ticks.last! < hi - step * 1e-9 { ticks.append(start + step * Double(ticks.count)) }
        return ticks
    }

    static func label(_ v: Double) -> String {
        let r = (v * 1e6).rounded() / 1e6
        return r == r.rounded() && abs(r) < 1e15 ? String(Int(r)) : String(format: "%g", r)
    }

    static func f(_ v: Double) -> String { String(format: "%.1f", v) }
}

/// The bins of `SVGChart.histogram`: width `w` = (max(hi, 0) − min(lo, 0)) / bins (a constant
/// sample or all zeros: w = 0.05·max(1, |value|)), bin indices j = round(v / w) (halves up, so
/// bin j is [(j − ½)w, (j + ½)w)), from the lowest to the highest index present — index 0 always
/// included, so a bin is centred on 0.
public struct HistogramBins: Sendable, Hashable {
    public let width: Double
    /// Index of the first bin (bin b covers index `first + b`).
    public let first: Int
    public let counts: [Int]

    public init(_ values: [Double], bins: Int = 20) {
        let finite = values.filter(\.isFinite)
        let lo = min(finite.min() ?? 0, 0), hi = max(finite.max() ?? 0, 0)
        let span = hi - lo
        let w = span > 1e-12 * max(1, abs(lo), abs(hi)) ? span / Double(max(1, bins)) : 0.05 * max(1, abs(lo), abs(hi))
        func index(_ v: Double) -> Int { Int((v / w + 0.5).rounded(.down)) }
        let a = min(index(lo), 0), b = max(index(hi), 0)
        var counts = [Int](repeating: 0, count: b - a + 1)
        for v in finite { counts[index(v) - a] += 1 }
        width = w
        first = a
        self.counts = counts
    }

    /// [lower, upper) of bin `b`.
    public func edges(_ b: Int) -> (Double, Double) {
        (Double(first + b) * width - width / 2, Double(first + b) * width + width / 2)
    }

    public var lower: Double { edges(0).0 }
    public var upper: Double { edges(counts.count - 1).1 }
    /// The bin centred on 0.
    public var zeroBin: Int { -first }
}
