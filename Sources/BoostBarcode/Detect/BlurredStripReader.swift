import Foundation

/// Reads a symbol whose bars defocus has merged, which no edge-based decoder separates again (and the
/// boosters, trained on strips whose bars are there, do not read): the grey profile across the
/// candidate is fitted by the profile a code would give through a disc blur (`BlurredSymbolModel`),
/// searching where the symbol starts and ends (a blurred candidate's ends are off by several modules),
/// the blur's radius, the paper and ink levels (each a linear ramp: vignetting), and the code, in both
/// reading directions. The fit's posterior over codes, shared among the geometries that fit about as
/// well, is the reading's confidence.
public struct BlurredStripReader: Sendable {
    /// Radii of the coarse search, in modules; the refinement tries half a step either side.
    public let radii: [Double]
    /// Where the start guard may be, in modules from the candidate's left end, and the module width
    /// as a share of the candidate's width / 95 (the coarse search takes every other start first).
    public var starts = stride(from: -12.0, through: 12.0, by: 0.5).map { $0 }
    public var widths = stride(from: 0.8, through: 1.25, by: 0.025).map { $0 }
    /// The starts and widths of a known quad's reading (`PhotoReader.read(_:knownQuad:)`): its ends are
    /// the symbol's, give or take a module or two, where a localizer's candidate of a blurred symbol may
    /// be off by many. Searched as widely as a candidate, geometries far off the quad (ends 3 to 11
    /// modules away, modules a fifth narrower) fitted wrong codes better than the true code fitted the
    /// quad's own. Through the exact quads of 3 000 other synthetic photos (seed 777: neither the Test
    /// split nor the unseen set) 2 742 right, 21 wrong → 2 756, 22; the Test split 907, 3 → 917, 4
    /// (docs/RESULTS.md, 2026-12-07).
    public static let knownQuadStarts = stride(from: -2.0, through: 2.0, by: 0.5).map { $0 }
    public static let knownQuadWidths = stride(from: 0.9625, through: 1.0375, by: 0.0125).map { $0 }
    /// Coarse geometries refined, and refined geometries decoded in full, per direction.
    public var refinedCount = 6, decodedCount = 3

    static let fineSamplesPerModule = 8, margin = 0.3
    /// Samples of a profile (`profile`), and those of it before the candidate's left end.
    static let profileLength = Int((1 + 2 * margin) * 95 * Double(fineSamplesPerModule))
    static let samplesBeforeCandidate = Int(margin * 95 * Double(fineSamplesPerModule))
    private let models: [Double: BlurredSymbolModel]

    public init(radii: [Double] = [1, 1.75, 2.5, 3.25, 4]) {
        self.radii = radii
        var models: [Double: BlurredSymbolModel] = [:]
        for radius in radii { for r in [radius - 0.375, radius, radius + 0.375] { models[r] = BlurredSymbolModel(radius: r) } }
        self.models = models
    }

    public struct Reading: Sendable {
        public var code: EAN13Code
        public var confidence: Double
        /// The symbol's bars as fitted, in the reading's direction.
        public var quad: Quad
        /// The best fit is of a label trimmed near its guards (`labelEdges`).
        public var trimmed = false
        /// The reading is the uneven levels' (`unevenLevelsBelow`).
        public var unevenLevels = false
    }

    /// A geometry of the symbol along the profile: the start guard `start` modules (of the candidate's
    /// width / 95) from the candidate's start, modules `width` of those on average, blurred by
    /// `radius`; the modules widen steadily from 1 − taper/2 times that at the start guard to
    /// 1 + taper/2 at the end guard (perspective the candidate's quad did not show); on a label round
    /// a can or a bottle they narrow towards both ends as the surface turns away (`bulge`: module m,
    /// u = (m − 47.5) / 47.5 from the middle, moves by 47.5 · bulge · (u − u³) modules, the guards'
    /// ends staying put; ends against middle (1 − 2 bulge) / (1 + bulge), 0.4 at 0.25, a label seen
    /// about 65° round either side).
    /// A label trimmed near its guards shows what lies beyond its edge `paperBefore` modules before
    /// the start guard and `paperAfter` after the end guard (infinite: paper all through the model's
    /// quiet zone), blurred in as a level of its own on either side.
    private struct Geometry {
        var start: Double, width: Double, radius: Double, taper = 0.0, bulge = 0.0
        var paperBefore = Double.infinity, paperAfter = Double.infinity
        var isTrimmed: Bool { paperBefore.isFinite || paperAfter.isFinite }

        /// Where module `m` of the symbol (0: the start guard's left edge) lies, in the candidate's modules.
        func position(ofModule m: Double) -> Double {
            let u = (m - 47.5) / 47.5
            return start + width * (m + taper * m * (m - 95) / 190 + 47.5 * bulge * (u - u * u * u))
        }
    }
    /// The tapers tried on each refined geometry.
    public var tapers = stride(from: -0.28, through: 0.2801, by: 0.04).filter { abs($0) > 0.01 }
    /// The bulges tried on each refined geometry, each with every taper. Through the synthetic Test
    /// split's exact quads of the 148 photos behind a lens disc, 80 → 83 read right at 0.9998 or more
    /// (the three on bent labels), none wrong at 0.999 or more (docs/RESULTS.md, 2026-12-06).
    public var bulges = [0.05, 0.1, 0.15, 0.2, 0.25]
    /// The label edges tried on each refined geometry of a reading less sure than `trimsBelow`, in
    /// modules of paper beyond each guard (every pair; infinite: none), the ground beyond each edge a
    /// level of its own; none by default (`trimmedLabelEdges`: `PhotoReader.read(_:knownQuad:)`'s).
    public var labelEdges: [Double] = []
    /// The label edges a known quad's reading tries (`PhotoReader.read(_:knownQuad:)`). The model's own
    /// quiet zone is `BlurredSymbolModel.quietModules` of paper; the synthetic generator
    /// trims a label down to under a module beside one guard, and a phone's photo of a small label shows
    /// the package round it. Two more free levels fit wrong codes better too: tried on every reading,
    /// through the synthetic Test split's exact quads the answers went 894 right, 3 wrong → 899, 5, and
    /// right readings lost share to better-fitting wrong codes (4 fell below the cut), hence only below
    /// `trimsBelow`, and `PhotoReader.trimmedConfidence`. Around the localizer's candidates too they
    /// answered 6 more of the Test split but 2 more wrong, one at 1.0 (an end put inside the symbol: the
    /// blurred bars beyond it fit as ground), so only a known quad's reading tries them (docs/DETECT.md).
    public static let trimmedLabelEdges = [0.5, 1, 1.5, 2, 3, 4.5, Double.infinity]
    /// The confidence from which a defocus reading is answered alone (`PhotoReader.blurredConfidence`);
    /// the trims and the uneven levels refit only the readings short of it.
    public static let answeredAloneFrom = 0.9999
    /// See `labelEdges`: below the cut of a defocus reading alone.
    public var trimsBelow = answeredAloneFrom
    /// A reading less sure than this is fitted once more from the same geometries with uneven levels:
    /// paper and ink depth each a cubic along the profile instead of a ramp, for a glare's soft
    /// highlight or a shadow that lifts the paper and thins the bars' contrast in one part of the
    /// symbol. It replaces the reading only when it reads the same code more surely, and its
    /// confidence has a cut of its own (`PhotoReader.unevenLevelsConfidence`): four more free levels
    /// fit wrong codes better too. None by default (0); a known quad's reading fits them below
    /// `answeredAloneFrom` (`PhotoReader.read(_:knownQuad:)`). Around the localizer's candidates they
    /// lifted three wrong codes of the synthetic Test split to 1.0 (docs/DETECT.md, "Uneven levels").
    public var unevenLevelsBelow = 0.0

    /// This reader as a known quad's reading uses it (`PhotoReader.read(_:knownQuad:)`).
    public var throughKnownQuad: BlurredStripReader {
        var reader = self
        // Its ends are the label's own: a label trimmed near its guards is told from an end put wrong.
        reader.labelEdges = Self.trimmedLabelEdges
        // Uneven levels too, below the cut of a defocus reading alone: through known quads they added no
        // wrong answer, around the localizer's candidates three.
        reader.unevenLevelsBelow = Self.answeredAloneFrom
        // Its ends are near the symbol's: a few modules searched round them.
        (reader.starts, reader.widths) = (Self.knownQuadStarts, Self.knownQuadWidths)
        return reader
    }

    private struct Fit {
        var geometry: Geometry
        var residual: Double
        var code: EAN13Code?
        var posterior = 0.0
        var reversed = false
        /// Index of the frame whose profile was fitted.
        var frame = 0
    }

    /// The best reading of the symbol around `quad`; nil when the candidate is off the photo.
    /// The profile is taken in two frames, through the quad's perspective and evenly between its ends'
    /// middles (`BarFrame`), and the frame that the symbol fits best is read: a quad whose ends have
    /// unequal heights because the localizer stopped at the digits is no perspective, but a tilted
    /// label's is. A reading less sure than `halvesBelow` is read again with the profiles of the
    /// candidate's upper and lower halves beside the middle rows' (`rowHalves`), and one still less
    /// sure than `trimsBelow` with the middle rows fitted as a label trimmed near its guards (`labelEdges`),
    /// and one less sure than `unevenLevelsBelow` once more with its levels uneven.
    public func read(_ plane: GreyPlane, around quad: Quad) -> Reading? {
        guard let toPhoto = Homography.fromUnitSquare(to: quad) else { return nil }
        let frames = [ProfileFrame.perspective(toPhoto)] + (BarFrame(plane, around: quad, through: toPhoto).map { [.even($0)] } ?? [])
        let middle = searched(plane, frames, rows: [Self.middleRows])
        // The searches whose every fit counts, and those of a trimmed label whose trimmed fits count.
        var (searches, trims) = (middle, [Search]())
        var fits = middle.flatMap { fitted($0) }
        var read = reading(of: fits, in: frames)
        if (read?.confidence ?? 0) < halvesBelow {
            let halves = searched(plane, frames, rows: Self.rowHalves, seededBy: middle)
            searches += halves
            fits += halves.flatMap { fitted($0) }
            read = reading(of: fits, in: frames)
        }
        if (read?.confidence ?? 0) < trimsBelow, !labelEdges.isEmpty {
            // The middle rows' refined geometries again, each with the label's edges; only the trimmed
            // fits join: an untrimmed one is already among the fits.
            trims = middle.map(trimmed)
            fits += trims.flatMap { fitted($0) }.filter(\.geometry.isTrimmed)
            read = reading(of: fits, in: frames)
        }
        // The same geometries once more, their levels uneven: surer of the same code, or not taken.
        if let even = read, even.confidence < unevenLevelsBelow,
           var uneven = reading(of: searches.flatMap { fitted($0, unevenLevels: true) }
                                    + trims.flatMap { fitted($0, unevenLevels: true) }.filter(\.geometry.isTrimmed), in: frames),
           uneven.code == even.code, uneven.confidence > even.confidence {
            uneven.unevenLevels = true
            read = uneven
        }
        return read
    }

    /// Rows across the candidate (0: its top, 1: its bottom) whose mean is the profile.
    static let middleRows = stride(from: 0.2, through: 0.8, by: 0.1).map { $0 }
    /// The candidate's upper and lower halves, each read as a profile of its own beside the middle rows
    /// when those do not read surely: a glare band or a shadow's edge crossing part of the bars spoils
    /// the mean of all the rows, and the half it leaves clear fits better. Through the synthetic Test
    /// split's exact quads of the 148 photos behind a lens disc (a probe that always read the halves),
    /// 76 → 80 read right at 0.9998 or more, the wrong readings at 0.99 or more 1 → 1. A half is the
    /// same symbol in the same frame: its search refines the geometries the middle rows' search refined
    /// (same frame, same direction) instead of searching the coarse grid again, which cost two thirds
    /// of the halves' time (docs/RESULTS.md, 2026-12-07).
    static let rowHalves = [[0.15, 0.25, 0.35, 0.45], [0.55, 0.65, 0.75, 0.85]]
    /// See `rowHalves`. At 0.9999 (`PhotoReader.blurredConfidence`, the cut of an answer alone) the
    /// halves lifted a wrong reading of the Test split past that cut (`000626`, 0.99988 → 0.99993).
    public var halvesBelow = 0.9998

    /// One direction of one profile searched: its refined geometries (one per seed of the coarse search,
    /// tapers and bulges tried) with their chains' costs, in the seeds' order.
    private struct Search {
        var fine: [Double]
        /// The levels the search started from (the profile's percentiles).
        var start: Levels
        var refined: [(Geometry, Double)]
        var reversed: Bool, frame: Int
    }

    /// The searches of the profiles along `rows` in each of `frames`, both ways round; refined from the
    /// geometries `seeds` refined for the same frame and direction, when given, instead of a coarse search
    /// of their own.
    private func searched(_ plane: GreyPlane, _ frames: [ProfileFrame], rows rowSets: [[Double]], seededBy seeds: [Search] = []) -> [Search] {
        var searches: [Search] = []
        for (index, frame) in frames.enumerated() {
            for rows in rowSets {
                let forward = profile(plane, frame, rows: rows)
                for (reversed, samples) in [(false, forward), (true, forward.reversed())] {
                    let seeded = seeds.first { $0.frame == index && $0.reversed == reversed }
                    searches.append(searched(samples, reversed: reversed, frame: index,
                                             seeds: seeded.map { $0.refined.map { seed($0.0) } }))
                }
            }
        }
        return searches
    }

    /// A refined geometry as a coarse search's seed: untapered, unbulged, its radius one of `radii`.
    private func seed(_ refined: Geometry) -> Geometry {
        let radius = radii.min { abs($0 - refined.radius) < abs($1 - refined.radius) }!
        return Geometry(start: refined.start, width: refined.width, radius: radius)
    }

    /// The best of `fits`, its confidence shared with the fits about as good that read another code.
    private func reading(of fits: [Fit], in frames: [ProfileFrame]) -> Reading? {
        guard let best = fits.min(by: { $0.residual < $1.residual }), let code = best.code else { return nil }
        // Geometries (and frames) that fit about as well but read another code take their share from the best.
        let variance = best.residual / Double(EAN13Symbology.moduleCount + 2 * BlurredSymbolModel.quietModules)
        let weights = fits.map { exp(-($0.residual - best.residual) / (2 * variance)) }
        let share = zip(fits, weights).filter { $0.0.code == code }.reduce(0) { $0 + $1.1 } / weights.reduce(0, +)
        let (t0, t1) = (best.geometry.start / 95, best.geometry.position(ofModule: 95) / 95)
        let (a, b) = best.reversed ? (1 - t0, 1 - t1) : (t0, t1)
        let corners = [Point(x: a, y: best.reversed ? 1 : 0), Point(x: b, y: best.reversed ? 1 : 0),
                       Point(x: b, y: best.reversed ? 0 : 1), Point(x: a, y: best.reversed ? 0 : 1)]
            .map { frames[best.frame].point(t: $0.x, v: $0.y) }
        // Rounding in the posterior's sums can lift the product a hair above 1.
        return Reading(code: code, confidence: min(best.posterior * share, 1),
                       quad: Quad(topLeft: corners[0], topRight: corners[1], bottomRight: corners[2], bottomLeft: corners[3]),
                       trimmed: best.geometry.isTrimmed)
    }

    /// The mean grey of the candidate's `rows`, from `margin` of its width before it to as much after,
    /// each row shifted along the profile to line up with the others (`rowShifts`).
    private func profile(_ plane: GreyPlane, _ frame: ProfileFrame, rows: [Double]) -> [Double] {
        let count = Self.profileLength
        func row(_ v: Double, shift: Double) -> [Double] {
            (0..<count).map { i in
                let p = frame.point(t: -Self.margin + (Double(i) + 0.5 + shift) / (95 * Double(Self.fineSamplesPerModule)), v: v)
                return Double(plane.sample(x: p.x, y: p.y))
            }
        }
        var shifts = [Double](repeating: 0, count: rows.count)
        for _ in 0..<Self.alignmentPasses {
            shifts = Self.rowShifts(rows.indices.map { row(rows[$0], shift: shifts[$0]) }, at: rows, shiftedBy: shifts)
        }
        let aligned = rows.indices.map { row(rows[$0], shift: shifts[$0]) }
        return (0..<count).map { i in aligned.reduce(0.0) { $0 + $1[i] } / Double(rows.count) }
    }

    /// The rows are lined up twice (`rowShifts`): the second pass measures against a mean already sharpened.
    static let alignmentPasses = 2
    /// How far a row's shift is looked for, in samples of the profile (8 a module): two modules.
    static let largestRowShift = 16

    /// The shift (in samples, along the profile) of each of the rows at `rows` (v, down the bars) that
    /// lines them up, given their `profiles` as sampled already `shiftedBy` so much: each row's offset
    /// from the mean by cross-correlation over the symbol's part (to a fraction of a sample), then a
    /// line through the offsets against v, so that the shifts turn the rows' direction, as a bar
    /// direction a few degrees off needs. A frame's direction is an estimate: the quad's sides as the
    /// localizer put them, or the gradients of a noisy, blurred candidate (off by 10° on one synthetic
    /// Test photo); rows that do not follow the bars smear the blurred profile the fit reads, and a wrong
    /// code fits it better than the right one.
    static func rowShifts(_ profiles: [[Double]], at rows: [Double], shiftedBy shifts: [Double]) -> [Double] {
        guard rows.count >= 3, let count = profiles.first?.count else { return shifts }
        let mean = (0..<count).map { i in profiles.reduce(0.0) { $0 + $1[i] } / Double(profiles.count) }
        let meanLevel = mean.reduce(0, +) / Double(count)
        // The candidate and five modules either side: the quiet zone's far parts are flat, or other print.
        let reach = largestRowShift
        let (before, beyond) = (samplesBeforeCandidate, 5 * fineSamplesPerModule)
        let inside = max(reach, before - beyond)..<min(count - reach, count - before + beyond)
        guard !inside.isEmpty else { return shifts }
        let offsets = profiles.indices.map { k -> Double in
            let level = profiles[k].reduce(0, +) / Double(count)
            let correlations = (-reach...reach).map { d in
                inside.reduce(0.0) { $0 + (profiles[k][$1 + d] - level) * (mean[$1] - meanLevel) }
            }
            let best = correlations.indices.max { correlations[$0] < correlations[$1] }!
            var offset = Double(best - reach)
            if best > 0, best < correlations.count - 1 {
                offset += peakOffset(correlations[best - 1], correlations[best], correlations[best + 1])
            }
            return shifts[k] + offset
        }
        let centre = rows.reduce(0, +) / Double(rows.count)
        let spread = rows.reduce(0.0) { $0 + ($1 - centre) * ($1 - centre) }
        let slope = zip(rows, offsets).reduce(0.0) { $0 + ($1.0 - centre) * $1.1 } / spread
        // The mean is made of the rows: only their turn is measured, not where they all lie.
        return rows.map { slope * ($0 - centre) }
    }

    /// The profile `fine` resampled where `model` expects its samples under `geometry`.
    private func resampled(_ fine: [Double], _ geometry: Geometry, _ model: BlurredSymbolModel) -> [Double] {
        let perModule = Double(model.samplesPerModule), quiet = Double(BlurredSymbolModel.quietModules)
        let scale = Double(Self.fineSamplesPerModule), origin = Self.margin * 95
        return (0..<model.sampleCount).map { j in
            let u = geometry.position(ofModule: (Double(j) + 0.5) / perModule - quiet)
            let f = min(max((u + origin) * scale - 0.5, 0), Double(fine.count - 1))
            let i = min(Int(f), fine.count - 2), w = f - Double(i)
            return fine[i] * (1 - w) + fine[i + 1] * w
        }
    }

    /// Paper level a and ink contrast b, each a ramp along the profile, plus, per sample (empty when
    /// nothing does), what lies beyond a trimmed label's edges and uneven levels' higher terms
    /// (`beyond` to the paper, `inkBeyond` to the ink): `grey ≈ a + beyond − (b + inkBeyond) · y`.
    private struct Levels {
        var paper: (Double, Double), ink: (Double, Double)
        var beyond: [Double] = []
        var inkBeyond: [Double] = []
        func ink(_ grey: [Double]) -> [Double] {
            let n = Double(grey.count)
            return grey.indices.map { j in
                let t = Double(j) / n - 0.5
                return (paper.0 + paper.1 * t + (beyond.isEmpty ? 0 : beyond[j]) - grey[j])
                    / max(ink.0 + ink.1 * t + (inkBeyond.isEmpty ? 0 : inkBeyond[j]), 1)
            }
        }
    }

    /// Per label edge of `geometry` short of the model's quiet zone, the share of each sample's blur
    /// that reaches beyond it.
    private func beyondPaper(_ geometry: Geometry, _ model: BlurredSymbolModel) -> [[Double]] {
        let quiet = Double(BlurredSymbolModel.quietModules)
        return [(geometry.paperBefore, true), (geometry.paperAfter, false)].compactMap { paper, before in
            paper < quiet ? model.blurredShare(beyond: before ? -paper : 95 + paper, before: before) : nil
        }
    }

    /// The cost of the best chain of patterns `geometry` reads in `fine`, its levels refitted from `start`.
    private func chainCost(_ geometry: Geometry, _ fine: [Double], _ start: Levels) -> Double {
        let model = models[geometry.radius]!
        return chainFit(resampled(fine, geometry, model), model, start, beyond: beyondPaper(geometry, model))?.1 ?? .infinity
    }

    /// `geometry` with its chain's cost in place of `best` when it costs less.
    private func keepIfBetter(_ geometry: Geometry, as best: inout (Geometry, Double), _ fine: [Double], _ start: Levels) {
        let cost = chainCost(geometry, fine, start)
        if cost < best.1 { best = (geometry, cost) }
    }

    /// The coarse search of one direction's profile (unless `seeds` are given) and the refinement of its
    /// best geometries.
    private func searched(_ fine: [Double], reversed: Bool, frame: Int, seeds given: [Geometry]? = nil) -> Search {
        let inside = fine[Self.samplesBeforeCandidate..<Self.profileLength - Self.samplesBeforeCandidate].sorted()
        let paper = inside[inside.count * 95 / 100], darkest = inside[inside.count * 5 / 100]
        // Blur keeps the darkest samples short of full ink.
        let start = Levels(paper: (paper, 0), ink: ((paper - darkest) / 0.8, 0))
        let seeds = given ?? coarseSeeds(fine, start)
        var refined: [(Geometry, Double)] = []
        for seed in seeds {
            var local: [(Geometry, Double)] = []
            for r in [seed.radius - 0.375, seed.radius, seed.radius + 0.375] {
                for dw in stride(from: -0.0125, through: 0.0125, by: 0.00625) {
                    for ds in stride(from: -0.5, through: 0.5, by: 0.125) {
                        let g = Geometry(start: seed.start + ds, width: seed.width + dw, radius: r)
                        local.append((g, chainCost(g, fine, start)))
                    }
                }
            }
            var best = local.min { $0.1 < $1.1 }!
            // Perspective the quad missed: the best geometry tapered, its start and width nudged.
            let untapered = best.0
            for taper in tapers {
                for dw in [-0.00625, 0, 0.00625] {
                    for ds in [-0.25, 0, 0.25] {
                        keepIfBetter(Geometry(start: untapered.start + ds, width: untapered.width + dw, radius: untapered.radius, taper: taper),
                                     as: &best, fine, start)
                    }
                }
            }
            // A label round a cylinder: each bulge with every taper.
            let unbulged = best.0
            for bulge in bulges {
                for taper in tapers + [0] {
                    for ds in [-0.25, 0, 0.25] {
                        keepIfBetter(Geometry(start: unbulged.start + ds, width: unbulged.width, radius: unbulged.radius, taper: taper, bulge: bulge),
                                     as: &best, fine, start)
                    }
                }
            }
            refined.append(best)
        }
        return Search(fine: fine, start: start, refined: refined, reversed: reversed, frame: frame)
    }

    /// The `refinedCount` best geometries of the coarse grid (radii × widths × starts), no two alike:
    /// every other start first, then the starts between around the `refinedCount × 4` best of those
    /// (a geometry a start step off the symbol's still fits it far better than one off it).
    private func coarseSeeds(_ fine: [Double], _ start: Levels) -> [Geometry] {
        var coarse: [(Geometry, Double)] = []
        for radius in radii { for width in widths { for s in stride(from: 0, to: starts.count, by: 2) {
            let g = Geometry(start: starts[s], width: width, radius: radius)
            coarse.append((g, chainCost(g, fine, start)))
        } } }
        coarse.sort { $0.1 < $1.1 }
        var between = Set<SIMD3<Double>>()
        for (g, _) in coarse.prefix(4 * refinedCount) {
            guard let s = starts.firstIndex(of: g.start) else { continue }
            for neighbour in [s - 1, s + 1] where starts.indices.contains(neighbour) {
                guard between.insert(SIMD3(starts[neighbour], g.width, g.radius)).inserted else { continue }
                let n = Geometry(start: starts[neighbour], width: g.width, radius: g.radius)
                coarse.append((n, chainCost(n, fine, start)))
            }
        }
        coarse.sort { $0.1 < $1.1 }
        var seeds: [Geometry] = []
        for (g, _) in coarse where seeds.count < refinedCount {
            if seeds.contains(where: { abs($0.start - g.start) < 1.5 && abs($0.width - g.width) < 0.04 }) { continue }
            seeds.append(g)
        }
        return seeds
    }

    /// `search` with each refined geometry tried as a label trimmed near its guards (`labelEdges`): the
    /// ground beyond either edge or both, each a level of its own.
    private func trimmed(_ search: Search) -> Search {
        var trimmed = search
        trimmed.refined = search.refined.map { untrimmed in
            var best = untrimmed
            for before in labelEdges {
                for after in labelEdges where before.isFinite || after.isFinite {
                    var g = untrimmed.0
                    (g.paperBefore, g.paperAfter) = (before, after)
                    keepIfBetter(g, as: &best, search.fine, search.start)
                }
            }
            return best
        }
        return trimmed
    }

    /// The best refined geometries of `search` decoded in full, and the best of them polished.
    private func fitted(_ search: Search, unevenLevels: Bool = false) -> [Fit] {
        let (fine, start) = (search.fine, search.start)
        let fits = search.refined.sorted { $0.1 < $1.1 }.prefix(decodedCount).map { decoded(fine, $0.0, start, unevenLevels: unevenLevels) }
        // The chains' geometry is a little off the codes' own: the best is polished on valid codes.
        guard let best = fits.min(by: { $0.residual < $1.residual }) else { return fits }
        var polished = best
        for dr in [-0.375, 0, 0.375] where models[best.geometry.radius + dr] != nil {
            for ds in stride(from: -0.25, through: 0.25, by: 0.125) {
                var g = best.geometry
                (g.start, g.radius) = (best.geometry.start + ds, best.geometry.radius + dr)
                let fit = decoded(fine, g, start, unevenLevels: unevenLevels)
                if fit.residual < polished.residual { polished = fit }
            }
        }
        return (fits + [polished]).map { var fit = $0; (fit.reversed, fit.frame) = (search.reversed, search.frame); return fit }
    }

    /// The best chain of patterns whatever the parities, the levels refitted to it (scored in grey levels:
    /// no guess of the ink's depth decides), and its residual. The chain is found three times, each with
    /// the levels refitted to the last: from the percentiles' guess alone the ink's depth and the
    /// vignetting's ramp are far enough off that the true geometry of a defocused book scored worse
    /// than hundreds of others (on the 18 real books, 6 read with one pass, 8 with two, 10 with three).
    private func chainFit(_ grey: [Double], _ model: BlurredSymbolModel, _ start: Levels, beyond: [[Double]], uneven: Bool = false) -> (Levels, Double)? {
        var fit: (Levels, Double)?
        for _ in 0..<3 {
            let (lattice, _) = model.lattice(correlations: model.correlations((fit?.0 ?? start).ink(grey)), yy: 0)
            guard let next = Self.levels(fitting: grey, to: model.expectedProfile(ofPatterns: lattice.cheapestChain().patterns), beyond: beyond, uneven: uneven)
            else { break }
            fit = next
        }
        return fit
    }

    /// The code `geometry` reads, its levels refitted to that code twice, and the fit's posterior.
    private func decoded(_ fine: [Double], _ geometry: Geometry, _ start: Levels, unevenLevels: Bool) -> Fit {
        let model = models[geometry.radius]!
        let grey = resampled(fine, geometry, model)
        let beyond = beyondPaper(geometry, model)
        var levels = start
        // The first levels are those that fit the best chain of patterns (as the coarse search scores it):
        // the profile's percentiles alone leave the ink's depth and the vignetting's ramp too far off for
        // the code's fit to find its way to them.
        if let (chainLevels, _) = chainFit(grey, model, start, beyond: beyond, uneven: unevenLevels) { levels = chainLevels }
        var fit = Fit(geometry: geometry, residual: .infinity)
        for _ in 0..<3 {
            let y = levels.ink(grey)
            let (lattice, _) = model.lattice(correlations: model.correlations(y), yy: 0)
            // A temperature from the last fit (the first: a tenth of the ink range per sample).
            let variance = fit.residual.isFinite ? fit.residual / Double(grey.count) : 0.01 * levels.ink.0 * levels.ink.0
            let best = lattice.best(temperature: 2 * variance / (levels.ink.0 * levels.ink.0) * Double(model.samplesPerModule))
            let z = model.expectedProfile(of: best.code)
            guard let (next, residual) = Self.levels(fitting: grey, to: z, beyond: beyond, uneven: unevenLevels) else { break }
            levels = next
            fit.code = best.code
            fit.posterior = best.posterior
            fit.residual = residual
        }
        return fit
    }

    /// Least squares of grey ≈ (a0 + a1 t) − (b0 + b1 t) z + Σ c_k beyond_k, and its residual (from the
    /// normal equations: ‖g‖² − cᵀ Aᵀ g); `uneven`: a2 t² + a3 t³ and −(b2 t² + b3 t³) z besides.
    private static func levels(fitting grey: [Double], to z: [Double], beyond: [[Double]], uneven: Bool = false) -> (Levels, Double)? {
        guard !beyond.isEmpty || uneven else { return levels(fitting: grey, to: z) }
        let n = Double(grey.count)
        let t = grey.indices.map { Double($0) / n - 0.5 }
        // t² and t³: the paper's higher terms, and times −z the ink depth's.
        let higher = uneven ? [t.map { $0 * $0 }, t.map { $0 * $0 * $0 }] : []
        let inkColumns = higher.map { power in z.indices.map { -z[$0] * power[$0] } }
        let paperColumns = beyond + higher
        let columns = [grey.indices.map { _ in 1.0 }, t, z.map { -$0 },
                       z.indices.map { -z[$0] * t[$0] }] + inkColumns + paperColumns
        let k = columns.count
        var normal = [[Double]](repeating: [Double](repeating: 0, count: k + 1), count: k)
        for a in 0..<k {
            for b in a..<k {
                var dot = 0.0
                for j in grey.indices { dot += columns[a][j] * columns[b][j] }
                (normal[a][b], normal[b][a]) = (dot, dot)
            }
            normal[a][k] = zip(columns[a], grey).reduce(0) { $0 + $1.0 * $1.1 }
        }
        guard let c = LinearSystem.solve(augmented: normal), c[2] > 1 else { return nil }
        let fitted = (0..<k).reduce(0.0) { $0 + c[$1] * normal[$1][k] }
        let paperStart = 4 + inkColumns.count
        let outside = grey.indices.map { j in (paperStart..<k).reduce(0.0) { $0 + c[$1] * columns[$1][j] } }
        let inkBeyond = higher.isEmpty ? [] : grey.indices.map { j in higher.indices.reduce(0.0) { $0 + c[4 + $1] * higher[$1][j] } }
        return (Levels(paper: (c[0], c[1]), ink: (c[2], c[3]), beyond: outside, inkBeyond: inkBeyond), max(grey.reduce(0) { $0 + $1 * $1 } - fitted, 0))
    }

    /// Least squares of grey ≈ (a0 + a1 t) − (b0 + b1 t) z, and its residual (from the normal
    /// equations: ‖g‖² − cᵀ Aᵀ g; this runs for every geometry the search tries).
    private static func levels(fitting grey: [Double], to z: [Double]) -> (Levels, Double)? {
        let n = Double(grey.count)
        var (st, stt, sz, szt, sztt, szz, szzt, szztt) = (0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
        var (sg, sgt, sgz, sgzt, sgg) = (0.0, 0.0, 0.0, 0.0, 0.0)
        for j in grey.indices {
            let t = Double(j) / n - 0.5, g = grey[j], zj = z[j]
            st += t; stt += t * t; sz += zj; szt += zj * t; sztt += zj * t * t
            szz += zj * zj; szzt += zj * zj * t; szztt += zj * zj * t * t
            sg += g; sgt += g * t; sgz += g * zj; sgzt += g * zj * t; sgg += g * g
        }
        // Columns 1, t, −z, −z t.
        let normal: [[Double]] = [
            [n, st, -sz, -szt, sg],
            [st, stt, -szt, -sztt, sgt],
            [-sz, -szt, szz, szzt, -sgz],
            [-szt, -sztt, szzt, szztt, -sgzt],
        ]
        guard let c = LinearSystem.solve(augmented: normal), c[2] > 1 else { return nil }
        let residual = sgg - (c[0] * sg + c[1] * sgt - c[2] * sgz - c[3] * sgzt)
        return (Levels(paper: (c[0], c[1]), ink: (c[2], c[3])), max(residual, 0))
    }
}

/// Where a candidate's profile is taken: `t` across the bars (0 at the quad's left end, 1 at its
/// right), `v` along them (0 at its top, 1 at its bottom).
enum ProfileFrame {
    /// Through the quad's own perspective.
    case perspective(Homography)
    case even(BarFrame)

    func point(t: Double, v: Double) -> Point {
        switch self {
        case .perspective(let toPhoto): toPhoto.apply(Point(x: t, y: v))
        case .even(let frame): frame.point(t: t, v: v)
        }
    }
}

/// Evenly along the line between the middles of the quad's ends, rows shifted along the bars as the
/// photo's gradients show them, not along the quad's sides. For a defocused candidate whose ends the
/// localizer put off the bars' (its lower edge stopped at the digits, say), whose homography would
/// read as perspective that squeezes one end's modules by a third.
struct BarFrame {
    let left: Point, across: Point
    /// Down the bars over the quad's height (`QuadVariants.barAligned` turns it to the sharpest rows).
    var along: Point

    /// `toPhoto`: the quad's homography from the unit square (`Homography.fromUnitSquare`).
    init?(_ plane: GreyPlane, around quad: Quad, through toPhoto: Homography) {
        let (left, right) = (quad.topLeft.midpoint(quad.bottomLeft), quad.topRight.midpoint(quad.bottomRight))
        let across = Point(x: right.x - left.x, y: right.y - left.y)
        let down = Point(x: quad.bottomLeft.x - quad.topLeft.x, y: quad.bottomLeft.y - quad.topLeft.y).midpoint(
                       Point(x: quad.bottomRight.x - quad.topRight.x, y: quad.bottomRight.y - quad.topRight.y))
        let height = (down.x * down.x + down.y * down.y).squareRoot()
        guard height > 1, (across.x * across.x + across.y * across.y) > 1 else { return nil }
        // The bars run across the photo's strongest gradient direction (the structure tensor's).
        var (xx, xy, yy) = (0.0, 0.0, 0.0)
        for u in stride(from: 0.05, through: 0.95, by: 0.03) {
            for v in stride(from: 0.2, through: 0.8, by: 0.1) {
                let p = toPhoto.apply(Point(x: u, y: v))
                let gx = Double(plane.sample(x: p.x + 1, y: p.y) - plane.sample(x: p.x - 1, y: p.y))
                let gy = Double(plane.sample(x: p.x, y: p.y + 1) - plane.sample(x: p.x, y: p.y - 1))
                xx += gx * gx; xy += gx * gy; yy += gy * gy
            }
        }
        let gradient = 0.5 * atan2(2 * xy, xx - yy)
        var bar = Point(x: -sin(gradient), y: cos(gradient))
        if bar.x * down.x + bar.y * down.y < 0 { bar = Point(x: -bar.x, y: -bar.y) }
        (self.left, self.across, self.along) = (left, across, Point(x: bar.x * height, y: bar.y * height))
    }

    /// The point `t` of the way from the left end's middle to the right's, `v` down the bars (0.5: the middle).
    func point(t: Double, v: Double) -> Point {
        Point(x: left.x + t * across.x + (v - 0.5) * along.x, y: left.y + t * across.y + (v - 0.5) * along.y)
    }
}
