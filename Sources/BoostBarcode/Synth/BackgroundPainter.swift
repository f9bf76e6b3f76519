import Foundation

/// Fills a picture with clutter of the kind behind a label on a shelf or table: a lit surface with
/// a texture, other packaging (rectangles, round and pointed shapes) and printed text.
struct BackgroundPainter {
    let seed: UInt64

    func paint(into planes: inout ColourPlanes) {
        var random = SeededRandom(seed: seed)
        paintSurface(into: &planes, using: &random)
        for _ in 0..<random.integer(in: 2...14) { paintShape(into: &planes, using: &random) }
        for _ in 0..<random.integer(in: 0...4) { paintText(into: &planes, using: &random) }
    }

    /// A two-colour gradient with a grainy or blotchy texture.
    private func paintSurface(into planes: inout ColourPlanes, using random: inout SeededRandom) {
        let (width, height, plane) = (planes.width, planes.height, planes.planeSize)
        let start = Colour.random(lightness: 30...230, saturation: 0...0.6, using: &random)
        let end = Colour.random(lightness: 30...230, saturation: 0...0.6, using: &random)
        let angle = random.uniform(0...(2 * Double.pi))
        let (dx, dy) = (Float(cos(angle)) / Float(width + height), Float(sin(angle)) / Float(width + height))
        let long = Double(max(width, height))
        let texture = SmoothNoise.field(width: width, height: height, cellSize: random.logUniform(long / 60...long / 3),
                                        octaves: random.integer(in: 1...5), using: &random)
        let textureAmount = Float(random.uniform(0...0.35))
        // Grain: stripes bent by the texture, as in wood, fabric or brushed metal.
        let grain = random.chance(0.35) ? Float(random.uniform(0.05...0.25)) : 0
        let grainAngle = random.uniform(0...Double.pi)
        let grainFrequency = Float(2 * Double.pi / random.logUniform(3...30))
        let (gx, gy) = (Float(cos(grainAngle)) * grainFrequency, Float(sin(grainAngle)) * grainFrequency)
        let bend = Float(random.uniform(0...40))
        planes.values.withUnsafeMutableBufferPointer { values in
            texture.withUnsafeBufferPointer { texture in
                for y in 0..<height {
                    for x in 0..<width {
                        let index = y * width + x
                        let t = 0.5 + (Float(x - width / 2) * dx + Float(y - height / 2) * dy)
                        var factor = 1 + texture[index] * textureAmount
                        if grain > 0 { factor *= 1 + grain * sinf(Float(x) * gx + Float(y) * gy + texture[index] * bend) }
                        for channel in 0..<3 {
                            values[channel * plane + index] = (start[channel] + (end[channel] - start[channel]) * t) * factor
                        }
                    }
                }
            }
        }
    }

    /// A rectangle, ellipse or triangle of some colour, anywhere, possibly half see-through.
    private func paintShape(into planes: inout ColourPlanes, using random: inout SeededRandom) {
        let long = Double(max(planes.width, planes.height))
        let centre = Point(x: random.uniform(-0.1...1.1) * Double(planes.width),
                           y: random.uniform(-0.1...1.1) * Double(planes.height))
        let (radiusX, radiusY) = (random.logUniform(0.02...0.6) * long, random.logUniform(0.02...0.6) * long)
        let angle = random.uniform(0...(2 * Double.pi))
        let corners: [Point]
        switch random.integer(in: 0...2) {
        case 0: corners = [(-1.0, -1.0), (1.0, -1.0), (1.0, 1.0), (-1.0, 1.0)].map { Point(x: $0.0, y: $0.1) }
        case 1: corners = (0..<28).map { Point(x: cos(Double($0) * Double.pi / 14), y: sin(Double($0) * Double.pi / 14)) }
        default: corners = (0..<3).map { _ in let a = random.uniform(0...(2 * Double.pi)); return Point(x: cos(a), y: sin(a)) }
        }
        let placed = corners.map { p in
            let (x, y) = (p.x * radiusX, p.y * radiusY)
            return Point(x: centre.x + cos(angle) * x - sin(angle) * y, y: centre.y + sin(angle) * x + cos(angle) * y)
        }
        let mask = CoverageMask.convexPolygon(placed, softness: random.chance(0.2) ? random.uniform(2...30) : 1,
                                              pictureWidth: planes.width, pictureHeight: planes.height)
        let colour = Colour.random(lightness: 10...250, saturation: 0...0.9, using: &random)
        planes.blend(colour, through: mask, opacity: Float(random.chance(0.7) ? 1 : random.uniform(0.2...0.8)))
    }

    /// A block of fake text at any angle and size.
    private func paintText(into planes: inout ColourPlanes, using random: inout SeededRandom) {
        let long = Double(max(planes.width, planes.height))
        let letterHeight = random.logUniform(0.01...0.06) * long
        let unit = letterHeight / FakeText.lineHeight
        let origin = Point(x: random.uniform(-0.2...0.9) * Double(planes.width),
                           y: random.uniform(-0.1...0.9) * Double(planes.height))
        let angle = random.chance(0.5) ? random.uniform(-0.2...0.2) : random.uniform(0...(2 * Double.pi))
        let capitals = random.chance(0.3)
        var strokes: [[Point]] = []
        for line in 0..<random.integer(in: 1...6) {
            let lineTop = Double(line) * FakeText.lineHeight * random.uniform(1.4...1.8)
            strokes += FakeText.line(length: random.integer(in: 3...30), capitals: capitals, using: &random)
                .map { $0.map { Point(x: $0.x, y: $0.y + lineTop) } }
        }
        let placed = strokes.map { line in
            line.map { p in
                let (x, y) = (p.x * unit, p.y * unit)
                return Point(x: origin.x + cos(angle) * x - sin(angle) * y, y: origin.y + sin(angle) * x + cos(angle) * y)
            }
        }
        let mask = CoverageMask.strokes(placed, radius: unit * random.uniform(0.3...0.7),
                                        pictureWidth: planes.width, pictureHeight: planes.height)
        let colour = Colour.random(lightness: random.chance(0.6) ? 0...60 : 60...250, saturation: 0...0.8, using: &random)
        planes.blend(colour, through: mask)
    }
}
