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

    /// The rectangle through the middles of `quad`'s sides: across from its left side's middle to its
    /// right side's, as tall as its sides are on average.
    public init(approximating quad: Quad) {
        let left = quad.topLeft.midpoint(quad.bottomLeft), right = quad.topRight.midpoint(quad.bottomRight)
        let across = Point(x: right.x - left.x, y: right.y - left.y)
        let width = max(left.distance(to: right), 1e-9)
        let height = (quad.topLeft.distance(to: quad.bottomLeft) + quad.topRight.distance(to: quad.bottomRight)) / 2
        self.init(centre: left.midpoint(right), normal: Point(x: across.x / width, y: across.y / width),
                  halfWidth: width / 2, halfHeight: height / 2)
    }

    /// The rectangle in the pixels of a picture `factor` times larger on each side (`Point.scaled(by:)`).
    public func scaled(by factor: Double) -> OrientedRectangle {
        OrientedRectangle(centre: centre.scaled(by: factor), normal: normal, halfWidth: halfWidth * factor,
                          halfHeight: halfHeight * factor)
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
