/// Where everything of one printed EAN-13 symbol lies, in module units: x to the right from the
/// left edge of the start guard's first bar, y down from the top of the bars (DATA.md section 2).
struct SymbolLayout: Sendable {
    static let moduleCount = Double(EAN13Symbology.moduleCount)
    /// The standard's minimum quiet zones, left and right of the bars.
    static let leftQuietZone = 11.0
    static let rightQuietZone = 7.0

    let code: EAN13Code
    /// Height of the data bars; the markup quad spans exactly this.
    let barHeight: Double
    /// How far the guard bars reach below the data bars.
    let guardExtension: Double
    /// How much wider (positive) or thinner (negative) print makes every bar and stroke.
    let inkSpread: Double
    /// Height of the human-readable digits, and their gap below the data bars.
    let digitHeight: Double
    let digitGap: Double

    /// The bars region, tl, tr, br, bl: what the markup quad marks.
    var barsCorners: [Point] {
        [Point(x: 0, y: 0), Point(x: SymbolLayout.moduleCount, y: 0),
         Point(x: SymbolLayout.moduleCount, y: barHeight), Point(x: 0, y: barHeight)]
    }

    /// Lowest printed point: the digits or the guard bars, whichever reaches further.
    var bottom: Double { max(barHeight + guardExtension, barHeight + digitGap + digitHeight) }

    /// Each bar as printed, widened by the ink spread; `isGuard` bars reach below the data bars.
    var bars: [(start: Double, end: Double, isGuard: Bool)] {
        let modules = EAN13Symbology.modules(for: code)
        var bars: [(start: Double, end: Double, isGuard: Bool)] = []
        var index = 0
        while index < modules.count {
            guard modules[index] else { index += 1; continue }
            var end = index
            while end < modules.count && modules[end] { end += 1 }
            bars.append((Double(index) - inkSpread / 2, Double(end) + inkSpread / 2,
                         EAN13Symbology.isGuardModule(index)))
            index = end
        }
        return bars
    }

    /// Pen radius of the digits, in modules: about a module-wide stroke, plus the ink spread.
    var digitStrokeRadius: Double { max(0.2, 0.065 * digitHeight + inkSpread / 2) }

    /// The 13 human-readable digits as strokes in module units: d0 in the left quiet zone,
    /// d1...d6 under the left half, d7...d12 under the right half, each centred on its 7 modules.
    var digitStrokes: [[Point]] {
        let scale = digitHeight / DigitGlyphs.boxHeight
        let top = barHeight + digitGap
        return code.digits.enumerated().flatMap { position, digit -> [[Point]] in
            let centre: Double = switch position {
            case 0: -5.5
            case 1...6: 3 + 7 * Double(position - 1) + 3.5
            default: 50 + 7 * Double(position - 7) + 3.5
            }
            let left = centre - DigitGlyphs.boxWidth * scale / 2
            return DigitGlyphs.strokes(for: Int(digit)).map { line in
                line.map { Point(x: left + $0.x * scale, y: top + $0.y * scale) }
            }
        }
    }
}

/// The bars across a symbol as running integrals of ink along x, sampled finely, so that the ink a
/// pixel's footprint covers is two look-ups and a division (a box filter: anti-aliased bars at any scale).
struct BarProfile: Sendable {
    static let samplesPerModule = 16.0
    static let firstModule = -2.0
    static let lastModule = SymbolLayout.moduleCount + 2

    /// Integral of all bars (data and guard) and of the guard bars alone, from `firstModule`.
    let allBars: [Float]
    let guardBars: [Float]

    init(layout: SymbolLayout) {
        let bars = layout.bars
        let count = Int((BarProfile.lastModule - BarProfile.firstModule) * BarProfile.samplesPerModule) + 1
        func integral(_ included: [(start: Double, end: Double, isGuard: Bool)]) -> [Float] {
            (0..<count).map { sample in
                let x = BarProfile.firstModule + Double(sample) / BarProfile.samplesPerModule
                return Float(included.reduce(0) { $0 + min(max(x - $1.start, 0), $1.end - $1.start) })
            }
        }
        allBars = integral(bars)
        guardBars = integral(bars.filter(\.isGuard))
    }

    /// Mean ink of `table` over x in `low...high` (modules), `high > low`.
    @inline(__always)
    static func coverage(_ table: UnsafeBufferPointer<Float>, from low: Double, to high: Double) -> Float {
        (integral(table, at: high) - integral(table, at: low)) / Float(high - low)
    }

    @inline(__always)
    private static func integral(_ table: UnsafeBufferPointer<Float>, at x: Double) -> Float {
        let position = (x - firstModule) * samplesPerModule
        if position <= 0 { return table[0] }
        let last = table.count - 1
        if position >= Double(last) { return table[last] }
        let index = Int(position)
        let fraction = Float(position - Double(index))
        return table[index] + (table[index + 1] - table[index]) * fraction
    }
}
