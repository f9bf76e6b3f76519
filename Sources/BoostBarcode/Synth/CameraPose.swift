import Foundation

/// How the label plane sits before a pinhole camera: turned in its own plane, tilted about the
/// camera's axes, and placed so that one label point (the anchor) lands on `centre`.
struct CameraPose: Sendable {
    /// Pixels per module at the anchor.
    var moduleWidth: Double
    /// In-plane turn, radians, any angle (π: upside down).
    var rotation: Double
    /// Tilts of the plane about the camera's horizontal and vertical axes, radians.
    var pitch: Double
    var yaw: Double
    /// Focal length in pixels; the anchor sits this far away, so a shorter one means stronger perspective.
    var focalLength: Double
    /// Label point (module units) that lands on `centre`, and that image point.
    var anchor: Point
    var centre: Point

    /// Image position of a label point.
    func project(_ point: Point) -> Point {
        let (lx, ly) = ((point.x - anchor.x) * moduleWidth, (point.y - anchor.y) * moduleWidth)
        let (x1, y1) = (cos(rotation) * lx - sin(rotation) * ly, sin(rotation) * lx + cos(rotation) * ly)
        let (y2, z2) = (y1 * cos(pitch), y1 * sin(pitch))
        let (x3, z3) = (x1 * cos(yaw) + z2 * sin(yaw), -x1 * sin(yaw) + z2 * cos(yaw))
        let scale = focalLength / (focalLength + z3)
        return Point(x: centre.x + x3 * scale, y: centre.y + y2 * scale)
    }
}

/// The label plane's projective map into the picture, both ways.
struct LabelPlacement: Sendable {
    /// Label (module units) to image (pixel centres), and back.
    let forward: Homography
    let inverse: Homography

    /// The map that sends the corners of `labelRectangle` where `pose` puts them; `nil` if degenerate.
    init?(pose: CameraPose, labelRectangle corners: [Point]) {
        guard let forward = Homography.mapping(from: corners, to: corners.map(pose.project)),
              let inverse = forward.inverse else { return nil }
        self.forward = forward
        self.inverse = inverse
    }

    private init(forward: Homography, inverse: Homography) {
        self.forward = forward
        self.inverse = inverse
    }

    func imagePoint(_ labelPoint: Point) -> Point { forward.apply(labelPoint) }

    /// The placement of a label whose origin lies at `offset` of this one's (in this one's units), on the same plane.
    func shifted(by offset: Point) -> LabelPlacement? {
        let corners = [Point(x: 0, y: 0), Point(x: 100, y: 0), Point(x: 100, y: 100), Point(x: 0, y: 100)]
        guard let forward = Homography.mapping(
            from: corners, to: corners.map { imagePoint(Point(x: $0.x + offset.x, y: $0.y + offset.y)) }),
            let inverse = forward.inverse else { return nil }
        return LabelPlacement(forward: forward, inverse: inverse)
    }

    /// Pixels per module near `labelPoint` (the square root of the local area scale).
    func pixelsPerModule(at labelPoint: Point) -> Double {
        let origin = forward.apply(labelPoint)
        let right = forward.apply(Point(x: labelPoint.x + 1, y: labelPoint.y))
        let down = forward.apply(Point(x: labelPoint.x, y: labelPoint.y + 1))
        let area = abs((right.x - origin.x) * (down.y - origin.y) - (right.y - origin.y) * (down.x - origin.x))
        return area.squareRoot()
    }
}
