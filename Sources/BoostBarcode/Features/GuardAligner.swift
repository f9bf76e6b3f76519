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
        profile.withUnsafeBufferPointer {
            var search = GridSearch(profile: $0)
            return search.best()
        }
    }

    /// Sum of the known modules' centre levels, spaces counted up and bars down.
    static func score(_ profile: [Float], grid: Grid) -> Float {
        profile.withUnsafeBufferPointer {
            var search = GridSearch(profile: $0)
            return search.score(grid, atLeast: -.infinity) ?? -.infinity
        }
    }

    static let knownCentres = knownModules.map { Double($0.module) + 0.5 }
    static let knownSigns = knownModules.map(\.sign)
}

/// `GuardAligner.bestGrid`'s search. It scores the same grids in the same order with the same
/// arithmetic as a plain search would, and so picks the same grid; but it reads a grid's known modules
/// bars first (a grid off the symbol puts most of them on light) and gives up on the grid once even the
/// brightest spaces and darkest bars left within reach could not lift it to the best score so far.
/// A grid that gets through is summed in the known modules' own order, as the plain search sums it.
private struct GridSearch {
    let profile: UnsafeBufferPointer<Float>
    private(set) var bestScore = -Float.infinity
    private(set) var bestGrid = GuardAligner.Grid(left: 0, centre: GuardAligner.halfModules, right: 95)
    /// The known modules in the order a grid is checked: bars, then the guards' and digits' spaces,
    /// then the quiet zones.
    private static let checkOrder = GuardAligner.knownSigns.indices.sorted { a, b in
        func rank(_ k: Int) -> Int {
            let module = GuardAligner.knownModules[k].module
            return GuardAligner.knownSigns[k] < 0 ? 0 : module < 0 || module >= 95 ? 2 : 1
        }
        return (rank(a), a) < (rank(b), b)
    }
    /// `remaining[n]`: the most the known modules from the n-th in `checkOrder` on can add within this
    /// stage's grids.
    private var remaining: [Float]
    /// One grid's terms, by known module.
    private var terms: [Float]
    /// Room for rounding in the partial sums and in `remaining`.
    private let slack: Float

    init(profile: UnsafeBufferPointer<Float>) {
        self.profile = profile
        let count = GuardAligner.knownModules.count
        remaining = [Float](repeating: .infinity, count: count + 1)
        remaining[count] = 0
        terms = [Float](repeating: 0, count: count)
        let largest = profile.reduce(Float(1)) { max($0, abs($1)) }
        slack = 4 * Float(count * count) * Float.ulpOfOne * largest
    }

    mutating func best() -> GuardAligner.Grid {
        typealias Grid = GuardAligner.Grid
        let r = GuardAligner.searchRadius
        let lefts = steps(around: 0, radius: r, step: 0.125), rights = steps(around: 95, radius: r, step: 0.125)
        bound(left: lefts.first!...lefts.last!, centre: (lefts.first! + rights.first!) / 2...(lefts.last! + rights.last!) / 2,
              right: rights.first!...rights.last!)
        // The quad's own grid is among the coarse ones: its score is a floor the best one reaches.
        let floor = score(Grid(left: 0, centre: GuardAligner.halfModules, right: 95), atLeast: -.infinity) ?? -.infinity
        for left in lefts {
            for right in rights {
                consider(Grid(left: left, centre: (left + right) / 2, right: right), atLeast: floor)
            }
        }
        let coarse = bestGrid
        let fineLefts = steps(around: coarse.left, radius: 0.125, step: 1.0 / 32)
        let fineRights = steps(around: coarse.right, radius: 0.125, step: 1.0 / 32)
        bound(left: fineLefts.first!...fineLefts.last!,
              centre: (fineLefts.first! + fineRights.first!) / 2...(fineLefts.last! + fineRights.last!) / 2,
              right: fineRights.first!...fineRights.last!)
        for left in fineLefts {
            for right in fineRights {
                consider(Grid(left: left, centre: (left + right) / 2, right: right))
            }
        }
        // Perspective can put the centre guard off the middle: refine it, then each edge again over the
        // whole search range (the compromise above may sit a module or two off on one side).
        for radius in [3.0, 0.5] {
            let current = bestGrid
            let centres = steps(around: current.centre, radius: 1.5, step: 1.0 / 32)
            bound(left: current.left...current.left, centre: centres.first!...centres.last!, right: current.right...current.right)
            for centre in centres {
                consider(Grid(left: current.left, centre: centre, right: current.right))
            }
            let withCentre = bestGrid
            let lefts = steps(around: withCentre.left, radius: radius, step: 1.0 / 32)
            bound(left: lefts.first!...lefts.last!, centre: withCentre.centre...withCentre.centre,
                  right: withCentre.right...withCentre.right)
            for left in lefts {
                consider(Grid(left: left, centre: withCentre.centre, right: withCentre.right))
            }
            let withLeft = bestGrid
            let rights = steps(around: withLeft.right, radius: radius, step: 1.0 / 32)
            bound(left: withLeft.left...withLeft.left, centre: withLeft.centre...withLeft.centre,
                  right: rights.first!...rights.last!)
            for right in rights {
                consider(Grid(left: withLeft.left, centre: withLeft.centre, right: right))
            }
        }
        return bestGrid
    }

    private func steps(around value: Double, radius: Double, step: Double) -> [Double] {
        stride(from: value - radius, through: value + radius + 1e-9, by: step).map { $0 }
    }

    /// Takes `grid` when it scores above the best so far. Grids scoring below `floor` are skipped unscored
    /// (the best one reaches it, so they cannot be it).
    @inline(__always)
    private mutating func consider(_ grid: GuardAligner.Grid, atLeast floor: Float = -.infinity) {
        guard let s = score(grid, atLeast: max(floor, bestScore)), s > bestScore else { return }
        (bestScore, bestGrid) = (s, grid)
    }

    /// The grid's score, or nil once it is sure to stay below `floor`.
    @inline(__always)
    mutating func score(_ grid: GuardAligner.Grid, atLeast floor: Float) -> Float? {
        let threshold = floor - slack
        let profile = self.profile
        return GuardAligner.knownCentres.withUnsafeBufferPointer { centres in
            GuardAligner.knownSigns.withUnsafeBufferPointer { signs in
                Self.checkOrder.withUnsafeBufferPointer { order in
                    remaining.withUnsafeBufferPointer { remaining in
                        terms.withUnsafeMutableBufferPointer { terms in
                            var partial: Float = 0
                            for n in 0..<order.count {
                                let k = order[n]
                                let column = ModuleStrip.column(ofModule: grid.position(ofModule: centres[k]))
                                terms[k] = signs[k] * LinearProfile.value(profile, at: column)
                                partial += terms[k]
                                if partial + remaining[n + 1] < threshold { return nil }
                            }
                            var total: Float = 0
                            for k in 0..<terms.count { total += terms[k] }
                            return total
                        }
                    }
                }
            }
        }
    }

    /// Sets `remaining` for a stage whose grids lie within these ranges: a known module's position is
    /// linear in the left edge, centre and right edge, so it stays between its values at the box's corners.
    private mutating func bound(left: ClosedRange<Double>, centre: ClosedRange<Double>, right: ClosedRange<Double>) {
        typealias Grid = GuardAligner.Grid
        var corners: [Grid] = []
        for l in [left.lowerBound, left.upperBound] {
            for c in [centre.lowerBound, centre.upperBound] {
                for r in [right.lowerBound, right.upperBound] { corners.append(Grid(left: l, centre: c, right: r)) }
            }
        }
        let last = profile.count - 1
        for n in stride(from: Self.checkOrder.count - 1, through: 0, by: -1) {
            let k = Self.checkOrder[n]
            let columns = corners.map { ModuleStrip.column(ofModule: $0.position(ofModule: GuardAligner.knownCentres[k])) }
            let low = min(last, max(0, Int(columns.min()!.rounded(.down)) - 1))
            let high = min(last, max(0, Int(columns.max()!.rounded(.down)) + 2))
            let sign = GuardAligner.knownSigns[k]
            var most = -Float.infinity
            for i in low...high { most = max(most, sign * profile[i]) }
            remaining[n] = remaining[n + 1] + most
        }
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
        profile.withUnsafeBufferPointer { value($0, at: position) }
    }

    @inline(__always)
    static func value(_ profile: UnsafeBufferPointer<Float>, at position: Double) -> Float {
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
