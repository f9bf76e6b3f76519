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

    /// How thoroughly `align` searches each band's grid.
    enum Search {
        /// Every grid of the whole range (the search the models were trained with).
        case exhaustive
        /// About a fifth of the time, for a first look: the two edges searched over the whole range
        /// once, on all rows together; then the upper and the lower half of the rows each searched only
        /// within `anchorReach` of that (the centre and edges refined an eighth of a module apart before
        /// a thirty-second), every row's grid on the line through the two halves'. On the synthetic
        /// Test split, a first look read this way is as often sure (860 photos of 1 000) as one read
        /// with this search per band of 3 rows (863), which took 2.5 times as long.
        case quick
    }

    /// One grid per strip row.
    static func align(_ strip: ModuleStrip, search: Search = .exhaustive) -> [Grid] {
        let rows = ModuleStrip.rowCount, columns = ModuleStrip.columnCount
        let bandCount = rows / bandRows
        var centres: [Double] = [], profiles: [[Float]] = []
        var whole = [Float](repeating: 0, count: columns)
        for band in 0..<bandCount {
            var profile = [Float](repeating: 0, count: columns)
            for row in band * bandRows..<(band + 1) * bandRows {
                for c in 0..<columns { profile[c] += strip.values[row * columns + c] }
            }
            for c in 0..<columns { whole[c] += profile[c] }
            centres.append(Double(band * bandRows) + Double(bandRows - 1) / 2)
            profiles.append(LevelNormaliser(profile).apply(profile))
        }
        // Grids found for some rows (their centre row), every row's grid on lines through them.
        let found: (rows: [Double], grids: [Grid])
        switch search {
        case .exhaustive: found = (centres, profiles.map { bestGrid($0) })
        case .quick:
            let anchor = anchorGrid(LevelNormaliser(whole).apply(whole))
            let halves = [profiles[..<(bandCount / 2)], profiles[(bandCount / 2)...]].map { bands in
                var sum = [Float](repeating: 0, count: columns)
                for band in bands { for c in 0..<columns { sum[c] += band[c] } }
                return bestGrid(sum, near: anchor)
            }
            found = ([Double(rows) / 4 - 0.5, 3 * Double(rows) / 4 - 0.5], halves)
        }
        let leftLine = RobustLine.fit(x: found.rows, y: found.grids.map(\.left))
        let centreLine = RobustLine.fit(x: found.rows, y: found.grids.map(\.centre))
        let rightLine = RobustLine.fit(x: found.rows, y: found.grids.map(\.right))
        return (0..<rows).map { row in
            let y = Double(row)
            return Grid(left: leftLine.value(at: y), centre: centreLine.value(at: y), right: rightLine.value(at: y))
        }
    }

    /// The grid that best fits the known modules: a coarse search of the two edges with the centre
    /// halfway, a finer one around the best, then the centre and each edge refined on their own.
    static func bestGrid(_ profile: [Float]) -> Grid {
        searching(profile) { $0.best() }
    }

    /// `bestGrid`'s quick form: the coarse search only within `anchorReach` modules of `anchor`'s edges,
    /// the refinements coarse to fine.
    static func bestGrid(_ profile: [Float], near anchor: Grid) -> Grid {
        searching(profile) { $0.best(near: anchor) }
    }

    /// The coarse grid that best fits the whole strip: the two edges a quarter module apart over the
    /// whole range, then an eighth around the best.
    static func anchorGrid(_ profile: [Float]) -> Grid {
        searching(profile) { $0.anchor() }
    }

    private static func searching(_ profile: [Float], _ body: (inout GridSearch) -> Grid) -> Grid {
        profile.withUnsafeBufferPointer {
            var search = GridSearch(profile: $0)
            return body(&search)
        }
    }

    /// How far (modules) the quick search looks from the whole strip's edges in each half of the rows.
    static let anchorReach = 1.0

    /// Sum of the known modules' centre levels, spaces counted up and bars down.
    static func score(_ profile: [Float], grid: Grid) -> Float {
        profile.withUnsafeBufferPointer {
            GridSearch(profile: $0).score(grid, atLeast: -.infinity) ?? -.infinity
        }
    }

    static let knownCentres = knownModules.map { Double($0.module) + 0.5 }
    static let knownSigns = knownModules.map(\.sign)
}

/// `GuardAligner.bestGrid`'s search. It scores the same grids with the same arithmetic as a plain
/// search would and keeps the same one (a tie goes to the grid the plain search meets first); but it
/// takes each stage's grids block by block, the most promising first, reads a grid's known modules
/// bars first (a grid off the symbol puts most of them on light) and gives up on the grid once even the
/// brightest spaces and darkest bars left within reach could not lift it to the best score so far.
/// A grid that gets through is scored again exactly as the plain search scores it.
private struct GridSearch {
    typealias Grid = GuardAligner.Grid
    let profile: UnsafeBufferPointer<Float>
    private(set) var bestScore = -Float.infinity
    private(set) var bestGrid = Grid(left: 0, centre: GuardAligner.halfModules, right: 95)
    /// The known modules in the order a grid is checked: bars, then the guards' and digits' spaces,
    /// then the quiet zones.
    private static let checkOrder = GuardAligner.knownSigns.indices.sorted { a, b in
        func rank(_ k: Int) -> Int {
            let module = GuardAligner.knownModules[k].module
            return GuardAligner.knownSigns[k] < 0 ? 0 : module < 0 || module >= 95 ? 2 : 1
        }
        return (rank(a), a) < (rank(b), b)
    }
    /// `checkOrder`'s modules: which half of the symbol they lie in and how many modules into it.
    private static let checkSteps = checkOrder.map { k in
        let centre = GuardAligner.knownCentres[k], half = GuardAligner.halfModules
        return (leftHalf: centre <= half, modules: centre <= half ? centre : centre - half)
    }
    /// `remaining[n]`: the most the known modules from the n-th in `checkOrder` on can add within the
    /// current block's grids.
    private var remaining: [Float]
    /// Room for rounding in the partial sums and in `remaining`.
    private let slack: Float

    init(profile: UnsafeBufferPointer<Float>) {
        self.profile = profile
        let count = GuardAligner.knownModules.count
        remaining = [Float](repeating: .infinity, count: count + 1)
        remaining[count] = 0
        let largest = profile.reduce(Float(1)) { max($0, abs($1)) }
        slack = 4 * Float(count * count) * Float.ulpOfOne * largest
    }

    mutating func best() -> Grid {
        let r = GuardAligner.searchRadius
        let lefts = steps(around: 0, radius: r, step: 0.125), rights = steps(around: 95, radius: r, step: 0.125)
        // The quad's own grid is among the coarse ones: its score is a floor the best one reaches.
        let quadGrid = Grid(left: 0, centre: GuardAligner.halfModules, right: 95)
        searchEdges(lefts: lefts, rights: rights, floorGrid: quadGrid)
        refineAll(coarseFirst: false)
        return bestGrid
    }

    /// `GuardAligner.bestGrid(_:near:)`'s search.
    mutating func best(near anchor: Grid) -> Grid {
        let r = GuardAligner.searchRadius, reach = GuardAligner.anchorReach
        // The anchor's edges lie on the coarse search's eighth-module lattice, and so do these.
        func near(_ value: Double, _ middle: Double) -> [Double] {
            steps(around: value, radius: reach, step: 0.125).filter { abs($0 - middle) <= r + 1e-9 }
        }
        searchEdges(lefts: near(anchor.left, 0), rights: near(anchor.right, 95), floorGrid: anchor)
        refineAll(coarseFirst: true)
        return bestGrid
    }

    /// `GuardAligner.anchorGrid`'s search.
    mutating func anchor() -> Grid {
        let r = GuardAligner.searchRadius
        let lefts = steps(around: 0, radius: r, step: 0.25), rights = steps(around: 95, radius: r, step: 0.25)
        search(Self.edgePairs(lefts, rights),
               block: { ($0 / rights.count / 4) * rights.count + $0 % rights.count / 4 })
        let coarse = bestGrid
        let nearLefts = steps(around: coarse.left, radius: 0.25, step: 0.125)
        let nearRights = steps(around: coarse.right, radius: 0.25, step: 0.125)
        search(Self.edgePairs(nearLefts, nearRights),
               block: { _ in 0 })
        return bestGrid
    }

    /// The coarse search over every pair of `lefts` × `rights` (centre halfway), then a finer one
    /// around the best. `floorGrid`, one of those pairs, gives a floor the best one reaches.
    private mutating func searchEdges(lefts: [Double], rights: [Double], floorGrid: Grid) {
        bound([floorGrid], [0])
        let floor = score(floorGrid, atLeast: -.infinity) ?? -.infinity
        // Blocks of a module by a module: within one, every known module's position varies by about a module.
        search(Self.edgePairs(lefts, rights),
               block: { ($0 / rights.count / 8) * rights.count + $0 % rights.count / 8 }, floor: floor)
        let coarse = bestGrid
        let fineLefts = steps(around: coarse.left, radius: 0.125, step: 1.0 / 32)
        let fineRights = steps(around: coarse.right, radius: 0.125, step: 1.0 / 32)
        search(Self.edgePairs(fineLefts, fineRights),
               block: { _ in 0 })
    }

    /// Perspective can put the centre guard off the middle: refine it, then each edge again over the
    /// whole search range (the compromise of `searchEdges` may sit a module or two off on one side).
    private mutating func refineAll(coarseFirst: Bool) {
        for radius in [3.0, 0.5] {
            refine(radius: 1.5, coarseFirst: coarseFirst, value: \.centre) { Grid(left: $0.left, centre: $1, right: $0.right) }
            refine(radius: radius, coarseFirst: coarseFirst, value: \.left) { Grid(left: $1, centre: $0.centre, right: $0.right) }
            refine(radius: radius, coarseFirst: coarseFirst, value: \.right) { Grid(left: $0.left, centre: $0.centre, right: $1) }
        }
    }

    /// Moves one of the best grid's three points (`value`, set by `moved`) within `radius` modules, a
    /// thirty-second of a module apart; `coarseFirst`: an eighth apart, then a thirty-second around
    /// the best (a score's peak is about half a module wide).
    private mutating func refine(radius: Double, coarseFirst: Bool, value: KeyPath<Grid, Double>,
                                 _ moved: (Grid, Double) -> Grid) {
        let start = bestGrid
        guard coarseFirst else {
            search(steps(around: start[keyPath: value], radius: radius, step: 1.0 / 32).map { moved(start, $0) },
                   block: { $0 / 32 })
            return
        }
        search(steps(around: start[keyPath: value], radius: radius, step: 0.125).map { moved(start, $0) },
               block: { $0 / 8 })
        let coarse = bestGrid
        search(steps(around: coarse[keyPath: value], radius: 3.0 / 32, step: 1.0 / 32).map { moved(coarse, $0) },
               block: { _ in 0 })
    }

    /// Every pair of a left and a right edge, the centre halfway, lefts outermost (the plain search's order).
    private static func edgePairs(_ lefts: [Double], _ rights: [Double]) -> [Grid] {
        lefts.flatMap { left in rights.map { Grid(left: left, centre: (left + $0) / 2, right: $0) } }
    }

    private func steps(around value: Double, radius: Double, step: Double) -> [Double] {
        stride(from: value - radius, through: value + radius + 1e-9, by: step).map { $0 }
    }

    /// Keeps the best of `grids` (listed in the plain search's order) when it beats the best so far. The
    /// grids are scored block by block, the block whose bound is highest first; a tie goes to the grid
    /// listed first, as in the plain search. Grids scoring below `floor` are skipped unscored (the best
    /// one reaches it, so they cannot be it).
    private mutating func search(_ grids: [Grid], block: (Int) -> Int, floor: Float = -.infinity) {
        var blocks: [[Int]] = []
        for index in grids.indices {
            let key = block(index)
            if key >= blocks.count { blocks += Array(repeating: [], count: key + 1 - blocks.count) }
            blocks[key].append(index)
        }
        let bounded = blocks.filter { !$0.isEmpty }.map { members -> (members: [Int], remaining: [Float]) in
            bound(grids, members)
            return (members, remaining)
        }.sorted { $0.remaining[0] > $1.remaining[0] }
        var bestIndex = -1  // the best so far comes from an earlier stage, which wins ties
        for (members, remaining) in bounded {
            guard remaining[0] >= max(floor, bestScore) - slack else { continue }
            self.remaining = remaining
            for index in members {
                guard let s = score(grids[index], atLeast: max(floor, bestScore)),
                      s > bestScore || (s == bestScore && index < bestIndex) else { continue }
                (bestScore, bestGrid, bestIndex) = (s, grids[index], index)
            }
        }
    }

    /// The grid's score, or nil once it is sure to stay below `floor`.
    @inline(__always)
    func score(_ grid: Grid, atLeast floor: Float) -> Float? {
        let threshold = floor - slack
        let profile = self.profile
        let leftHalf = (grid.centre - grid.left) / GuardAligner.halfModules  // module width in each half
        let rightHalf = (grid.right - grid.centre) / GuardAligner.halfModules
        let scale = Double(ModuleStrip.samplesPerModule)
        let offset = Double(ModuleStrip.marginModules) * scale - 0.5
        return Self.checkOrder.withUnsafeBufferPointer { order in
            Self.checkSteps.withUnsafeBufferPointer { checkSteps in
                GuardAligner.knownSigns.withUnsafeBufferPointer { signs in
                    remaining.withUnsafeBufferPointer { remaining in
                        // The check places modules without the plain search's division per module; its sums
                        // differ from the score by far less than `slack`.
                        var partial: Float = 0
                        for start in stride(from: 0, to: order.count, by: 4) {
                            let end = min(start + 4, order.count)
                            for n in start..<end {
                                let k = order[n], step = checkSteps[n]
                                let position = step.leftHalf ? grid.left + step.modules * leftHalf
                                    : grid.centre + step.modules * rightHalf
                                partial += signs[k] * LinearProfile.value(profile, at: position * scale + offset)
                            }
                            // Checked every four modules: four independent terms keep the processor busier
                            // than a test after each.
                            if partial + remaining[end] < threshold { return nil }
                        }
                        return GuardAligner.knownCentres.withUnsafeBufferPointer { centres in
                            var total: Float = 0
                            for k in 0..<centres.count {
                                let column = ModuleStrip.column(ofModule: grid.position(ofModule: centres[k]))
                                total += signs[k] * LinearProfile.value(profile, at: column)
                            }
                            return total
                        }
                    }
                }
            }
        }
    }

    /// `checkOrder`'s signs.
    private static let checkSigns = checkOrder.map { GuardAligner.knownSigns[$0] }

    /// How a known module's position depends on a grid's left edge, centre and right edge, in
    /// `checkOrder`: `Grid.position` written out as one weighted sum.
    private static let weights = checkOrder.map { k -> (left: Double, centre: Double, right: Double) in
        let centre = GuardAligner.knownCentres[k], half = GuardAligner.halfModules
        if centre <= half { return (1 - centre / half, centre / half, 0) }
        let share = (centre - half) / half
        return (0, 1 - share, share)
    }

    /// Sets `remaining` for a block of grids: a known module's position is linear in the left edge, centre
    /// and right edge, so it stays between its least and greatest over the box the grids span (a
    /// column either side covers the rounding).
    private mutating func bound(_ grids: [Grid], _ members: [Int]) {
        var low = grids[members[0]], high = low
        for index in members {
            let grid = grids[index]
            (low.left, high.left) = (min(low.left, grid.left), max(high.left, grid.left))
            (low.centre, high.centre) = (min(low.centre, grid.centre), max(high.centre, grid.centre))
            (low.right, high.right) = (min(low.right, grid.right), max(high.right, grid.right))
        }
        let (profile, last) = (profile, profile.count - 1)
        let scale = Double(ModuleStrip.samplesPerModule), offset = Double(ModuleStrip.marginModules) * scale - 0.5
        Self.weights.withUnsafeBufferPointer { weights in
            Self.checkSigns.withUnsafeBufferPointer { signs in
                remaining.withUnsafeMutableBufferPointer { remaining in
                    for n in stride(from: weights.count - 1, through: 0, by: -1) {
                        let w = weights[n]
                        func extreme(least: Bool) -> Double {
                            func part(_ weight: Double, _ lowValue: Double, _ highValue: Double) -> Double {
                                weight * ((weight >= 0) == least ? lowValue : highValue)
                            }
                            return (part(w.left, low.left, high.left) + part(w.centre, low.centre, high.centre)
                                + part(w.right, low.right, high.right)) * scale + offset
                        }
                        let first = extreme(least: true), final = extreme(least: false)
                        let lowColumn = min(last, max(0, Int(first.rounded(.down)) &- 1))
                        let highColumn = min(last, max(0, Int(final.rounded(.down)) &+ 2))
                        let sign = signs[n]
                        var most = -Float.infinity
                        var i = lowColumn
                        while i <= highColumn { most = max(most, sign * profile[i]); i &+= 1 }
                        remaining[n] = remaining[n &+ 1] + most
                    }
                }
            }
        }
    }
}

/// Maps a profile's grey levels so that its dark level (5th percentile) becomes 0 and its light
/// level (95th percentile) 1, whatever the exposure and contrast.
struct LevelNormaliser {
    let black: Float
    let white: Float

    init(_ values: [Float]) {
        let count = values.count
        let (dark, light) = (count * 5 / 100, min(count - 1, count * 95 / 100))
        // The two ranks of `values.sorted()`, by selection: a strip's features take a dozen of these.
        var scratch = values
        scratch.withUnsafeMutableBufferPointer { buffer in
            Self.select(rank: dark, in: buffer, from: 0)
            // Everything from `dark` on is at least the dark level, and holds the ranks above it.
            Self.select(rank: light, in: buffer, from: dark)
        }
        black = scratch[dark]
        white = scratch[light]
    }

    /// Reorders `buffer[start...]` so that `buffer[rank]` holds the value `sorted()[rank]` would,
    /// nothing after it is smaller and nothing before it larger (quickselect, Hoare's partition
    /// around the median of three).
    private static func select(rank: Int, in buffer: UnsafeMutableBufferPointer<Float>, from start: Int) {
        var (low, high) = (start, buffer.count - 1)
        while low < high {
            let (a, b, c) = (buffer[low], buffer[low + (high - low) / 2], buffer[high])
            let pivot = max(min(a, b), min(max(a, b), c))
            var (i, j) = (low, high)
            while i <= j {
                while buffer[i] < pivot { i += 1 }
                while buffer[j] > pivot { j -= 1 }
                if i <= j {
                    buffer.swapAt(i, j)
                    i += 1
                    j -= 1
                }
            }
            // Now low...j holds nothing above the pivot, i...high nothing below it, and between them the pivot.
            if rank <= j { high = j } else if rank >= i { low = i } else { return }
        }
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
