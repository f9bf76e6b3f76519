/// The printed label around a symbol, in the symbol's module units: the paper, its colours, the
/// text printed beside the symbol (never inside the quiet zones), and the shadow the label casts.
struct LabelDesign: Sendable {
    /// Paper edges: left, top, right, bottom.
    var paper: (left: Double, top: Double, right: Double, bottom: Double)
    var paperColour: Colour
    var inkColour: Colour
    /// How much of the paper's colour the ink hides (1: fully).
    var inkDensity: Float
    /// Text-like strokes and their pen radius, in module units.
    var text: [[Point]]
    var textRadius: Double
    /// The cast shadow: offset in pixels, edge softness in pixels, darkness (0...1).
    var shadowOffset: Point
    var shadowSoftness: Double
    var shadowStrength: Float

    enum Side: Sendable { case left, right }

    /// Cuts the paper on `side` so that `quietZone` modules are left beside the guard bars (negative:
    /// the cut runs into the guard's first bar). Text no longer on the paper is not printed.
    mutating func trim(_ side: Side, leaving quietZone: Double) {
        switch side {
        case .left: paper.left = -quietZone
        case .right: paper.right = SymbolLayout.moduleCount + quietZone
        }
        text = text.filter { $0.allSatisfy(isOnPaper) }
    }

    func isOnPaper(_ point: Point) -> Bool {
        (paper.left...paper.right).contains(point.x) && (paper.top...paper.bottom).contains(point.y)
    }

    /// The narrower of the two quiet zones the paper leaves beside the bars, modules (negative: trimmed into them).
    var narrowerQuietZone: Double { min(-paper.left, paper.right - SymbolLayout.moduleCount) }

    var paperCorners: [Point] {
        [Point(x: paper.left, y: paper.top), Point(x: paper.right, y: paper.top),
         Point(x: paper.right, y: paper.bottom), Point(x: paper.left, y: paper.bottom)]
    }

    static func random(around layout: SymbolLayout, using random: inout SeededRandom) -> LabelDesign {
        let left = -SymbolLayout.leftQuietZone - random.uniform(0...1) * random.uniform(0...28)
        let right = SymbolLayout.moduleCount + SymbolLayout.rightQuietZone + random.uniform(0...1) * random.uniform(0...40)
        let top = -random.uniform(1...4) - (random.chance(0.6) ? random.uniform(0...45) : 0)
        let bottom = layout.bottom + random.uniform(1...10)
        let isColouredPaper = random.chance(0.2)
        let paperColour = Colour.random(lightness: isColouredPaper ? 170...245 : 205...252,
                                        saturation: isColouredPaper ? 0.1...0.35 : 0...0.06, using: &random)
        let inkColour = Colour.random(lightness: random.chance(0.85) ? 0...45 : 45...110,
                                      saturation: 0...0.3, using: &random)
        let letterHeight = random.uniform(3...9)
        var text: [[Point]] = []
        // Above the symbol, then right of its right quiet zone.
        text += textBlock(left: left + 1.5, top: top + 1.5, right: right - 1.5, bottom: -2.5,
                          letterHeight: letterHeight, using: &random)
        text += textBlock(left: SymbolLayout.moduleCount + SymbolLayout.rightQuietZone + 1.5, top: -1,
                          right: right - 1.5, bottom: bottom - 1.5, letterHeight: letterHeight, using: &random)
        return LabelDesign(
            paper: (left, top, right, bottom), paperColour: paperColour, inkColour: inkColour,
            inkDensity: Float(random.uniform(0.8...1)), text: text,
            textRadius: letterHeight / FakeText.lineHeight * random.uniform(0.3...0.55),
            shadowOffset: Point(x: random.uniform(-8...8), y: random.uniform(-8...8)),
            shadowSoftness: random.uniform(2...25), shadowStrength: Float(random.uniform(0...0.5)))
    }

    /// Lines of fake text filling the rectangle, or nothing when it is too small for one line.
    private static func textBlock(left: Double, top: Double, right: Double, bottom: Double,
                                  letterHeight: Double, using random: inout SeededRandom) -> [[Point]] {
        let unit = letterHeight / FakeText.lineHeight
        let letters = Int((right - left) / (FakeText.letterAdvance * unit))
        guard letters >= 2 else { return [] }
        var strokes: [[Point]] = []
        var lineTop = top
        let capitals = random.chance(0.4)
        // Descenders reach 2.5 units below the baseline.
        while lineTop + letterHeight + 2.5 * unit <= bottom {
            let length = random.integer(in: max(2, letters / 3)...letters)
            strokes += FakeText.line(length: length, capitals: capitals, using: &random).map { line in
                line.map { Point(x: left + $0.x * unit, y: lineTop + $0.y * unit) }
            }
            lineTop += letterHeight * random.uniform(1.4...1.9)
        }
        return strokes
    }
}
