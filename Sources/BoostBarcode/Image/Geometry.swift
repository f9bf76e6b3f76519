/// A point in image pixel coordinates; integer values are pixel centres.
public struct Point: Equatable, Hashable, Sendable, Codable {
    public var x: Double
    public var y: Double
    public init(x: Double, y: Double) { self.x = x; self.y = y }

    public func distance(to other: Point) -> Double {
        ((x - other.x) * (x - other.x) + (y - other.y) * (y - other.y)).squareRoot()
    }

    public func midpoint(_ other: Point) -> Point { Point(x: (x + other.x) / 2, y: (y + other.y) / 2) }
}

/// A barcode's four corners as it is read: top-left, top-right, bottom-right, bottom-left
/// of the bars region (DATA.md section 1).
public struct Quad: Equatable, Sendable, Codable {
    public var topLeft: Point
    public var topRight: Point
    public var bottomRight: Point
    public var bottomLeft: Point

    public init(topLeft: Point, topRight: Point, bottomRight: Point, bottomLeft: Point) {
        self.topLeft = topLeft
        self.topRight = topRight
        self.bottomRight = bottomRight
        self.bottomLeft = bottomLeft
    }

    /// The corners in markup order: tl, tr, br, bl.
    public var corners: [Point] { [topLeft, topRight, bottomRight, bottomLeft] }
}

extension Point {
    /// The point in the pixels of a picture `factor` times larger on each side, of which this one's
    /// pixels are `factor` × `factor` blocks (TurboJPEG's scaled decoding, `GreyPlane.downscaled`):
    /// pixel centre x goes to factor·x + (factor − 1) / 2. A factor of 1/f maps back.
    public func scaled(by factor: Double) -> Point {
        Point(x: x * factor + (factor - 1) / 2, y: y * factor + (factor - 1) / 2)
    }
}

extension Quad {
    /// The quad in the pixels of a picture `factor` times larger on each side (`Point.scaled(by:)`).
    public func scaled(by factor: Double) -> Quad {
        Quad(topLeft: topLeft.scaled(by: factor), topRight: topRight.scaled(by: factor),
             bottomRight: bottomRight.scaled(by: factor), bottomLeft: bottomLeft.scaled(by: factor))
    }
}
