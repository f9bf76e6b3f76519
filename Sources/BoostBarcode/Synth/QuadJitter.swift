/// Moves each corner of a quad at random, as a detector's error would: along the reading direction
/// by up to `fraction` of the quad's width, across it (along the bars) by up to `alongBarsFraction` of
/// its height.
public struct QuadJitter: Codable, Equatable, Sendable {
    public var fraction: Double
    public var alongBarsFraction: Double

    /// `alongBars` defaults to `fraction`.
    public init(fraction: Double, alongBars: Double? = nil) {
        self.fraction = fraction
        alongBarsFraction = alongBars ?? fraction
    }

    func apply(to quad: Quad, using random: inout SeededRandom) -> Quad {
        guard fraction > 0 || alongBarsFraction > 0 else { return quad }
        let (left, right) = (quad.topLeft.midpoint(quad.bottomLeft), quad.topRight.midpoint(quad.bottomRight))
        let (top, bottom) = (quad.topLeft.midpoint(quad.topRight), quad.bottomLeft.midpoint(quad.bottomRight))
        let along = Point(x: right.x - left.x, y: right.y - left.y)
        let across = Point(x: bottom.x - top.x, y: bottom.y - top.y)
        let moved = quad.corners.map { corner in
            let (a, b) = (random.uniform(-fraction...fraction), random.uniform(-alongBarsFraction...alongBarsFraction))
            return Point(x: corner.x + a * along.x + b * across.x, y: corner.y + a * along.y + b * across.y)
        }
        return Quad(topLeft: moved[0], topRight: moved[1], bottomRight: moved[2], bottomLeft: moved[3])
    }
}
