/// A point in image pixel coordinates; integer values are pixel centres.
public struct Point: Equatable, Hashable, Sendable, Codable {
    public var x: Double
    public var y: Double
    public init(x: Double, y: Double) { self.x = x; self.y = y }

    public func distance(to other: Point) -> Double {
        ((x - other.x) * (x - other.x) + (y - other.y) * (y - other.y)).squareRoot()
    }
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
