import Foundation

/// A specular highlight: a soft elliptical patch washed towards white, as from a lamp on glossy film.
struct Glare: Sendable {
    var centre: Point
    var radii: (Double, Double)
    var angle: Double
    var strength: Float

    static func random(width: Int, height: Int, using random: inout SeededRandom) -> Glare {
        let long = Double(max(width, height))
        return Glare(centre: Point(x: random.uniform(0...1) * Double(width), y: random.uniform(0...1) * Double(height)),
                     radii: (random.uniform(0.04...0.3) * long, random.uniform(0.04...0.3) * long),
                     angle: random.uniform(0...Double.pi), strength: Float(random.uniform(0.3...1)))
    }

    /// A thin highlight of plastic wrap or a glossy cylinder: long, a few pixels to a few dozen wide, strong.
    static func wrapStreak(width: Int, height: Int, using random: inout SeededRandom) -> Glare {
        let long = Double(max(width, height))
        return Glare(centre: Point(x: random.uniform(0.1...0.9) * Double(width), y: random.uniform(0.1...0.9) * Double(height)),
                     radii: (random.uniform(0.1...0.5) * long, random.uniform(0.004...0.03) * long),
                     angle: random.uniform(0...Double.pi), strength: Float(random.uniform(0.5...1)))
    }

    /// How far the highlight washes the picture towards white at `point` (0...strength).
    func weight(at point: Point) -> Float {
        weight(dx: point.x - centre.x, dy: point.y - centre.y, cosine: cos(angle), sine: sin(angle))
    }

    /// The weight at offset (dx, dy) from the centre, the angle's cosine and sine given (apply computes them once).
    @inline(__always)
    private func weight(dx: Double, dy: Double, cosine c: Double, sine s: Double) -> Float {
        let (along, across) = ((c * dx + s * dy) / radii.0, (-s * dx + c * dy) / radii.1)
        return strength * Float(exp(-(along * along + across * across)))
    }

    func apply(to planes: inout ColourPlanes) {
        let (width, height, plane) = (planes.width, planes.height, planes.planeSize)
        let reach = 3 * max(radii.0, radii.1)
        let rows = max(0, Int(centre.y - reach))..<min(height, Int(max(0, centre.y + reach)) + 1)
        let columns = max(0, Int(centre.x - reach))..<min(width, Int(max(0, centre.x + reach)) + 1)
        guard !rows.isEmpty, !columns.isEmpty else { return }
        let (c, s) = (cos(angle), sin(angle))
        planes.values.withUnsafeMutableBufferPointer { values in
            for y in rows {
                for x in columns {
                    let weight = self.weight(dx: Double(x) - centre.x, dy: Double(y) - centre.y, cosine: c, sine: s)
                    if weight < 0.002 { continue }
                    for channel in 0..<3 {
                        let index = channel * plane + y * width + x
                        values[index] += (265 - values[index]) * weight
                    }
                }
            }
        }
    }
}
