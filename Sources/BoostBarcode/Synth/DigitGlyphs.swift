/// Our own digit shapes for the human-readable line, after the look of OCR-B: strokes through
/// points of a 4 × 7 box (x right, y down), drawn with round pens.
enum DigitGlyphs {
    static let boxWidth = 4.0
    static let boxHeight = 7.0

    /// The strokes of `digit`, each a polyline in box units.
    static func strokes(for digit: Int) -> [[Point]] {
        shapes[digit].map { line in line.map { Point(x: $0.0, y: $0.1) } }
    }

    private static let zero = [[(1.2, 0.0), (2.8, 0.0), (3.7, 0.8), (4.0, 2.2), (4.0, 4.8), (3.7, 6.2), (2.8, 7.0),
                                (1.2, 7.0), (0.3, 6.2), (0.0, 4.8), (0.0, 2.2), (0.3, 0.8), (1.2, 0.0)]]
    private static let one = [[(0.6, 1.8), (2.4, 0.0), (2.4, 7.0)]]
    private static let two = [[(0.1, 1.3), (0.9, 0.2), (2.0, 0.0), (3.1, 0.2), (3.9, 1.2), (3.9, 2.4), (3.2, 3.5),
                               (0.0, 7.0), (4.0, 7.0)]]
    private static let three = [[(0.2, 0.0), (3.8, 0.0), (1.6, 2.9), (2.6, 2.9), (3.6, 3.4), (4.0, 4.5), (3.8, 6.0),
                                 (2.9, 6.9), (1.6, 7.0), (0.5, 6.6), (0.0, 6.0)]]
    private static let four = [[(2.7, 0.0), (0.0, 4.9), (4.0, 4.9)], [(3.1, 2.8), (3.1, 7.0)]]
    private static let five = [[(3.8, 0.0), (0.5, 0.0), (0.3, 3.0), (1.5, 2.7), (2.8, 2.8), (3.8, 3.6), (4.0, 4.9),
                                (3.7, 6.2), (2.7, 7.0), (1.2, 7.0), (0.0, 6.3)]]
    private static let six = [[(3.0, 0.0), (1.2, 2.1), (0.3, 3.6), (0.0, 4.9), (0.3, 6.2), (1.2, 7.0), (2.8, 7.0),
                               (3.7, 6.2), (4.0, 5.0), (3.7, 3.9), (2.8, 3.2), (1.3, 3.2), (0.3, 3.9)]]
    private static let seven = [[(0.0, 0.0), (4.0, 0.0), (4.0, 0.6), (1.4, 7.0)]]
    private static let eight = [[(2.0, 3.2), (0.9, 2.9), (0.4, 2.2), (0.4, 0.9), (1.1, 0.1), (2.0, 0.0), (2.9, 0.1),
                                 (3.6, 0.9), (3.6, 2.2), (3.1, 2.9), (2.0, 3.2), (0.8, 3.6), (0.0, 4.6), (0.0, 5.9),
                                 (0.8, 6.8), (2.0, 7.0), (3.2, 6.8), (4.0, 5.9), (4.0, 4.6), (3.2, 3.6), (2.0, 3.2)]]
    /// Nine is six turned half a turn.
    private static let nine = six.map { line in line.map { (4.0 - $0.0, 7.0 - $0.1) } }

    private static let shapes = [zero, one, two, three, four, five, six, seven, eight, nine]
}
