/// Areas and overlaps of quads taken as polygons (convex, as bars regions are).
public enum QuadOverlap {
    /// Area of intersection over area of union, 0 … 1; corner order and direction do not matter.
    public static func intersectionOverUnion(_ a: Quad, _ b: Quad) -> Double {
        let (areaA, areaB) = (area(a.corners), area(b.corners))
        guard areaA > 0, areaB > 0 else { return 0 }
        let shared = area(clip(counterClockwise(a.corners), by: counterClockwise(b.corners)))
        return shared / (areaA + areaB - shared)
    }

    /// Unsigned area by the shoelace formula.
    static func area(_ polygon: [Point]) -> Double { abs(signedArea(polygon)) }

    private static func signedArea(_ polygon: [Point]) -> Double {
        guard polygon.count >= 3 else { return 0 }
        var sum = 0.0
        for i in polygon.indices {
            let (p, q) = (polygon[i], polygon[(i + 1) % polygon.count])
            sum += p.x * q.y - q.x * p.y
        }
        return sum / 2
    }

    private static func counterClockwise(_ polygon: [Point]) -> [Point] {
        signedArea(polygon) < 0 ? polygon.reversed() : polygon
    }

    /// Sutherland–Hodgman: `subject` clipped by each edge of the convex `clipper` (both in one winding).
    private static func clip(_ subject: [Point], by clipper: [Point]) -> [Point] {
        var output = subject
        for i in clipper.indices {
            let (a, b) = (clipper[i], clipper[(i + 1) % clipper.count])
            func inside(_ p: Point) -> Bool { (b.x - a.x) * (p.y - a.y) - (b.y - a.y) * (p.x - a.x) >= 0 }
            func crossing(_ p: Point, _ q: Point) -> Point {
                let (d1, d2) = ((b.x - a.x) * (p.y - a.y) - (b.y - a.y) * (p.x - a.x),
                                (b.x - a.x) * (q.y - a.y) - (b.y - a.y) * (q.x - a.x))
                let t = d1 / (d1 - d2)
                return Point(x: p.x + t * (q.x - p.x), y: p.y + t * (q.y - p.y))
            }
            let input = output
            output = []
            for j in input.indices {
                let (current, previous) = (input[j], input[(j + input.count - 1) % input.count])
                if inside(current) {
                    if !inside(previous) { output.append(crossing(previous, current)) }
                    output.append(current)
                } else if inside(previous) {
                    output.append(crossing(previous, current))
                }
            }
            if output.isEmpty { break }
        }
        return output
    }
}
