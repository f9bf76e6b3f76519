/// Stroke shapes for the chart's labels: the generator's digits (DigitGlyphs) and the few capitals,
/// the point and the hyphen the chart writes, in the same 4 × 7 box (x right, y down).
enum ChartGlyphs {
    /// Polylines of `text` in box units from its top left, one box plus a gap of 1.6 per character
    /// (less for a point and a space); characters without a shape are left blank.
    static func strokes(for text: String) -> (strokes: [[Point]], width: Double) {
        var strokes: [[Point]] = []
        var left = 0.0
        for character in text.uppercased() {
            let shape: [[Point]]
            if let digit = character.wholeNumberValue, (0...9).contains(digit) {
                shape = DigitGlyphs.strokes(for: digit)
            } else {
                shape = (letters[character] ?? []).map { line in line.map { Point(x: $0.0, y: $0.1) } }
            }
            strokes += shape.map { line in line.map { Point(x: left + $0.x, y: $0.y) } }
            left += advance(of: character)
        }
        return (strokes, max(0, left - gap))
    }

    private static let gap = 1.6

    private static func advance(of character: Character) -> Double {
        switch character {
        case ".": 1 + gap
        case " ": 3.6
        default: DigitGlyphs.boxWidth + gap
        }
    }

    private static let letters: [Character: [[(Double, Double)]]] = [
        "A": [[(0, 7), (2, 0), (4, 7)], [(0.7, 4.6), (3.3, 4.6)]],
        "C": [[(4, 1), (3, 0), (1, 0), (0, 1.5), (0, 5.5), (1, 7), (3, 7), (4, 6)]],
        "D": [[(0, 0), (0, 7), (2.2, 7), (3.6, 6), (4, 3.5), (3.6, 1), (2.2, 0), (0, 0)]],
        "E": [[(4, 0), (0, 0), (0, 7), (4, 7)], [(0, 3.5), (3, 3.5)]],
        "G": [[(4, 1), (3, 0), (1, 0), (0, 1.5), (0, 5.5), (1, 7), (3, 7), (4, 6), (4, 4), (2.2, 4)]],
        "I": [[(2, 0), (2, 7)], [(1, 0), (3, 0)], [(1, 7), (3, 7)]],
        "N": [[(0, 7), (0, 0), (4, 7), (4, 0)]],
        "O": [[(1, 0), (3, 0), (4, 1.5), (4, 5.5), (3, 7), (1, 7), (0, 5.5), (0, 1.5), (1, 0)]],
        "P": [[(0, 7), (0, 0), (3, 0), (4, 1), (4, 2.5), (3, 3.5), (0, 3.5)]],
        "R": [[(0, 7), (0, 0), (3, 0), (4, 1), (4, 2.5), (3, 3.5), (0, 3.5)], [(2, 3.5), (4, 7)]],
        "S": [[(4, 1), (3, 0), (1, 0), (0, 1), (0, 2.5), (1, 3.5), (3, 3.5), (4, 4.5), (4, 6), (3, 7), (1, 7), (0, 6)]],
        "T": [[(0, 0), (4, 0)], [(2, 0), (2, 7)]],
        "U": [[(0, 0), (0, 6), (1, 7), (3, 7), (4, 6), (4, 0)]],
        "W": [[(0, 0), (1, 7), (2, 3), (3, 7), (4, 0)]],
        "Y": [[(0, 0), (2, 3.5), (4, 0)], [(2, 3.5), (2, 7)]],
        "-": [[(0.8, 3.5), (3.2, 3.5)]],
        ".": [[(0.5, 6.6)]],
    ]
}
