/// A rectangle at any angle: its centre, the unit direction across the bars (`normal`) and its half
/// extents across the bars and along them.
public struct OrientedRectangle: Sendable, Equatable {
    public var centre: Point
    public var normal: Point
    public var halfWidth: Double
    public var halfHeight: Double

    public init(centre: Point, normal: Point, halfWidth: Double, halfHeight: Double) {
        self.centre = centre
        self.normal = normal
        self.halfWidth = halfWidth
        self.halfHeight = halfHeight
    }

    /// The unit direction along the bars: the normal turned a quarter clockwise on screen (y grows down).
    public var barDirection: Point { Point(x: -normal.y, y: normal.x) }

    /// The point `across` along the normal and `along` along the bars from the centre.
    public func point(across: Double, along: Double) -> Point {
        let bars = barDirection
        return Point(x: centre.x + across * normal.x + along * bars.x, y: centre.y + across * normal.y + along * bars.y)
    }

    /// Corners as a quad (the reading direction is not known, so "top-left" is only the −normal, −bars corner).
    public var quad: Quad {
        Quad(topLeft: point(across: -halfWidth, along: -halfHeight), topRight: point(across: halfWidth, along: -halfHeight),
             bottomRight: point(across: halfWidth, along: halfHeight), bottomLeft: point(across: -halfWidth, along: halfHeight))
    }
}
