import Foundation

/// Refines a coarse region at full resolution into the quad of the bars region: lines across the bars
/// find the outer edges of the first and last guard bars (fitted as two straight lines), then rows
/// walked outward along the bars find where each half's bar pattern stops (the top of the bars, and
/// the bottom of the data bars, where the guard bars go on and the digits begin).
struct QuadRefiner {
    /// Lines across the bars, spread over the middle 60 % of the region.
    var scanLines = 7
    /// Distance between samples along a line across the bars, in photo pixels.
    var sampleStep = 0.5
    /// Each sample is the mean of three points along the bars, this far apart (photo pixels).
    var sampleSpread = 1.0
    var gapLimit = 3.5
    var minimumEdges = 16
    /// A row still belongs to the bars while its pattern correlates at least this well with the middle rows'.
    var endCorrelation: Float = 0.5

    /// Samples per row in the walk along the bars: two per module.
    static let rowSamples = 190
    // Module ranges of the two halves' data digits and of the guards, as row sample ranges.
    static let leftHalf = 6..<90, rightHalf = 100..<184
    static let guards = [0..<8, 88..<102, 182..<190]

    func refine(_ region: CandidateRegion, in plane: GreyPlane) -> BarcodeCandidate? {
        let rectangle = region.rectangle
        guard let (left, right, edgeScore) = edgeLines(of: rectangle, in: plane) else { return nil }
        let walk = RowWalk(plane: plane, rectangle: rectangle, left: left, right: right)
        guard let reference = walk.referenceRow() else { return nil }
        let width = walk.point(left, along: 0).distance(to: walk.point(right, along: 0))
        let step = max(1, width / 400)
        let limit = Int(width / step)
        guard let top = walk.end(direction: -1, step: step, limit: limit, reference: reference, threshold: endCorrelation),
              let bottom = walk.end(direction: 1, step: step, limit: limit, reference: reference, threshold: endCorrelation)
        else { return nil }
        let height = (bottom.left - top.left + bottom.right - top.right) / 2
        guard height >= 4, height / width >= 0.08, height / width <= 1.2 else { return nil }

        // Each half's end is measured at its middle (modules 24 and 71); extend that edge to modules 0 and 95.
        func alongAt(_ module: Double, _ end: HalfEnds) -> Double { end.left + (end.right - end.left) * (module - 24) / 47 }
        var quad = Quad(topLeft: walk.point(left, along: alongAt(0, top)), topRight: walk.point(right, along: alongAt(95, top)),
                        bottomRight: walk.point(right, along: alongAt(95, bottom)),
                        bottomLeft: walk.point(left, along: alongAt(0, bottom)))
        // The guard bars reach below the data bars: the side where they go on is the bottom.
        let module = width / 95
        let guardsBelow = walk.guardCorrelation(along: max(bottom.left, bottom.right) + 2 * module, reference: reference)
        let guardsAbove = walk.guardCorrelation(along: min(top.left, top.right) - 2 * module, reference: reference)
        if guardsAbove > guardsBelow { quad = quad.rotatedHalfTurn }
        return BarcodeCandidate(quad: quad, score: region.score * edgeScore, region: rectangle)
    }

    /// The left and right edges of the bars as lines `across = offset + slope · along` in the region's
    /// frame, and how bar-like the lines across looked (0…1).
    private func edgeLines(of rectangle: OrientedRectangle, in plane: GreyPlane) -> (EdgeLine, EdgeLine, Double)? {
        let reach = rectangle.halfWidth * 1.6 + 24
        var spans: [(along: Double, start: Double, end: Double, edges: Int)] = []
        for k in 0..<scanLines {
            let along = (Double(k) / Double(scanLines - 1) - 0.5) * 1.2 * rectangle.halfHeight
            guard let range = Self.insideRange(of: rectangle, along: along, reach: reach, in: plane) else { continue }
            let count = Int((range.upperBound - range.lowerBound) / sampleStep) + 1
            guard count >= 16 else { continue }
            var profile = [Float](repeating: 0, count: count)
            let bars = rectangle.barDirection
            for i in 0..<count {
                let p = rectangle.point(across: range.lowerBound + Double(i) * sampleStep, along: along)
                var sum: Float = 0
                for o in [-sampleSpread, 0, sampleSpread] { sum += plane.sample(x: p.x + o * bars.x, y: p.y + o * bars.y) }
                profile[i] = sum / 3
            }
            let middle = -range.lowerBound / sampleStep
            guard middle >= 0, middle <= Double(count - 1) else { continue }
            let window = max(12, 0.3 * rectangle.halfWidth) / sampleStep
            let reference = max(0, Int(middle - window))..<min(count, Int(middle + window) + 1)
            let edges = ProfileEdges.find(in: profile, reference: reference)
            guard let span = BarsSpan.find(in: edges, middle: middle, window: window, profileLength: count,
                                           gapLimit: gapLimit, minimumEdges: minimumEdges) else { continue }
            spans.append((along, range.lowerBound + span.start * sampleStep, range.lowerBound + span.end * sampleStep,
                          span.edgeCount))
        }
        guard spans.count >= 3 else { return nil }
        let widths = spans.map { $0.end - $0.start }.sorted()
        let typicalWidth = widths[widths.count / 2]
        let agreeing = spans.filter { abs($0.end - $0.start - typicalWidth) <= 0.12 * typicalWidth + 2 }
        guard agreeing.count >= 3,
              let left = EdgeLine.fit(agreeing.map { ($0.along, $0.start) }, tolerance: 0.02 * typicalWidth + 1.5),
              let right = EdgeLine.fit(agreeing.map { ($0.along, $0.end) }, tolerance: 0.02 * typicalWidth + 1.5)
        else { return nil }
        let edges = agreeing.map(\.edges).sorted()[agreeing.count / 2]
        let score = Double(agreeing.count) / Double(scanLines) * min(1, Double(edges) / 40)
        return (left, right, score)
    }

    /// The part of `−reach … reach` across the rectangle, at `along`, that lies on the plane.
    static func insideRange(of rectangle: OrientedRectangle, along: Double, reach: Double,
                            in plane: GreyPlane) -> ClosedRange<Double>? {
        let origin = rectangle.point(across: 0, along: along), normal = rectangle.normal
        var (low, high) = (-reach, reach)
        for (start, direction, limit) in [(origin.x, normal.x, Double(plane.width - 1)), (origin.y, normal.y, Double(plane.height - 1))] {
            if abs(direction) < 1e-9 {
                if start < 0 || start > limit { return nil }
                continue
            }
            let (a, b) = ((0 - start) / direction, (limit - start) / direction)
            low = max(low, min(a, b)); high = min(high, max(a, b))
        }
        return low < high ? low...high : nil
    }
}

/// A straight edge of the bars in a region's frame: `across = offset + slope · along`.
struct EdgeLine {
    var offset: Double
    var slope: Double

    func across(at along: Double) -> Double { offset + slope * along }

    /// Least squares through the points within `tolerance` of their median; the slope is 0 when the
    /// points are too close together along the bars to tell it, and at most 0.3 (17°).
    static func fit(_ points: [(along: Double, across: Double)], tolerance: Double) -> EdgeLine? {
        let median = points.map(\.across).sorted()[points.count / 2]
        let kept = points.filter { abs($0.across - median) <= tolerance * 2 }
        guard kept.count >= 2 else { return nil }
        let n = Double(kept.count)
        let meanAlong = kept.reduce(0) { $0 + $1.along } / n
        let meanAcross = kept.reduce(0) { $0 + $1.across } / n
        let spread = kept.reduce(0) { $0 + ($1.along - meanAlong) * ($1.along - meanAlong) }
        guard spread >= n * 4 else { return EdgeLine(offset: meanAcross, slope: 0) }
        let covariance = kept.reduce(0) { $0 + ($1.along - meanAlong) * ($1.across - meanAcross) }
        let slope = max(-0.3, min(0.3, covariance / spread))
        return EdgeLine(offset: meanAcross - slope * meanAlong, slope: slope)
    }
}

/// Where one end of the bars is, for the left and the right half of the symbol (as offsets along the bars).
struct HalfEnds {
    var left: Double
    var right: Double
}

/// Rows between the two edge lines, resampled to two samples a module, compared with the middle rows.
struct RowWalk {
    let plane: GreyPlane
    let rectangle: OrientedRectangle
    let left: EdgeLine
    let right: EdgeLine

    func point(_ line: EdgeLine, along: Double) -> Point { rectangle.point(across: line.across(at: along), along: along) }

    /// The row at `along`, or nil when an end of it is off the plane.
    func row(along: Double) -> [Float]? {
        let (start, end) = (point(left, along: along), point(right, along: along))
        guard plane.contains(start), plane.contains(end) else { return nil }
        let n = QuadRefiner.rowSamples
        return (0..<n).map { j in
            let t = (Double(j) + 0.5) / Double(n)
            return plane.sample(x: start.x + t * (end.x - start.x), y: start.y + t * (end.y - start.y))
        }
    }

    /// The mean of the three rows around the middle.
    func referenceRow() -> [Float]? {
        guard let a = row(along: -1), let b = row(along: 0), let c = row(along: 1) else { return nil }
        return (0..<a.count).map { (a[$0] + b[$0] + c[$0]) / 3 }
    }

    /// Walks from the middle in `direction` (−1 or 1) until each half's pattern has fallen below
    /// `threshold` on two rows in a row, or the walk leaves the plane (then the last row on it counts).
    func end(direction: Double, step: Double, limit: Int, reference: [Float], threshold: Float) -> HalfEnds? {
        var lastGood = (left: 0.0, right: 0.0)
        var misses = (left: 0, right: 0)
        for i in 1...max(1, limit) {
            let along = direction * Double(i) * step
            guard let row = row(along: along) else { break }
            if misses.left < 2 {
                if Self.correlation(row, reference, QuadRefiner.leftHalf) >= threshold { lastGood.left = along; misses.left = 0 }
                else { misses.left += 1 }
            }
            if misses.right < 2 {
                if Self.correlation(row, reference, QuadRefiner.rightHalf) >= threshold { lastGood.right = along; misses.right = 0 }
                else { misses.right += 1 }
            }
            if misses.left >= 2 && misses.right >= 2 { break }
        }
        let half = direction * step / 2
        return HalfEnds(left: lastGood.left + half, right: lastGood.right + half)
    }

    /// How well the guard columns of the row at `along` follow the reference's (−1 … 1; −1 off the plane).
    func guardCorrelation(along: Double, reference: [Float]) -> Float {
        guard let row = row(along: along) else { return -1 }
        let indices = QuadRefiner.guards.flatMap { Array($0) }
        return Self.correlation(indices.map { row[$0] }, indices.map { reference[$0] }, 0..<indices.count)
    }

    /// Pearson correlation of two rows over `range`; 0 when either is flat there.
    static func correlation(_ a: [Float], _ b: [Float], _ range: Range<Int>) -> Float {
        let n = Float(range.count)
        var (sa, sb) = (Float(0), Float(0))
        for i in range { sa += a[i]; sb += b[i] }
        let (ma, mb) = (sa / n, sb / n)
        var (ab, aa, bb) = (Float(0), Float(0), Float(0))
        for i in range {
            let (da, db) = (a[i] - ma, b[i] - mb)
            ab += da * db; aa += da * da; bb += db * db
        }
        guard aa > 1e-6, bb > 1e-6 else { return 0 }
        return ab / (aa * bb).squareRoot()
    }
}
