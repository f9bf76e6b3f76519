import Foundation

/// A bar chart of per-position accuracy for people: 13 bars on a 0…1 axis with gridlines every 0.25;
/// beside each, when the report has readings, a second bar for the raw digits. Drawn with the
/// generator's anti-aliased strokes and encoded by PNGCodec.
public struct AccuracyChart {
    /// Per-position accuracy of the answers, and of the raw digits when readings were given.
    public var answers: [Double]
    public var rawDigits: [Double]?

    public init(answers: [Double], rawDigits: [Double]? = nil) {
        precondition(answers.count == 13 && (rawDigits?.count ?? 13) == 13)
        self.answers = answers
        self.rawDigits = rawDigits
    }

    public init(report: Report) {
        self.init(answers: report.positionAccuracy, rawDigits: report.readings?.rawPositionAccuracy)
    }

    static let width = 760, height = 420
    /// The plot area: accuracy 0 on row `plotBottom`, 1 on row `plotBottom - plotHeight`.
    static let plotLeft = 64, plotRight = 744, plotBottom = 376, plotHeight = 320
    static let answerColour = Colour(red: 40, green: 80, blue: 150)
    static let rawColour = Colour(red: 235, green: 140, blue: 40)
    private static let ink = Colour(grey: 30), grid = Colour(grey: 215)

    /// Pixel columns of position `position`'s bar; `raw` picks the raw-digit bar.
    func barColumns(position: Int, raw: Bool = false) -> Range<Int> {
        let group = Double(Self.plotRight - Self.plotLeft) / 13
        let start = Double(Self.plotLeft) + group * Double(position)
        let (from, to) = rawDigits == nil ? (0.2, 0.8) : raw ? (0.5, 0.86) : (0.14, 0.5)
        return Int(start + from * group)..<Int(start + to * group)
    }

    /// Rows a bar of `accuracy` fills, counted up from the axis.
    static func barRows(_ accuracy: Double) -> Int { Int((min(1, max(0, accuracy)) * Double(plotHeight)).rounded()) }

    public func image() -> Image {
        var planes = ColourPlanes(width: Self.width, height: Self.height, fill: Colour(grey: 255))
        for step in 1...4 {
            let row = Self.plotBottom - Self.barRows(Double(step) / 4)
            fill(&planes, columns: Self.plotLeft..<Self.plotRight, rows: row..<row + 1, Self.grid)
        }
        for position in 0..<13 {
            fill(&planes, columns: barColumns(position: position),
                 rows: Self.plotBottom - Self.barRows(answers[position])..<Self.plotBottom, Self.answerColour)
            if let rawDigits {
                fill(&planes, columns: barColumns(position: position, raw: true),
                     rows: Self.plotBottom - Self.barRows(rawDigits[position])..<Self.plotBottom, Self.rawColour)
            }
        }
        fill(&planes, columns: Self.plotLeft - 1..<Self.plotRight, rows: Self.plotBottom..<Self.plotBottom + 1, Self.ink)
        fill(&planes, columns: Self.plotLeft - 1..<Self.plotLeft,
             rows: Self.plotBottom - Self.plotHeight..<Self.plotBottom, Self.ink)
        writeLabels(into: &planes)
        return planes.image()
    }

    public func png() throws -> Data { try PNGCodec.encode(image()) }

    private func writeLabels(into planes: inout ColourPlanes) {
        let group = Double(Self.plotRight - Self.plotLeft) / 13
        for position in 0..<13 {
            let centre = Double(Self.plotLeft) + group * (Double(position) + 0.5)
            write(String(position), at: Point(x: centre, y: Double(Self.plotBottom) + 8), height: 10, align: 0.5, into: &planes)
        }
        for (step, label) in ["0", "0.25", "0.5", "0.75", "1"].enumerated() {
            let row = Double(Self.plotBottom - Self.barRows(Double(step) / 4))
            write(label, at: Point(x: Double(Self.plotLeft) - 8, y: row - 5), height: 10, align: 1, into: &planes)
        }
        write("position", at: Point(x: Double(Self.plotLeft + Self.plotRight) / 2, y: Double(Self.plotBottom) + 24),
              height: 10, align: 0.5, into: &planes)
        write("per-position accuracy", at: Point(x: Double(Self.plotLeft), y: 18), height: 14, align: 0, into: &planes)
        guard rawDigits != nil else { return }
        let legend = [("answers", Self.answerColour), ("raw digits", Self.rawColour)]
        var left = Double(Self.plotRight) - 250
        for (label, colour) in legend {
            fill(&planes, columns: Int(left)..<Int(left) + 14, rows: 20..<34, colour)
            left += 22
            left += write(label, at: Point(x: left, y: 22), height: 10, align: 0, into: &planes) + 26
        }
    }

    /// Writes `text` `height` px high with its top at `origin.y`; `align` places `origin.x` at the
    /// left (0), centre (0.5) or right (1) of the text. Returns the text's width in pixels.
    @discardableResult
    private func write(_ text: String, at origin: Point, height: Double, align: Double, into planes: inout ColourPlanes) -> Double {
        let scale = height / DigitGlyphs.boxHeight
        let (strokes, width) = ChartGlyphs.strokes(for: text)
        let left = origin.x - align * width * scale
        let placed = strokes.map { line in line.map { Point(x: left + $0.x * scale, y: origin.y + $0.y * scale) } }
        let mask = CoverageMask.strokes(placed, radius: max(0.55, 0.09 * height), pictureWidth: planes.width,
                                        pictureHeight: planes.height)
        planes.blend(Self.ink, through: mask)
        return width * scale
    }

    private func fill(_ planes: inout ColourPlanes, columns: Range<Int>, rows: Range<Int>, _ colour: Colour) {
        for y in rows {
            for x in columns {
                for channel in 0..<3 { planes.values[channel * planes.planeSize + y * planes.width + x] = colour[channel] }
            }
        }
    }
}
