/// Finds where the 95 modules really lie in a `ModuleStrip`, row by row.
///
/// Every EAN-13 symbol has modules whose colour does not depend on the code: the three guards
/// (101, 01010, 101), the first and last module of each digit (a left digit starts with a space and
/// ends with a bar, a right digit the reverse) and the quiet zones. For each band of a few rows the
/// aligner searches the left edge and the module width that put light samples on those spaces and
/// dark ones on those bars; a straight line through the bands' edges then gives every row its own
/// grid, which undoes the slant of a quad whose corners are a little off. The pattern of known
/// modules reads the same backwards, so this works before the orientation is known.
struct GuardAligner {
    /// Known modules: index (−3…97) and +1 for a space, −1 for a bar.
    static let knownModules: [(module: Int, sign: Float)] = {
        var known: [(Int, Float)] = []
        for m in -3..<0 { known.append((m, 1)) }
        for m in 95..<98 { known.append((m, 1)) }
        let guards: [(Int, [Bool])] = [(0, EAN13Symbology.startGuard), (45, EAN13Symbology.centreGuard),
                                        (92, EAN13Symbology.endGuard)]
        for (start, bars) in guards {
            for (i, bar) in bars.enumerated() { known.append((start + i, bar ? -1 : 1)) }
        }
        for slot in 0..<6 {
            known.append((3 + 7 * slot, 1)); known.append((9 + 7 * slot, -1))
            known.append((50 + 7 * slot, -1)); known.append((56 + 7 * slot, 1))
        }
        return known
    }()

    static let bandRows = 3
    /// How far (in modules) the true edges may lie from the quad's.
    static let searchRadius = 3.0

    /// A row's module grid: module position m lies at strip module coordinate `left + m · width`.
    struct Grid: Equatable {
        var left: Double
        var width: Double
    }

    /// One grid per strip row.
    static func align(_ strip: ModuleStrip) -> [Grid] {
        let rows = ModuleStrip.rowCount, columns = ModuleStrip.columnCount
        let bandCount = rows / bandRows
        var centres: [Double] = [], lefts: [Double] = [], rights: [Double] = []
        for band in 0..<bandCount {
            var profile = [Float](repeating: 0, count: columns)
            for row in band * bandRows..<(band + 1) * bandRows {
                for c in 0..<columns { profile[c] += strip.values[row * columns + c] }
            }
            let normalised = LevelNormaliser(profile).apply(profile)
            let (left, right) = bestEdges(normalised)
            centres.append(Double(band * bandRows) + Double(bandRows - 1) / 2)
            lefts.append(left)
            rights.append(right)
        }
        let leftLine = RobustLine.fit(x: centres, y: lefts)
        let rightLine = RobustLine.fit(x: centres, y: rights)
        let moduleCount = Double(EAN13Symbology.moduleCount)
        return (0..<rows).map { row in
            let left = leftLine.value(at: Double(row)), right = rightLine.value(at: Double(row))
            return Grid(left: left, width: (right - left) / moduleCount)
        }
    }

    /// The left and right symbol edges (module coordinates) that best fit the known modules: a coarse
    /// grid search, then a finer one around the best.
    static func bestEdges(_ profile: [Float]) -> (Double, Double) {
        var best = (score: -Float.infinity, left: 0.0, right: 95.0)
        func search(leftRange: ClosedRange<Double>, rightRange: ClosedRange<Double>, step: Double) {
            var left = leftRange.lowerBound
            while left <= leftRange.upperBound + 1e-9 {
                var right = rightRange.lowerBound
                while right <= rightRange.upperBound + 1e-9 {
                    let s = score(profile, left: left, right: right)
                    if s > best.score { best = (s, left, right) }
                    right += step
                }
                left += step
            }
        }
        let r = searchRadius
        search(leftRange: -r...r, rightRange: (95 - r)...(95 + r), step: 0.125)
        let (coarseLeft, coarseRight) = (best.left, best.right)
        search(leftRange: (coarseLeft - 0.125)...(coarseLeft + 0.125),
               rightRange: (coarseRight - 0.125)...(coarseRight + 0.125), step: 1.0 / 32)
        return (best.left, best.right)
    }

    /// Sum of the known modules' centre levels, spaces counted up and bars down.
    static func score(_ profile: [Float], left: Double, right: Double) -> Float {
        let width = (right - left) / Double(EAN13Symbology.moduleCount)
        var total: Float = 0
        for (module, sign) in knownModules {
            let column = ModuleStrip.column(ofModule: left + (Double(module) + 0.5) * width)
            total += sign * LinearProfile.value(profile, at: column)
        }
        return total
    }
}

/// Maps a profile's grey levels so that its dark level (5th percentile) becomes 0 and its light
/// level (95th percentile) 1, whatever the exposure and contrast.
struct LevelNormaliser {
    let black: Float
    let white: Float

    init(_ values: [Float]) {
        let sorted = values.sorted()
        black = sorted[sorted.count * 5 / 100]
        white = sorted[min(sorted.count - 1, sorted.count * 95 / 100)]
    }

    func apply(_ values: [Float]) -> [Float] {
        let range = max(white - black, 1)
        return values.map { ($0 - black) / range }
    }
}

/// Linear interpolation in a sampled profile; positions outside read the nearest end.
enum LinearProfile {
    @inline(__always)
    static func value(_ profile: [Float], at position: Double) -> Float {
        let last = profile.count - 1
        if position <= 0 { return profile[0] }
        if position >= Double(last) { return profile[last] }
        let i = Int(position)
        let t = Float(position - Double(i))
        return profile[i] + (profile[i + 1] - profile[i]) * t
    }
}

/// A least-squares line that ignores points far from the others (a band hidden by glare, say).
struct RobustLine {
    var intercept: Double
    var slope: Double

    func value(at x: Double) -> Double { intercept + slope * x }

    /// Theil–Sen (the median of the pairwise slopes) to start, then least squares on the points
    /// within half a module of that line.
    static func fit(x: [Double], y: [Double]) -> RobustLine {
        var slopes: [Double] = []
        for i in x.indices { for j in x.indices where j > i && x[j] != x[i] { slopes.append((y[j] - y[i]) / (x[j] - x[i])) } }
        let slope = median(slopes) ?? 0
        let start = RobustLine(intercept: median(x.indices.map { y[$0] - slope * x[$0] }) ?? 0, slope: slope)
        let keep = x.indices.filter { abs(y[$0] - start.value(at: x[$0])) <= 0.5 }
        guard keep.count >= 2 else { return start }
        return leastSquares(x: keep.map { x[$0] }, y: keep.map { y[$0] })
    }

    private static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let mid = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
    }

    private static func leastSquares(x: [Double], y: [Double]) -> RobustLine {
        let n = Double(x.count)
        let meanX = x.reduce(0, +) / n, meanY = y.reduce(0, +) / n
        var sxx = 0.0, sxy = 0.0
        for i in x.indices { sxx += (x[i] - meanX) * (x[i] - meanX); sxy += (x[i] - meanX) * (y[i] - meanY) }
        let slope = sxx > 0 ? sxy / sxx : 0
        return RobustLine(intercept: meanY - slope * meanX, slope: slope)
    }
}
