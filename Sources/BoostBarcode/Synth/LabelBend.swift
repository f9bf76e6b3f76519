import Foundation

/// A label wrapped round a cylinder (a can, a bottle), in label module units. The label plane's map
/// into the picture stays the camera's; the bend moves each label point within that plane to where
/// the cylinder shows it: arcs foreshortened towards the rims, the far parts a little smaller, the
/// rims bowed up or down when the camera looks from above or below the axis. With the axis along the
/// bars (a can standing up) the bars stay straight and crowd together at the rims; with the axis
/// along the reading direction each bar bends into an arc, so no straight-edged quad fits exactly.
struct LabelBend: Sendable {
    enum Axis: Sendable { case alongBars, alongReading }

    var axis: Axis
    /// Cylinder radius, modules.
    var radius: Double
    /// The label line (u for `alongBars`, v for `alongReading`) nearest the camera.
    var centre: Double
    /// The other coordinate about which the far parts shrink.
    var middle: Double
    /// Shrink of the far parts per unit of (1 − cos angle): a stand-in for their greater depth.
    var depthShrink: Double
    /// Sideways bow per unit of R(1 − cos angle): the sine of the camera's elevation over the axis.
    var elevation: Double
    /// Darkening at the rims per unit of (1 − cos angle): light falls off as the surface turns away.
    var shading: Float

    /// The angle, degrees, that `extent` modules of the bent direction subtend on the cylinder.
    func subtendedDegrees(_ extent: Double) -> Double { extent / radius * 180 / Double.pi }

    static func random(layout: SymbolLayout, using random: inout SeededRandom) -> LabelBend {
        let axis: Axis = random.chance(0.7) ? .alongBars : .alongReading
        let extent = axis == .alongBars ? SymbolLayout.moduleCount : layout.barHeight
        // Across the bars the symbol spans 25°–120° of the cylinder (a can to a slim bottle); along
        // them, the bars' height spans 20°–80° (a bottle lying down, the code round its neck).
        let span = (axis == .alongBars ? random.uniform(25...120) : random.uniform(20...80)) * Double.pi / 180
        let middle = axis == .alongBars ? layout.barHeight / 2 : SymbolLayout.moduleCount / 2
        let centre = (axis == .alongBars ? SymbolLayout.moduleCount / 2 : layout.barHeight / 2)
            + random.uniform(-0.25...0.25) * extent
        return LabelBend(axis: axis, radius: extent / span, centre: centre, middle: middle,
                         depthShrink: random.uniform(0...0.25), elevation: random.uniform(-0.5...0.5),
                         shading: Float(random.uniform(0...0.5)))
    }

    /// Where label point `p` shows in the flat label plane.
    func bent(_ p: Point) -> Point {
        let (along, other) = axis == .alongBars ? (p.x, p.y) : (p.y, p.x)
        let angle = (along - centre) / radius
        let sag = 1 - cos(angle)
        let shownAlong = centre + radius * sin(angle)
        let shownOther = middle + (other - middle) * (1 - depthShrink * sag) + elevation * radius * sag
        return axis == .alongBars ? Point(x: shownAlong, y: shownOther) : Point(x: shownOther, y: shownAlong)
    }

    /// The label point shown at flat-plane point `p`, and the cosine of the surface's turn there
    /// (how much the label is foreshortened); nil beyond the cylinder's silhouette. Only the front
    /// half is seen: angles within ±90°.
    func unbent(_ p: Point) -> (point: Point, cosine: Double)? {
        let (shownAlong, shownOther) = axis == .alongBars ? (p.x, p.y) : (p.y, p.x)
        let sine = (shownAlong - centre) / radius
        guard abs(sine) < 1 else { return nil }
        let angle = asin(sine)
        let cosine = cos(angle)
        let sag = 1 - cosine
        let along = centre + radius * angle
        let other = middle + (shownOther - elevation * radius * sag - middle) / (1 - depthShrink * sag)
        return (axis == .alongBars ? Point(x: along, y: other) : Point(x: other, y: along), cosine)
    }
}
