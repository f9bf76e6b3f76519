/// Lines of made-up words in a plain sans-serif hand: text-like strokes for labels and clutter.
/// Letters sit in a 3 × 7 box (ascender at y 0, x-height at 2.5, baseline at 7), advancing 4 units.
enum FakeText {
    static let letterAdvance = 4.0
    static let lineHeight = 7.0

    /// The strokes of a line of words `length` letter advances long at most, in letter-box units
    /// from the line's top left; digits appear now and then, as prices and weights do.
    static func line(length: Int, capitals: Bool, using random: inout SeededRandom) -> [[Point]] {
        var strokes: [[Point]] = []
        var position = 0
        while position < length {
            let word = random.integer(in: 2...9)
            let isNumber = random.chance(0.12)
            for _ in 0..<min(word, length - position) {
                let shape: [[(Double, Double)]]
                if isNumber {
                    shape = DigitGlyphs.strokes(for: random.integer(in: 0...9)).map { $0.map { ($0.x * 0.75, $0.y) } }
                } else {
                    shape = random.element(of: capitals ? FakeText.capitals : FakeText.lowercase)
                }
                let left = Double(position) * letterAdvance
                strokes += shape.map { line in line.map { Point(x: left + $0.0, y: $0.1) } }
                position += 1
            }
            position += 1
        }
        return strokes
    }

    private static let o = [(0.6, 2.5), (2.4, 2.5), (3.0, 3.4), (3.0, 6.1), (2.4, 7.0), (0.6, 7.0), (0.0, 6.1),
                            (0.0, 3.4), (0.6, 2.5)]
    private static let arch = [(0.0, 3.4), (0.8, 2.5), (2.2, 2.5), (3.0, 3.4), (3.0, 7.0)]
    private static let lowercase: [[[(Double, Double)]]] = [
        [o],
        [[(1.5, 0.0), (1.5, 7.0)]],
        [[(1.5, 2.5), (1.5, 7.0)], [(1.5, 1.1)]],
        [[(0.0, 2.5), (0.0, 7.0)], arch],
        [[(0.0, 2.5), (0.0, 6.1), (0.8, 7.0), (2.2, 7.0), (3.0, 6.1)], [(3.0, 2.5), (3.0, 7.0)]],
        [[(3.0, 3.2), (2.4, 2.5), (0.6, 2.5), (0.0, 3.4), (0.0, 6.1), (0.6, 7.0), (2.4, 7.0), (3.0, 6.3)]],
        [[(0.0, 4.8), (3.0, 4.8), (3.0, 3.4), (2.4, 2.5), (0.6, 2.5), (0.0, 3.4), (0.0, 6.1), (0.6, 7.0),
          (2.4, 7.0), (3.0, 6.3)]],
        [[(0.3, 2.9), (1.0, 2.5), (2.3, 2.5), (3.0, 3.2), (3.0, 7.0)],
         [(3.0, 4.6), (0.9, 4.6), (0.0, 5.3), (0.0, 6.3), (0.7, 7.0), (2.2, 7.0), (3.0, 6.2)]],
        [[(0.0, 2.5), (0.0, 7.0)], [(0.0, 3.6), (1.0, 2.6), (2.4, 2.5)]],
        [[(1.2, 0.8), (1.2, 6.3), (1.9, 7.0), (2.8, 6.9)], [(0.0, 2.5), (2.6, 2.5)]],
        [[(0.0, 0.0), (0.0, 7.0)], arch],
        [o, [(3.0, 0.0), (3.0, 7.0)]],
        [o, [(0.0, 2.5), (0.0, 9.5)]],
        [[(3.0, 3.0), (2.3, 2.5), (0.7, 2.5), (0.0, 3.2), (0.3, 4.2), (2.7, 5.2), (3.0, 6.2), (2.3, 7.0),
          (0.7, 7.0), (0.0, 6.4)]],
    ]
    private static let capitals: [[[(Double, Double)]]] = [
        [[(3.0, 0.0), (0.0, 0.0), (0.0, 7.0), (3.0, 7.0)], [(0.0, 3.5), (2.4, 3.5)]],
        [[(0.0, 0.0), (0.0, 7.0)], [(3.0, 0.0), (3.0, 7.0)], [(0.0, 3.5), (3.0, 3.5)]],
        [[(0.0, 0.0), (3.0, 0.0)], [(1.5, 0.0), (1.5, 7.0)]],
        [[(0.0, 0.0), (0.0, 7.0), (3.0, 7.0)]],
        [[(0.0, 7.0), (0.0, 0.0), (3.0, 7.0), (3.0, 0.0)]],
        [[(0.0, 7.0), (1.5, 0.0), (3.0, 7.0)], [(0.6, 4.6), (2.4, 4.6)]],
        [[(0.9, 0.0), (2.1, 0.0), (3.0, 1.2), (3.0, 5.8), (2.1, 7.0), (0.9, 7.0), (0.0, 5.8), (0.0, 1.2),
          (0.9, 0.0)]],
        [[(0.0, 7.0), (0.0, 0.0), (1.5, 4.0), (3.0, 0.0), (3.0, 7.0)]],
        [[(0.0, 7.0), (0.0, 0.0), (2.2, 0.0), (3.0, 0.9), (3.0, 2.6), (2.2, 3.5), (0.0, 3.5)]],
    ]
}
