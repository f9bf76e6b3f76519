import Foundation

/// Uneven light: a brightness gradient, darker corners (vignetting), blotchy light, and sometimes
/// a soft-edged shadow across the picture, as a multiplicative gain per pixel.
struct Lighting: Sendable {
    /// Gain at the dark end of the gradient (1 = even), its direction, and the corner darkening.
    var gradientFloor: Float
    var gradientAngle: Double
    var vignetting: Float
    /// Amplitude and cell size (px) of the blotchy light.
    var blotchAmount: Float
    var blotchSize: Double
    /// A shadow: the half-plane beyond a line through `shadowPoint` at `shadowAngle`, its gain and edge width (px).
    var shadow: (point: Point, angle: Double, gain: Float, softness: Double)?
    /// Seed of the blotches.
    var seed: UInt64

    static func random(width: Int, height: Int, using random: inout SeededRandom) -> Lighting {
        let long = Double(max(width, height))
        return Lighting(
            gradientFloor: Float(random.uniform(0.55...1)), gradientAngle: random.uniform(0...(2 * Double.pi)),
            vignetting: Float(random.uniform(0...0.35)),
            blotchAmount: Float(random.uniform(0...0.12)), blotchSize: random.uniform(0.1...0.5) * long,
            shadow: random.chance(0.35)
                ? (Point(x: random.uniform(0...1) * Double(width), y: random.uniform(0...1) * Double(height)),
                   random.uniform(0...(2 * Double.pi)), Float(random.uniform(0.35...0.8)), random.logUniform(6...120))
                : nil,
            seed: random.next())
    }

    func apply(to planes: inout ColourPlanes) {
        let (width, height, plane) = (planes.width, planes.height, planes.planeSize)
        var random = SeededRandom(seed: seed)
        let blotches = SmoothNoise.field(width: width, height: height, cellSize: blotchSize, octaves: 2, using: &random)
        let (cx, cy) = (Double(width - 1) / 2, Double(height - 1) / 2)
        let (gradientX, gradientY) = (cos(gradientAngle) / (2 * max(cx, cy, 1)), sin(gradientAngle) / (2 * max(cx, cy, 1)))
        let cornerDistance = (cx * cx + cy * cy).squareRoot() + 1
        let shadowNormal = shadow.map { (cos($0.angle), sin($0.angle)) }
        planes.values.withUnsafeMutableBufferPointer { values in
            blotches.withUnsafeBufferPointer { blotches in
                for y in 0..<height {
                    for x in 0..<width {
                        let (dx, dy) = (Double(x) - cx, Double(y) - cy)
                        let along = Float(0.5 + dx * gradientX + dy * gradientY)
                        let radius = Float((dx * dx + dy * dy).squareRoot() / cornerDistance)
                        var gain = (gradientFloor + (1 - gradientFloor) * along) * (1 - vignetting * radius * radius)
                        gain *= 1 + blotchAmount * blotches[y * width + x]
                        if let shadow, let normal = shadowNormal {
                            let depth = ((Double(x) - shadow.point.x) * normal.0
                                + (Double(y) - shadow.point.y) * normal.1) / shadow.softness
                            let inside = Float(min(1, max(0, depth + 0.5)))
                            gain *= 1 - (1 - shadow.gain) * inside
                        }
                        for channel in 0..<3 { values[channel * plane + y * width + x] *= gain }
                    }
                }
            }
        }
    }
}
