import Foundation

/// How much of each pixel a shape covers (0...1), over a window of a larger picture; shapes are
/// anti-aliased by the signed distance of the pixel centre to their edge.
struct CoverageMask {
    let originX: Int
    let originY: Int
    let width: Int
    let height: Int
    var values: [Float]

    /// An empty mask over the pixels within `bounds` (min x, min y, max x, max y), clipped to the picture.
    init(bounds: (Double, Double, Double, Double), margin: Double, pictureWidth: Int, pictureHeight: Int) {
        let limit = Double(max(pictureWidth, pictureHeight)) + margin + 2
        let bounds = (max(-limit, bounds.0), max(-limit, bounds.1), min(limit, bounds.2), min(limit, bounds.3))
        let x0 = max(0, Int((bounds.0 - margin).rounded(.down)))
        let y0 = max(0, Int((bounds.1 - margin).rounded(.down)))
        let x1 = min(pictureWidth - 1, Int((bounds.2 + margin).rounded(.up)))
        let y1 = min(pictureHeight - 1, Int((bounds.3 + margin).rounded(.up)))
        originX = x0
        originY = y0
        width = max(0, x1 - x0 + 1)
        height = max(0, y1 - y0 + 1)
        values = [Float](repeating: 0, count: width * height)
    }

    /// A mask of round-capped strokes of radius `radius` px along each polyline.
    static func strokes(_ polylines: [[Point]], radius: Double, pictureWidth: Int, pictureHeight: Int) -> CoverageMask {
        let points = polylines.flatMap { $0 }
        var mask = CoverageMask(bounds: boundingBox(of: points), margin: radius + 1,
                                pictureWidth: pictureWidth, pictureHeight: pictureHeight)
        for line in polylines {
            if line.count == 1 { mask.addSegment(from: line[0], to: line[0], radius: radius) }
            for (start, end) in zip(line, line.dropFirst()) { mask.addSegment(from: start, to: end, radius: radius) }
        }
        return mask
    }

    /// A mask of a convex polygon (corners in either turning order). `softness` px widens the
    /// anti-aliased edge into a soft one, for shadows.
    static func convexPolygon(_ corners: [Point], softness: Double = 1, pictureWidth: Int, pictureHeight: Int)
        -> CoverageMask {
        var mask = CoverageMask(bounds: boundingBox(of: corners), margin: softness + 1,
                                pictureWidth: pictureWidth, pictureHeight: pictureHeight)
        // Each edge as a line a·x + b·y + c = distance inside (positive) for a unit normal (a, b).
        let area = zip(corners, corners.dropFirst() + [corners[0]]).reduce(0) { $0 + $1.0.x * $1.1.y - $1.1.x * $1.0.y }
        let sign: Double = area > 0 ? 1 : -1
        let edges: [(Double, Double, Double)] = zip(corners, corners.dropFirst() + [corners[0]]).compactMap { p, q in
            let (dx, dy) = (q.x - p.x, q.y - p.y)
            let length = (dx * dx + dy * dy).squareRoot()
            guard length > 1e-9 else { return nil }
            let (a, b) = (-dy / length * sign, dx / length * sign)
            return (a, b, -(a * p.x + b * p.y))
        }
        let scale = Float(1 / softness)
        let (originX, originY, width) = (mask.originX, mask.originY, mask.width)
        mask.values.withUnsafeMutableBufferPointer { values in
            for row in 0..<mask.height {
                let y = Double(originY + row)
                for column in 0..<width {
                    let x = Double(originX + column)
                    var inside = Double.infinity
                    for (a, b, c) in edges { inside = min(inside, a * x + b * y + c) }
                    values[row * width + column] = min(1, max(0, Float(inside) * scale + 0.5))
                }
            }
        }
        return mask
    }

    /// Raises coverage to that of one round-capped segment.
    mutating func addSegment(from start: Point, to end: Point, radius: Double) {
        let (dx, dy) = (end.x - start.x, end.y - start.y)
        let lengthSquared = max(dx * dx + dy * dy, 1e-12)
        let reach = radius + 1
        let firstColumn = max(originX, Int((min(start.x, end.x) - reach).rounded(.down)))
        let lastColumn = min(originX + width - 1, Int((max(start.x, end.x) + reach).rounded(.up)))
        let firstRow = max(originY, Int((min(start.y, end.y) - reach).rounded(.down)))
        let lastRow = min(originY + height - 1, Int((max(start.y, end.y) + reach).rounded(.up)))
        guard firstColumn <= lastColumn, firstRow <= lastRow else { return }
        let (columns, rows) = (firstColumn...lastColumn, firstRow...lastRow)
        let (originX, originY, width) = (self.originX, self.originY, self.width)
        values.withUnsafeMutableBufferPointer { values in
            for y in rows {
                for x in columns {
                    let (px, py) = (Double(x) - start.x, Double(y) - start.y)
                    let t = min(1, max(0, (px * dx + py * dy) / lengthSquared))
                    let (ex, ey) = (px - t * dx, py - t * dy)
                    let coverage = Float(min(1, max(0, radius + 0.5 - (ex * ex + ey * ey).squareRoot())))
                    let index = (y - originY) * width + (x - originX)
                    if coverage > values[index] { values[index] = coverage }
                }
            }
        }
    }

    static func boundingBox(of points: [Point]) -> (Double, Double, Double, Double) {
        var box = (Double.infinity, Double.infinity, -Double.infinity, -Double.infinity)
        for p in points {
            box = (min(box.0, p.x), min(box.1, p.y), max(box.2, p.x), max(box.3, p.y))
        }
        return box
    }
}
