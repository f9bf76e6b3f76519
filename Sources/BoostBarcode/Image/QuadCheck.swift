/// Why a markup quad cannot be read: shapes no photographed barcode has, found before any pixel
/// work so that the row is reported and skipped instead of giving meaningless features.
public enum QuadProblem: Error, Equatable, Sendable, CustomStringConvertible {
    /// Two corners coincide or three lie on a line: the quad has no area to warp.
    case collinearCorners
    /// Two edges cross (a bow tie): the corners are not in reading order.
    case selfIntersecting
    /// One corner is pushed inwards past its neighbours; a rectangle in perspective is always convex.
    case notConvex
    /// The rectified strip would be under 2 pixels wide or high.
    case tooSmall(width: Int, height: Int)
    /// Less than `Quad.minimumShareInsideImage` of the quad's area lies on the picture.
    case outsideImage(shareInside: Double)

    public var description: String {
        switch self {
        case .collinearCorners: "quad is degenerate: corners repeated or three in a line (zero area)"
        case .selfIntersecting: "quad is self-intersecting: its edges cross (corners out of order?)"
        case .notConvex: "quad is not convex"
        case let .tooSmall(width, height): "quad is too small: it gives a \(width)×\(height) strip (2×2 at least)"
        case let .outsideImage(share):
            "quad lies mostly outside the picture: \(Int((share * 100).rounded())) % of its area is on it, at least \(Int(Quad.minimumShareInsideImage * 100)) % must be"
        }
    }
}

extension Quad {
    /// The share of a quad's area that must lie on the picture. A barcode cut by the picture's edge
    /// can still be read from the part that is there; one mostly off the picture cannot.
    public static let minimumShareInsideImage = 0.5

    /// The first reason this quad cannot be read on a `width`×`height` picture, or `nil` when it can.
    public func problem(inImageOfWidth width: Int, height: Int) -> QuadProblem? {
        let p = corners
        let turns = (0..<4).map { i in
            let (a, b, c) = (p[i], p[(i + 1) % 4], p[(i + 2) % 4])
            return (cross(b.minus(a), c.minus(b)), a.distance(to: b) * b.distance(to: c))
        }
        // A corner whose turn is below 0.06° (sine 1e-3) is a straight line through it.
        if turns.contains(where: { abs($0.0) <= 1e-3 * $0.1 || $0.1 == 0 }) { return .collinearCorners }
        let positive = turns.filter { $0.0 > 0 }.count
        if positive != 0 && positive != 4 {
            let crossing = segmentsCross(p[0], p[1], p[2], p[3]) || segmentsCross(p[1], p[2], p[3], p[0])
            return crossing ? .selfIntersecting : .notConvex
        }
        let size = PerspectiveWarp.rectifiedSize(of: self)
        if size.width < 2 || size.height < 2 { return .tooSmall(width: size.width, height: size.height) }
        // Pixel centres are integers, so the picture covers -0.5 ... width - 0.5.
        let picture = (minX: -0.5, minY: -0.5, maxX: Double(width) - 0.5, maxY: Double(height) - 0.5)
        let share = area(of: clip(p, to: picture)) / area(of: p)
        if !(share >= Self.minimumShareInsideImage) { return .outsideImage(shareInside: share) }
        return nil
    }
}

private extension Point {
    func minus(_ other: Point) -> Point { Point(x: x - other.x, y: y - other.y) }
}

private func cross(_ u: Point, _ v: Point) -> Double { u.x * v.y - u.y * v.x }

/// Whether segments ab and cd cross at a point inside both.
private func segmentsCross(_ a: Point, _ b: Point, _ c: Point, _ d: Point) -> Bool {
    let side = { (p: Point, q: Point, r: Point) in cross(q.minus(p), r.minus(p)) }
    return side(a, b, c) * side(a, b, d) < 0 && side(c, d, a) * side(c, d, b) < 0
}

/// Absolute area of a simple polygon (shoelace formula).
private func area(of polygon: [Point]) -> Double {
    guard polygon.count >= 3 else { return 0 }
    var twice = 0.0
    for i in polygon.indices { twice += cross(polygon[i], polygon[(i + 1) % polygon.count]) }
    return abs(twice) / 2
}

/// The part of a convex polygon inside an axis-aligned rectangle (Sutherland–Hodgman).
private func clip(_ polygon: [Point], to box: (minX: Double, minY: Double, maxX: Double, maxY: Double)) -> [Point] {
    // Each edge of the box as "inside" test and the crossing point of a segment with it.
    let edges: [(inside: (Point) -> Bool, cut: (Point, Point) -> Point)] = [
        ({ $0.x >= box.minX }, { a, b in along(a, b, at: (box.minX - a.x) / (b.x - a.x)) }),
        ({ $0.x <= box.maxX }, { a, b in along(a, b, at: (box.maxX - a.x) / (b.x - a.x)) }),
        ({ $0.y >= box.minY }, { a, b in along(a, b, at: (box.minY - a.y) / (b.y - a.y)) }),
        ({ $0.y <= box.maxY }, { a, b in along(a, b, at: (box.maxY - a.y) / (b.y - a.y)) }),
    ]
    var points = polygon
    for edge in edges {
        guard !points.isEmpty else { break }
        var kept: [Point] = []
        for (i, current) in points.enumerated() {
            let previous = points[(i + points.count - 1) % points.count]
            switch (edge.inside(previous), edge.inside(current)) {
            case (true, true): kept.append(current)
            case (true, false): kept.append(edge.cut(previous, current))
            case (false, true): kept += [edge.cut(previous, current), current]
            case (false, false): break
            }
        }
        points = kept
    }
    return points
}

private func along(_ a: Point, _ b: Point, at t: Double) -> Point {
    Point(x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t)
}
