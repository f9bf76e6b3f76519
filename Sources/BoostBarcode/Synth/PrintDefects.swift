/// Flaws of the print itself, in label module units: a faded (thermal or worn) print, lines the
/// print head left blank (dead heater dots run along the paper's feed, so they cross every bar), and
/// voids where ink did not take or was scratched off.
struct PrintDefects: Sendable {
    /// Share of the ink's density lost everywhere (0: none).
    var fade: Float
    /// Blank lines across the bars: the label row v of each, and its width.
    var blankLines: [(v: Double, width: Double)]
    /// Round voids: centre and radius.
    var voids: [(centre: Point, radius: Double)]

    /// How many separate flaws (blank lines and voids) there are.
    var flawCount: Int { blankLines.count + voids.count }

    static func random(layout: SymbolLayout, using random: inout SeededRandom) -> PrintDefects {
        let fade = random.chance(0.5) ? Float(random.uniform(0.2...0.7)) : 0
        let blankLines = (0..<(random.chance(0.4) ? random.integer(in: 1...4) : 0)).map { _ in
            (v: random.uniform(0...layout.barHeight), width: random.uniform(0.3...1.5))
        }
        let voids = (0..<(random.chance(0.6) ? random.integer(in: 3...25) : 0)).map { _ in
            (centre: Point(x: random.uniform(0...SymbolLayout.moduleCount), y: random.uniform(0...layout.barHeight)),
             radius: random.uniform(0.2...1.2))
        }
        return PrintDefects(fade: fade, blankLines: blankLines, voids: voids)
    }

    /// The share of the ink kept at label point (u, v) for a pixel whose footprint is `halfU` × `halfV`
    /// about it: the blank lines and voids are box-filtered over the footprint, so they alias no more than bars.
    func inkKept(u: Double, v: Double, halfU: Double, halfV: Double) -> Float {
        var kept = 1 - fade
        for line in blankLines {
            let low = line.v - line.width / 2, high = line.v + line.width / 2
            kept *= 1 - Float(max(0, min(v + halfV, high) - max(v - halfV, low)) / (2 * halfV))
        }
        for void in voids {
            let (dx, dy) = (u - void.centre.x, v - void.centre.y)
            let reach = void.radius + max(halfU, halfV)
            guard dx * dx + dy * dy < reach * reach else { continue }
            // Inside the void less the footprint's half size, none outside plus it, linear between.
            let distance = (dx * dx + dy * dy).squareRoot()
            let edge = max(halfU, halfV)
            kept *= Float(min(1, max(0, (distance - void.radius + edge) / (2 * edge))))
        }
        return kept
    }
}
