import Foundation

/// What a defocused camera makes of an EAN-13 symbol's profile across its bars: each module's box
/// spread by the line-spread function of a disc of `radius` modules (a semicircle: defocus is a disc,
/// not a Gaussian; on the real defocused books the disc fits closer and reads the codes a Gaussian
/// does not). The profile is linear in the modules, `y ≈ G · m` (y = 1 where ink is full, 0 on the
/// paper), so a code's squared error splits into a term per digit pattern and one per neighbouring
/// pair (the blur spans at most a digit's 7 modules at `radius` ≤ 4; the ones further apart are
/// dropped), which `EAN13Lattice` minimises exactly over valid codes.
///
/// The profile holds `samplesPerModule` samples of each module from `quietModules` before the start
/// guard to as many after the end guard.
struct BlurredSymbolModel: Sendable {
    static let quietModules = 8
    let radius: Double
    let samplesPerModule: Int
    /// Per module k: the first sample it reaches and its weights there (a column of G).
    private let columns: [(first: Int, weights: [Double])]
    /// Gᵀ G, 95 × 95, row-major.
    private let gram: [Double]
    /// Per position 1...12 and pattern: the pattern's modules' quadratic cost and cross term with the guards.
    private let patternQuadratic: [[Double]]
    /// Per position 2...12: twice the cross term of the neighbouring patterns.
    private let pairCross: [[Double]]
    /// Per position 1...12 and pattern: the symbol's modules (0...94) that are its bars.
    private let patternBars: [[[Int]]]
    /// The guards' own quadratic cost.
    private let guardQuadratic: Double

    var sampleCount: Int { (EAN13Symbology.moduleCount + 2 * Self.quietModules) * samplesPerModule }

    /// The guards' bars, the only modules every code shares.
    static let guardModules = [0, 2, 46, 48, 92, 94]

    init(radius: Double, samplesPerModule: Int = 4) {
        self.radius = radius
        self.samplesPerModule = samplesPerModule
        let modules = EAN13Symbology.moduleCount, quiet = Self.quietModules
        let sampleCount = (modules + 2 * quiet) * samplesPerModule
        columns = (0..<modules).map { k in
            // Sample j sits at module coordinate (j + ½) / samplesPerModule − quiet.
            let reach = radius + 1
            let first = max(0, Int(((Double(k) - reach + Double(quiet)) * Double(samplesPerModule)).rounded(.down)))
            let last = min(sampleCount - 1, Int(((Double(k) + reach + Double(quiet)) * Double(samplesPerModule)).rounded(.up)))
            let weights = (first...last).map { j -> Double in
                let s = (Double(j) + 0.5) / Double(samplesPerModule) - Double(quiet)
                return Self.discCDF((s - Double(k)) / radius) - Self.discCDF((s - Double(k) - 1) / radius)
            }
            return (first, weights)
        }
        var gram = [Double](repeating: 0, count: modules * modules)
        for a in 0..<modules {
            for b in a..<modules {
                let (ca, cb) = (columns[a], columns[b])
                let lo = max(ca.first, cb.first), hi = min(ca.first + ca.weights.count, cb.first + cb.weights.count)
                guard lo < hi else { continue }
                var dot = 0.0
                for j in lo..<hi { dot += ca.weights[j - ca.first] * cb.weights[j - cb.first] }
                gram[a * modules + b] = dot
                gram[b * modules + a] = dot
            }
        }
        self.gram = gram
        func cross(_ x: [Int], _ y: [Int]) -> Double { x.reduce(0) { sum, a in y.reduce(sum) { $0 + gram[a * modules + $1] } } }
        let guards = Self.guardModules
        guardQuadratic = cross(guards, guards)
        let bars = (1...12).map { position in
            (0..<EAN13Lattice.patternCount(at: position)).map { pattern in
                EAN13Lattice.modules(of: pattern, at: position).enumerated().compactMap { $1 ? EAN13Lattice.firstModule(of: position) + $0 : nil }
            }
        }
        patternBars = bars
        patternQuadratic = (1...12).map { position in bars[position - 1].map { cross($0, $0) + 2 * cross($0, guards) } }
        pairCross = (2...12).map { position in
            bars[position - 2].flatMap { p in bars[position - 1].map { q in 2 * cross(p, q) } }
        }
    }

    /// Per sample, the share of its blur that falls before module coordinate `edge` (0: the start
    /// guard's left edge), or after it when not `before`: a trimmed label's edge.
    func blurredShare(beyond edge: Double, before: Bool) -> [Double] {
        (0..<sampleCount).map { j in
            let s = (Double(j) + 0.5) / Double(samplesPerModule) - Double(Self.quietModules)
            let after = Self.discCDF((s - edge) / radius)
            return before ? 1 - after : after
        }
    }

    /// The share of a disc of radius 1's area left of the chord at z.
    private static func discCDF(_ z: Double) -> Double {
        if z <= -1 { return 0 }
        if z >= 1 { return 1 }
        return 0.5 + (z * (1 - z * z).squareRoot() + asin(z)) / Double.pi
    }

    /// Gᵀ y.
    func correlations(_ y: [Double]) -> [Double] {
        y.withUnsafeBufferPointer { y in
            columns.map { column in
                var dot = 0.0
                for (offset, weight) in column.weights.enumerated() { dot += weight * y[column.first + offset] }
                return dot
            }
        }
    }

    /// The lattice whose costs, plus `constant`, are ‖y − G m‖² for the code's modules m.
    func lattice(correlations c: [Double], yy: Double) -> (lattice: EAN13Lattice, constant: Double) {
        let guardTerm = Self.guardModules.reduce(0) { $0 + c[$1] }
        let unary = (1...12).map { position in
            patternBars[position - 1].enumerated().map { pattern, bars in
                patternQuadratic[position - 1][pattern] - 2 * bars.reduce(0.0) { $0 + c[$1] }
            }
        }
        return (EAN13Lattice(unary: unary, pairwise: pairCross), yy - 2 * guardTerm + guardQuadratic)
    }

    /// G m for `code`: the profile the model expects, 0 (paper) to 1 (full ink).
    func expectedProfile(of code: EAN13Code) -> [Double] { expectedProfile(of: EAN13Symbology.modules(for: code)) }

    /// G m for the 95 `modules` (true = bar).
    func expectedProfile(of modules: [Bool]) -> [Double] {
        var profile = [Double](repeating: 0, count: sampleCount)
        for (k, isBar) in modules.enumerated() where isBar { add(column: k, to: &profile) }
        return profile
    }

    /// G m for the symbol whose positions 1...12 show `patterns[1...12]` (`EAN13Lattice.cheapestChain`),
    /// its bars added in the symbol's order as `expectedProfile(of:)` adds them.
    func expectedProfile(ofPatterns patterns: [Int]) -> [Double] {
        var profile = [Double](repeating: 0, count: sampleCount)
        let guards = Self.guardModules
        for k in guards[0...1] { add(column: k, to: &profile) }
        for position in 1...6 { for k in patternBars[position - 1][patterns[position]] { add(column: k, to: &profile) } }
        for k in guards[2...3] { add(column: k, to: &profile) }
        for position in 7...12 { for k in patternBars[position - 1][patterns[position]] { add(column: k, to: &profile) } }
        for k in guards[4...5] { add(column: k, to: &profile) }
        return profile
    }

    private func add(column k: Int, to profile: inout [Double]) {
        let column = columns[k]
        column.weights.withUnsafeBufferPointer { weights in
            profile.withUnsafeMutableBufferPointer { profile in
                for offset in weights.indices { profile[column.first + offset] += weights[offset] }
            }
        }
    }
}
