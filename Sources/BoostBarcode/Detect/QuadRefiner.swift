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
    /// Widest gap between edges inside the bars, in modules.
    var gapLimit = 5.5
    var minimumEdges = 16
    /// Two spans of a line alike enough to be the halves of a symbol whose centre guard blur has
    /// wiped out are joined across a gap of up to this many modules (nil: never; `BarsSpan`). On
    /// 1 000 synthetic calibration photos the localizer's top candidate overlaps the symbol by 0.7 or
    /// more in 821 against 806 without it (8 modules: 818); the real photos' 130 checked quads are
    /// found as before.
    var halvesGapLimit: Double? = 10
    /// A row still belongs to the bars while its pattern keeps at least this share of the middle rows' amplitude.
    var endAmplitude: Float = 0.4
    /// Largest difference between where the two halves' bars end, as a share of the symbol's width.
    var maximumEndTilt = 0.08
    /// Find the edges across the bars on the logarithm of the grey levels instead of the levels: the
    /// edge thresholds follow the line's local range and its noise, and the logarithm weighs dark and
    /// light parts of the line differently (see `BarcodeLocalizer.secondLooks`).
    var logarithmicProfile = false
    /// An edge must reach this share of the line's local range (`ProfileEdges`).
    var relativeEdgeThreshold = ProfileEdges.defaultRelativeThreshold
    /// Added to the levels before the logarithm, so that the noise of near-black parts is not blown up.
    static let logarithmOffset: Float = 32

    /// The steepest an end's line may run across the region (across per along), and the steeper
    /// slope tried when no lines are found within it.
    static let edgeSlope = 0.15, steepEdgeSlope = 0.2
    /// Samples per row in the walk along the bars: two per module.
    static let rowSamples = 190
    // Module ranges of the two halves' data digits and of the guards, as row sample ranges.
    static let leftHalf = 6..<90, rightHalf = 100..<184
    static let guards = [0..<8, 88..<102, 182..<190]

    func refine(_ region: CandidateRegion, in plane: GreyPlane) -> BarcodeCandidate? {
        let rectangle = region.rectangle
        guard let lines = edgeLines(of: rectangle, in: plane) else { return nil }
        let walk = RowWalk(plane: plane, rectangle: rectangle, left: lines.left, right: lines.right)
        let middle = lines.middle
        guard let reference = walk.referenceRow(around: middle) else { return nil }
        let width = walk.point(lines.left, along: middle).distance(to: walk.point(lines.right, along: middle))
        // Coarse steps of about 1.5 modules, then single pixels (or 1/400 of the width for big symbols).
        let (coarse, fine) = (max(1, width / 64), max(1, width / 400))
        let limit = Int(width / coarse)
        var top = walk.end(from: middle, direction: -1, coarseStep: coarse, fineStep: fine, limit: limit,
                           reference: reference, threshold: endAmplitude)
        var bottom = walk.end(from: middle, direction: 1, coarseStep: coarse, fineStep: fine, limit: limit,
                              reference: reference, threshold: endAmplitude)
        // The halves may disagree by a little perspective, not by more: a half that runs on far past the
        // other has run into something else.
        top.limitDisagreement(to: maximumEndTilt * width)
        bottom.limitDisagreement(to: maximumEndTilt * width)
        let height = (bottom.left - top.left + bottom.right - top.right) / 2
        guard height >= 4, height / width >= 0.08, height / width <= 1.2 else { return nil }

        // Each half's end is measured at its middle (modules 24 and 71); extend that edge to modules 0 and 95.
        func alongAt(_ module: Double, _ end: HalfEnds) -> Double { end.left + (end.right - end.left) * (module - 24) / 47 }
        var quad = Quad(topLeft: walk.point(lines.left, along: alongAt(0, top)),
                        topRight: walk.point(lines.right, along: alongAt(95, top)),
                        bottomRight: walk.point(lines.right, along: alongAt(95, bottom)),
                        bottomLeft: walk.point(lines.left, along: alongAt(0, bottom)))
        // The guard bars reach below the data bars: the side where they go on is the bottom.
        let module = width / 95
        let guardsBelow = walk.guardAmplitude(along: max(bottom.left, bottom.right) + 2 * module, reference: reference)
        let guardsAbove = walk.guardAmplitude(along: min(top.left, top.right) - 2 * module, reference: reference)
        if guardsAbove > guardsBelow { quad = quad.rotatedHalfTurn }
        let cut = touchesBorder(quad, of: plane) ? QuadRefiner.cutByFrameFactor : 1
        return BarcodeCandidate(quad: quad, score: region.score * lines.score * cut, region: rectangle, edgeCount: lines.edges)
    }

    /// A symbol cut by the photo's frame is ranked below a whole one of the same look: a photo's other
    /// symbol, whole, is more likely the one that was aimed at. A whole symbol's quiet zone keeps its
    /// bars 7 modules or more from the frame; a cut one's last edge found lies within a bar or two of it.
    static let cutByFrameFactor = 0.5, frameMarginModules = 2.0, frameMarginPixels = 2.0

    private func touchesBorder(_ quad: Quad, of plane: GreyPlane) -> Bool {
        let module = (quad.topLeft.distance(to: quad.topRight) + quad.bottomLeft.distance(to: quad.bottomRight)) / 2 / 95
        let margin = max(Self.frameMarginPixels, Self.frameMarginModules * module)
        let (right, bottom) = (Double(plane.width - 1) - margin, Double(plane.height - 1) - margin)
        return quad.corners.contains { $0.x <= margin || $0.y <= margin || $0.x >= right || $0.y >= bottom }
    }

    /// The left and right edges of the bars as lines `across = offset + slope · along` in the region's
    /// frame, the middle of the lines that found them (along the bars), and how bar-like those lines
    /// looked (0…1).
    private func edgeLines(of rectangle: OrientedRectangle, in plane: GreyPlane)
        -> (left: EdgeLine, right: EdgeLine, middle: Double, score: Double, edges: Int)? {
        var spans: [Span] = []
        var linesTried = 0
        func scan(at position: Double) {
            linesTried += 1
            let along = (position / Double(scanLines - 1) - 0.5) * 1.2 * rectangle.halfHeight
            // A region may hold only part of the bars: when a line finds no quiet zone within its
            // reach, a line three times as long tries again.
            let short = rectangle.halfWidth * 1.6 + 24
            guard var found = span(of: rectangle, along: along, reach: short, in: plane) else { return }
            if found.isCut, let longer = span(of: rectangle, along: along, reach: 3 * short, in: plane) { found = longer }
            spans.append(Span(along: along, start: found.start, end: found.end, edges: found.edgeCount, module: found.module,
                              variation: found.widthVariation))
        }
        // The middle line first, then outwards; a region where the first three find no bars is given up.
        let order = (0..<scanLines).sorted { abs(2 * $0 - scanLines + 1) < abs(2 * $1 - scanLines + 1) }
        for (tried, k) in order.enumerated() {
            if tried == 3 && spans.isEmpty { return nil }
            scan(at: Double(k))
        }
        guard spans.count >= 2 else { return nil }
        var agreed = consensusLines(spans, maximumSlope: Self.edgeSlope)
        // Text or damage beside the bars can leave too few lines agreeing on an end: lines in between
        // get a second say.
        if agreed.map({ $0.left.inliers < 3 || $0.right.inliers < 3 }) ?? false {
            for k in 0..<scanLines - 1 { scan(at: Double(k) + 0.5) }
            agreed = consensusLines(spans, maximumSlope: Self.edgeSlope)
        }
        // Strong perspective with a region a little askew tilts one end's line past the usual slope
        // (a real photo whose JPEG copy lost its symbol this way: 0.18); allowed only where the
        // usual slope finds no pair of lines, so that no line found before changes.
        if agreed.map({ $0.left.inliers < 3 || $0.right.inliers < 3 }) ?? true {
            agreed = consensusLines(spans, maximumSlope: Self.steepEdgeSlope)
        }
        guard let (left, right, tolerance) = agreed, left.inliers >= 3, right.inliers >= 3 else { return nil }
        let (leftLine, rightLine) = (left.line, right.line)
        let onLeft = spans.filter { abs($0.start - leftLine.across(at: $0.along)) <= tolerance }
        let onRight = spans.filter { abs($0.end - rightLine.across(at: $0.along)) <= tolerance }
        let whole = onLeft.filter { abs($0.end - rightLine.across(at: $0.along)) <= tolerance }
        // How EAN-13-like the whole lines are: about 60 edges (fewer when blur merges thin bars), and
        // bars and spaces of varied widths (regular stripes are not).
        let typical = whole.isEmpty ? spans : whole
        let edges = typical.map(\.edges).sorted()[typical.count / 2]
        let variation = typical.map(\.variation).sorted()[typical.count / 2]
        let score = Double(onLeft.count + onRight.count) / Double(2 * linesTried) * min(1, Double(edges) / 40)
            * (edges > 80 ? 80 / Double(edges) : 1) * min(1, variation / 0.4)
        let middle = (onLeft + onRight).map(\.along).sorted()[(onLeft.count + onRight.count) / 2]
        return (leftLine, rightLine, middle, score, edges)
    }

    /// The lines through the left and the right ends of the spans, each with how many ends lie on it,
    /// and the tolerance used (three quarters of a module and a pixel). Some lines run on into text or texture beside
    /// the symbol, or stop short at damage; the true ends lie on two straight lines, the strays do not,
    /// and each end is judged on its own.
    private func consensusLines(_ spans: [Span], maximumSlope: Double)
        -> (left: (line: EdgeLine, inliers: Int), right: (line: EdgeLine, inliers: Int), tolerance: Double)? {
        let tolerance = spans.map(\.module).sorted()[spans.count / 2] * 0.75 + 1
        guard let left = EdgeLine.consensus(spans.map { ($0.along, $0.start) }, tolerance: tolerance, maximumSlope: maximumSlope),
              let right = EdgeLine.consensus(spans.map { ($0.along, $0.end) }, tolerance: tolerance, maximumSlope: maximumSlope)
        else { return nil }
        func count(_ line: EdgeLine, _ ends: [(along: Double, across: Double)]) -> Int {
            ends.filter { abs($0.across - line.across(at: $0.along)) <= tolerance }.count
        }
        return ((left, count(left, spans.map { ($0.along, $0.start) })), (right, count(right, spans.map { ($0.along, $0.end) })),
                tolerance)
    }

    /// The bars span on the line across the rectangle at `along`, reaching `reach` each side of the
    /// centre line (less where the plane ends); positions in the rectangle's `across` coordinate.
    private func span(of rectangle: OrientedRectangle, along: Double, reach: Double, in plane: GreyPlane) -> BarsSpan? {
        guard let range = Self.insideRange(of: rectangle, along: along, reach: reach, in: plane) else { return nil }
        let count = Int((range.upperBound - range.lowerBound) / sampleStep) + 1
        let middle = -range.lowerBound / sampleStep
        guard count >= 16, middle >= 0, middle <= Double(count - 1) else { return nil }
        var profile = [Float](repeating: 0, count: count)
        let (bars, normal) = (rectangle.barDirection, rectangle.normal)
        let first = rectangle.point(across: range.lowerBound, along: along)
        let step = Point(x: normal.x * sampleStep, y: normal.y * sampleStep)
        for o in [-sampleSpread, 0, sampleSpread] {
            plane.accumulateLine(from: Point(x: first.x + o * bars.x, y: first.y + o * bars.y), step: step, weight: 1 / 3,
                                 into: &profile)
        }
        let window = max(12, 0.5 * rectangle.halfWidth) / sampleStep
        if logarithmicProfile {
            // Scaled so that a mid-grey level keeps about its slope.
            for i in profile.indices { profile[i] = 128 * log(profile[i] + Self.logarithmOffset) }
        }
        let edges = ProfileEdges.find(in: profile, relativeThreshold: relativeEdgeThreshold)
        guard var span = BarsSpan.find(in: edges, middle: middle, window: window, profileLength: count,
                                       gapLimit: gapLimit, minimumEdges: minimumEdges, halvesGapLimit: halvesGapLimit) else { return nil }
        span.start = range.lowerBound + span.start * sampleStep
        span.end = range.lowerBound + span.end * sampleStep
        span.module *= sampleStep
        return span
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

/// Where one line across the bars found them, in the region's frame.
private struct Span {
    var along: Double
    var start: Double
    var end: Double
    var edges: Int
    var module: Double
    var variation: Double
}

/// A straight edge of the bars in a region's frame: `across = offset + slope · along`.
struct EdgeLine {
    var offset: Double
    var slope: Double

    func across(at along: Double) -> Double { offset + slope * along }

    /// The line that the points support best (tried through every pair with a slope up to
    /// `maximumSlope`; a point within `tolerance` supports it the more the closer it is), refitted by
    /// least squares to the points within `tolerance`.
    static func consensus(_ points: [(along: Double, across: Double)], tolerance: Double,
                          maximumSlope: Double = 0.15) -> EdgeLine? {
        func support(_ line: EdgeLine) -> Double {
            points.reduce(0) { total, point in
                let r = (point.across - line.across(at: point.along)) / tolerance
                return total + max(0, 1 - r * r)
            }
        }
        func inliers(_ line: EdgeLine) -> [(along: Double, across: Double)] {
            points.filter { abs($0.across - line.across(at: $0.along)) <= tolerance }
        }
        var best: (line: EdgeLine, support: Double)?
        for i in points.indices {
            for j in points.indices where j > i && abs(points[j].along - points[i].along) > 1e-9 {
                let slope = (points[j].across - points[i].across) / (points[j].along - points[i].along)
                guard abs(slope) <= maximumSlope else { continue }
                let line = EdgeLine(offset: points[i].across - slope * points[i].along, slope: slope)
                let value = support(line)
                if value > best?.support ?? 0 { best = (line, value) }
            }
        }
        guard let best, inliers(best.line).count >= 2 else { return nil }
        let refined = leastSquares(inliers(best.line))
        return abs(refined.slope) <= maximumSlope && support(refined) >= best.support ? refined : best.line
    }

    private static func leastSquares(_ points: [(along: Double, across: Double)]) -> EdgeLine {
        let n = Double(points.count)
        let meanAlong = points.reduce(0) { $0 + $1.along } / n
        let meanAcross = points.reduce(0) { $0 + $1.across } / n
        let spread = points.reduce(0) { $0 + ($1.along - meanAlong) * ($1.along - meanAlong) }
        guard spread >= n * 4 else { return EdgeLine(offset: meanAcross, slope: 0) }
        let covariance = points.reduce(0) { $0 + ($1.along - meanAlong) * ($1.across - meanAcross) }
        let slope = max(-0.3, min(0.3, covariance / spread))
        return EdgeLine(offset: meanAcross - slope * meanAlong, slope: slope)
    }
}

/// Where one end of the bars is, for the left and the right half of the symbol (as offsets along the bars).
struct HalfEnds {
    var left: Double
    var right: Double

    /// Moves both ends towards their mean until they differ by at most `limit`.
    mutating func limitDisagreement(to limit: Double) {
        let (mean, difference) = ((left + right) / 2, max(-limit, min(limit, right - left)))
        (left, right) = (mean - difference / 2, mean + difference / 2)
    }
}

/// Rows between the two edge lines, resampled to two samples a module, compared with the middle rows.
struct RowWalk {
    let plane: GreyPlane
    let rectangle: OrientedRectangle
    let left: EdgeLine
    let right: EdgeLine

    func point(_ line: EdgeLine, along: Double) -> Point { rectangle.point(across: line.across(at: along), along: along) }

    /// The row at `along`, or nil when an end of it is off the plane. Each sample is the mean of two
    /// points a quarter module apart, so that thin bars are not missed between samples.
    func row(along: Double) -> [Float]? {
        let (start, end) = (point(left, along: along), point(right, along: along))
        guard plane.contains(start), plane.contains(end) else { return nil }
        let n = Double(QuadRefiner.rowSamples)
        let step = Point(x: (end.x - start.x) / n, y: (end.y - start.y) / n)
        var row = [Float](repeating: 0, count: QuadRefiner.rowSamples)
        for offset in [0.25, 0.75] {
            plane.accumulateLine(from: Point(x: start.x + offset * step.x, y: start.y + offset * step.y), step: step,
                                 weight: 0.5, into: &row)
        }
        return row
    }

    /// The mean of the three rows around `middle`.
    func referenceRow(around middle: Double) -> [Float]? {
        guard let a = row(along: middle - 1), let b = row(along: middle), let c = row(along: middle + 1) else { return nil }
        return (0..<a.count).map { (a[$0] + b[$0] + c[$0]) / 3 }
    }

    /// Walks from `middle` in `direction` (−1 or 1) in steps of `coarseStep` until each half's pattern
    /// has fallen below `threshold` of the reference's amplitude on two rows in a row, or the walk
    /// leaves the plane; then finds each half's end to `fineStep` between its last good row and the next.
    /// Each half follows its pattern's drift along the row (perspective, curved labels) by half a
    /// module a row, up to three modules.
    func end(from middle: Double, direction: Double, coarseStep: Double, fineStep: Double, limit: Int,
             reference: [Float], threshold: Float) -> HalfEnds {
        struct Track {
            let half: Range<Int>
            var lastGood: Double
            var shift = 0
            var misses = 0
        }
        var tracks = [Track(half: QuadRefiner.leftHalf, lastGood: middle), Track(half: QuadRefiner.rightHalf, lastGood: middle)]
        for i in 1...max(1, limit) {
            let along = middle + direction * Double(i) * coarseStep
            guard let row = row(along: along) else { break }
            for t in tracks.indices where tracks[t].misses < 2 {
                let (amplitude, shift) = Self.amplitude(of: row, in: reference, tracks[t].half, around: tracks[t].shift)
                if amplitude >= threshold { (tracks[t].lastGood, tracks[t].shift, tracks[t].misses) = (along, shift, 0) }
                else { tracks[t].misses += 1 }
            }
            if tracks.allSatisfy({ $0.misses >= 2 }) { break }
        }
        func refined(_ track: Track) -> Double {
            var (good, shift) = (track.lastGood, track.shift)
            var along = good + direction * fineStep
            while abs(along - track.lastGood) < coarseStep, let row = row(along: along) {
                let (amplitude, best) = Self.amplitude(of: row, in: reference, track.half, around: shift)
                guard amplitude >= threshold else { break }
                (good, shift) = (along, best)
                along += direction * fineStep
            }
            return good + direction * fineStep / 2
        }
        return HalfEnds(left: refined(tracks[0]), right: refined(tracks[1]))
    }

    /// How much of the reference's guard-bar pattern the row at `along` holds (−1 off the plane).
    func guardAmplitude(along: Double, reference: [Float]) -> Float {
        guard let row = row(along: along) else { return -1 }
        return QuadRefiner.guards.map { Self.amplitude(of: row, in: reference, $0).amplitude }.reduce(0, +)
    }

    /// How much of the reference's pattern over `range` the row holds: its covariance with the
    /// reference over the reference's variance (1 for the same pattern and contrast, 0 for none), the
    /// best of the row shifted by `around` and one sample (half a module) either side, shifts kept
    /// within `maximumShift`. Returns the amplitude and the shift that gave it.
    static func amplitude(of row: [Float], in reference: [Float], _ range: Range<Int>, around: Int = 0,
                          maximumShift: Int = 6) -> (amplitude: Float, shift: Int) {
        let inner = range.lowerBound + 1..<range.upperBound - 1
        guard inner.count >= 2 else { return (0, around) }
        var mean: Float = 0
        for i in inner { mean += reference[i] }
        mean /= Float(inner.count)
        var variance: Float = 0
        for i in inner { variance += (reference[i] - mean) * (reference[i] - mean) }
        guard variance > 1e-3 else { return (0, around) }
        var best = (amplitude: -Float.infinity, shift: around)
        let last = row.count - 1
        for shift in max(-maximumShift, around - 1)...min(maximumShift, around + 1) {
            var covariance: Float = 0
            for i in inner { covariance += (reference[i] - mean) * row[min(last, max(0, i + shift))] }
            if covariance / variance > best.amplitude { best = (covariance / variance, shift) }
        }
        return best
    }
}
