/// A 3×3 projective transform, row-major, mapping (x, y, 1) to (X, Y, W).
public struct Homography: Equatable, Sendable {
    public var m: [Double]

    public init(_ m: [Double]) {
        precondition(m.count == 9)
        self.m = m
    }

    /// The transform that maps each of four source points onto its destination, as OpenCV's
    /// `getPerspectiveTransform` (the 8×8 linear system with m[8] = 1). `nil` when degenerate.
    public static func mapping(from source: [Point], to destination: [Point]) -> Homography? {
        guard source.count == 4, destination.count == 4 else { return nil }
        var a = [[Double]](repeating: [Double](repeating: 0, count: 9), count: 8)
        for i in 0..<4 {
            let (x, y) = (source[i].x, source[i].y)
            let (u, v) = (destination[i].x, destination[i].y)
            a[i] = [x, y, 1, 0, 0, 0, -x * u, -y * u, u]
            a[i + 4] = [0, 0, 0, x, y, 1, -x * v, -y * v, v]
        }
        guard let h = LinearSystem.solve(augmented: a) else { return nil }
        return Homography(h + [1])
    }

    /// The transform from the unit square (0, 0) (1, 0) (1, 1) (0, 1) onto the quad's corners, in
    /// markup order: (u, v) = (across the bars, down them). `nil` when degenerate.
    public static func fromUnitSquare(to quad: Quad) -> Homography? {
        mapping(from: [Point(x: 0, y: 0), Point(x: 1, y: 0), Point(x: 1, y: 1), Point(x: 0, y: 1)], to: quad.corners)
    }

    /// The inverse transform; `nil` when singular.
    public var inverse: Homography? {
        let c = [
            m[4] * m[8] - m[5] * m[7], m[2] * m[7] - m[1] * m[8], m[1] * m[5] - m[2] * m[4],
            m[5] * m[6] - m[3] * m[8], m[0] * m[8] - m[2] * m[6], m[2] * m[3] - m[0] * m[5],
            m[3] * m[7] - m[4] * m[6], m[1] * m[6] - m[0] * m[7], m[0] * m[4] - m[1] * m[3],
        ]
        let determinant = m[0] * c[0] + m[1] * c[3] + m[2] * c[6]
        guard determinant != 0, determinant.isFinite else { return nil }
        return Homography(c.map { $0 / determinant })
    }

    public func apply(_ p: Point) -> Point {
        let w = m[6] * p.x + m[7] * p.y + m[8]
        return Point(x: (m[0] * p.x + m[1] * p.y + m[2]) / w, y: (m[3] * p.x + m[4] * p.y + m[5]) / w)
    }
}
