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
    static let halfModules = Double(EAN13Symbology.moduleCount) / 2

    /// A row's module grid, piecewise linear: the left edge, the middle of the centre guard and the
    /// right edge (strip module coordinates). Two halves absorb most of the perspective error a quad
    /// with misplaced corners leaves, which one straight scale cannot.
    struct Grid: Equatable {
        var left: Double
        var centre: Double
        var right: Double

        /// Strip module coordinate of symbol module position `module` (0…95).
        func position(ofModule module: Double) -> Double {
            module <= GuardAligner.halfModules
                ? left + module * (centre - left) / GuardAligner.halfModules
                : centre + (module - GuardAligner.halfModules) * (right - centre) / GuardAligner.halfModules
        }
    }

    /// One grid per strip row.
    static func align(_ strip: ModuleStrip) -> [Grid] {
        let rows = ModuleStrip.rowCount, columns = ModuleStrip.columnCount
        let bandCount = rows / bandRows
        var centres: [Double] = [], bandGrids: [Grid] = []
        for band in 0..<bandCount {
            var profile = [Float](repeating: 0, count: columns)
            for row in band * bandRows..<(band + 1) * bandRows {
                for c in 0..<columns { profile[c] += strip.values[row * columns + c] }
            }
            centres.append(Double(band * bandRows) + Double(bandRows - 1) / 2)
            bandGrids.append(bestGrid(LevelNormaliser(profile).apply(profile)))
        }
        let leftLine = RobustLine.fit(x: centres, y: bandGrids.map(\.left))
        let centreLine = RobustLine.fit(x: centres, y: bandGrids.map(\.centre))
        let rightLine = RobustLine.fit(x: centres, y: bandGrids.map(\.right))
        return (0..<rows).map { row in
            let y = Double(row)
            return Grid(left: leftLine.value(at: y), centre: centreLine.value(at: y), right: rightLine.value(at: y))
        }
    }

    /// The grid that best fits the known modules: a coarse search of the two edges with the centre
    /// halfway, a finer one around the best, then the centre and each edge refined on their own.
    static func bestGrid(_ profile: [Float]) -> Grid {
        var best = (score: -Float.infinity, grid: Grid(left: 0, centre: halfModules, right: 95))
        func consider(_ grid: Grid) {
            let s = score(profile, grid: grid)
            if s > best.score { best = (s, grid) }
        }
        func steps(around value: Double, radius: Double, step: Double) -> [Double] {
            stride(from: value - radius, through: value + radius + 1e-9, by: step).map { $0 }
        }
        let r = searchRadius
        for left in steps(around: 0, radius: r, step: 0.125) {
            for right in steps(around: 95, radius: r, step: 0.125) {
                consider(Grid(left: left, centre: (left + right) / 2, right: right))
            }
        }
        let coarse = best.grid
        for left in steps(around: coarse.left, radius: 0.125, step: 1.0 / 32) {
            for right in steps(around: coarse.right, radius: 0.125, step: 1.0 / 32) {
                consider(Grid(left: left, centre: (left + right) / 2, right: right))
            }
        }
        // Perspective can put the centre guard off the middle: refine it, then each edge again over the
        // whole search range (the compromise above may sit a module or two off on one side).
        for radius in [3.0, 0.5] {
            let current = best.grid
            for centre in steps(around: current.centre, radius: 1.5, step: 1.0 / 32) {
                consider(Grid(left: current.left, centre: centre, right: current.right))
            }
            let withCentre = best.grid
            for left in steps(around: withCentre.left, radius: radius, step: 1.0 / 32) {
                consider(Grid(left: left, centre: withCentre.centre, right: withCentre.right))
            }
            let withLeft = best.grid
            for right in steps(around: withLeft.right, radius: radius, step: 1.0 / 32) {
                consider(Grid(left: withLeft.left, centre: withLeft.centre, right: right))
            }
        }
        return best.grid
    }

    /// Sum of the known modules' centre levels, spaces counted up and bars down.
    static func score(_ profile: [Float], grid: Grid) -> Float {
        var total: Float = 0
        for (module, sign) in knownModules {
            let column = ModuleStrip.column(ofModule: grid.position(ofModule: Double(module) + 0.5))
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
