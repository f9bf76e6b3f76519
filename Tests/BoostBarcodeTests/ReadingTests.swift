import Foundation
import Testing
@testable import BoostBarcode

@Suite struct ChecksumDecoderTests {
    /// Probabilities that favour `code` at every position with `strength`, the rest spread evenly.
    func probabilities(favouring code: EAN13Code, strength: Float = 0.6) -> [[Float]] {
        code.digits.map { digit in
            (0..<10).map { $0 == Int(digit) ? strength : (1 - strength) / 9 }
        }
    }

    /// The best valid code among those built from each position's two most probable digits (any check
    /// digit), by brute force: 2¹² · 10 codes.
    func bruteForceBest(_ p: [[Float]]) -> (EAN13Code, Double) {
        var best: (EAN13Code?, Double) = (nil, -1)
        var total = 0.0
        var digits = [UInt8](repeating: 0, count: 13)
        let top = p.map { row in Array((0..<10).sorted { row[$0] > row[$1] }.prefix(2)) }
        func visit(_ position: Int, _ probability: Double) {
            if position == 13 {
                let sum = digits.enumerated().reduce(0) { $0 + Int($1.element) * ($1.offset % 2 == 0 ? 1 : 3) }
                guard sum % 10 == 0 else { return }
                total += probability
                if probability > best.1 { best = (EAN13Code(digits: digits)!, probability) }
                return
            }
            for digit in position == 12 ? Array(0..<10) : top[position] {
                digits[position] = UInt8(digit)
                visit(position + 1, probability * Double(p[position][digit]))
            }
        }
        visit(0, 1)
        return (best.0!, best.1)
    }

    @Test func aValidArgmaxIsKept() throws {
        let code = try #require(EAN13Code(text: "4006381333931"))
        let decoded = ChecksumDecoder.decode(probabilities(favouring: code, strength: 0.99))
        #expect(decoded.raw == code && decoded.constrained == code)
        #expect(decoded.confidence > 0.8 && decoded.confidence <= 1)
    }

    @Test func oneUnsureDigitIsRepairedByTheCheckDigit() throws {
        let code = try #require(EAN13Code(text: "4006381333931"))
        var p = probabilities(favouring: code, strength: 0.9)
        // Position 5 leans to the wrong digit 2 (truth 8), but only just.
        p[5] = (0..<10).map { $0 == 2 ? 0.45 : $0 == 8 ? 0.4 : 0.15 / 8 }
        let decoded = ChecksumDecoder.decode(p)
        #expect(decoded.raw.digits[5] == 2 && !decoded.raw.isCheckDigitValid)
        #expect(decoded.constrained == code)
    }

    @Test func matchesBruteForceOnRandomProbabilities() {
        var random = SeededRandom(seed: 11)
        for _ in 0..<20 {
            // Sharp random rows, so that the top two digits per position hold the best valid code.
            let p: [[Float]] = (0..<13).map { _ in
                let raw = (0..<10).map { _ in Float(pow(random.uniform(0...1), 6)) }
                let sum = raw.reduce(0, +)
                return raw.map { $0 / sum }
            }
            let decoded = ChecksumDecoder.decode(p)
            let (best, probability) = bruteForceBest(p)
            let decodedProbability = decoded.constrained.digits.enumerated().reduce(1.0) { $0 * Double(p[$1.offset][Int($1.element)]) }
            #expect(decoded.constrained.isCheckDigitValid)
            #expect(decodedProbability >= probability * (1 - 1e-6), "DP found \(decoded.constrained), brute force \(best)")
        }
    }

    @Test func confidenceIsTheShareAmongValidCodes() {
        // Uniform digits: all 10^12 valid codes are equally likely.
        let uniform = [[Float]](repeating: [Float](repeating: 0.1, count: 10), count: 13)
        let decoded = ChecksumDecoder.decode(uniform)
        #expect(abs(decoded.confidence - 1e-12) < 1e-15)
    }

    @Test func answerPolicyWithholdsUnsureCodes() throws {
        let code = try #require(EAN13Code(text: "4006381333931"))
        let sure = ChecksumDecoder.decode(probabilities(favouring: code, strength: 0.99))
        let unsure = ChecksumDecoder.decode(probabilities(favouring: code, strength: 0.3))
        let policy = AnswerPolicy(minimumConfidence: 0.5)
        #expect(policy.answer(for: sure) == code)
        #expect(policy.answer(for: unsure) == nil)
    }
}

@Suite struct AlignedFeatureTests {
    let code = EAN13Code(text: "5901234123457")!

    /// A clean symbol with 3-pixel modules.
    var symbol: (Image, Quad) { renderSymbol(code, moduleWidth: 3, barHeight: 40, margin: 40) }

    func moved(_ quad: Quad, by offsets: [(Double, Double)]) -> Quad {
        let c = zip(quad.corners, offsets).map { Point(x: $0.x + $1.0, y: $0.y + $1.1) }
        return Quad(topLeft: c[0], topRight: c[1], bottomRight: c[2], bottomLeft: c[3])
    }

    @Test func alignerFindsTheGuardsOfAnExactQuad() throws {
        let (image, quad) = symbol
        let grids = GuardAligner.align(try ModuleStrip(image: image, quad: quad))
        for grid in grids {
            #expect(abs(grid.left) < 0.15 && abs(grid.centre - 47.5) < 0.15 && abs(grid.right - 95) < 0.15, "\(grid)")
        }
    }

    /// Corners moved by up to 2 % of the symbol's width (about two modules) in opposite directions at
    /// top and bottom: the bars slant in the strip, and every row must still find its own grid.
    @Test func alignerUndoesASlantedQuad() throws {
        let (image, quad) = symbol
        let shifted = moved(quad, by: [(5, 0), (-4, 0), (-5, 0), (6, 0)])
        let grids = GuardAligner.align(try ModuleStrip(image: image, quad: shifted))
        // Module 0's true left edge in each row's strip coordinates, by inverting the shifted quad.
        for (row, grid) in grids.enumerated() {
            let v = 0.05 + 0.9 * (Double(row) + 0.5) / Double(ModuleStrip.rowCount)
            // Along a row the shifted quad's left edge moves from +5 px (top) to +6 px (bottom), the
            // right edge from −4 to −5; modules are 3 px, so the true symbol starts at −(5 + v)/3 modules
            // of the shifted quad, and is stretched by 285 / (285 − 9 − 2v) … approximately.
            let expectedLeft = -(5 + v) / 3 * 95 / (95 - (9 + 2 * v) / 3)
            #expect(abs(grid.left - expectedLeft) < 0.2, "row \(row): \(grid.left) vs \(expectedLeft)")
        }
    }

    /// The search that `GuardAligner.bestGrid` replaces: every grid scored in full, in order, the first of
    /// the best kept.
    func plainBestGrid(_ profile: [Float]) -> GuardAligner.Grid {
        typealias Grid = GuardAligner.Grid
        var best = (score: -Float.infinity, grid: Grid(left: 0, centre: 47.5, right: 95))
        func consider(_ grid: Grid) {
            let s = GuardAligner.score(profile, grid: grid)
            if s > best.score { best = (s, grid) }
        }
        func steps(_ value: Double, _ radius: Double, _ step: Double) -> [Double] {
            Array(stride(from: value - radius, through: value + radius + 1e-9, by: step))
        }
        for left in steps(0, 3, 0.125) { for right in steps(95, 3, 0.125) { consider(Grid(left: left, centre: (left + right) / 2, right: right)) } }
        let coarse = best.grid
        for left in steps(coarse.left, 0.125, 1.0 / 32) {
            for right in steps(coarse.right, 0.125, 1.0 / 32) { consider(Grid(left: left, centre: (left + right) / 2, right: right)) }
        }
        for radius in [3.0, 0.5] {
            let current = best.grid
            for centre in steps(current.centre, 1.5, 1.0 / 32) { consider(Grid(left: current.left, centre: centre, right: current.right)) }
            let withCentre = best.grid
            for left in steps(withCentre.left, radius, 1.0 / 32) { consider(Grid(left: left, centre: withCentre.centre, right: withCentre.right)) }
            let withLeft = best.grid
            for right in steps(withLeft.right, radius, 1.0 / 32) { consider(Grid(left: withLeft.left, centre: withLeft.centre, right: right)) }
        }
        return best.grid
    }

    /// The pruned search must pick exactly the plain search's grid (the model was trained on its
    /// features): on the bands of a clean, a slanted and a noisy strip, and on profiles of pure noise,
    /// where many grids score alike.
    @Test func alignerSearchPicksThePlainSearchsGrid() throws {
        let (image, quad) = symbol
        let columns = ModuleStrip.columnCount
        var profiles: [[Float]] = []
        var noise = SplitMix64(seed: 5)
        for corners in [quad, moved(quad, by: [(5, 0), (-4, 0), (-5, 0), (6, 0)])] {
            let strip = try ModuleStrip(image: image, quad: corners)
            for row in stride(from: 0, to: ModuleStrip.rowCount, by: 12) {
                let values = Array(strip.values[row * columns..<(row + 1) * columns])
                profiles.append(values)
                profiles.append(values.map { $0 + Float(noise.next() % 160) - 80 })
            }
        }
        for _ in 0..<3 { profiles.append((0..<columns).map { _ in Float(noise.next() % 256) }) }
        profiles.append([Float](repeating: 128, count: columns))
        for profile in profiles {
            let normalised = LevelNormaliser(profile).apply(profile)
            #expect(GuardAligner.bestGrid(normalised) == plainBestGrid(normalised))
        }
    }

    /// The quick search (a first look) finds the exhaustive search's grids on a clean strip, and
    /// within a tenth of a module of them on slanted ones, whose bands' edges lie a module or more
    /// apart; on noise it still returns grids within the search range.
    @Test func quickAlignerFindsTheExhaustiveGrids() throws {
        let (image, quad) = symbol
        for corners in [quad, moved(quad, by: [(5, 0), (-4, 0), (-5, 0), (6, 0)]), moved(quad, by: [(-6, 0), (3, 0), (6, 0), (-3, 0)])] {
            let strip = try ModuleStrip(image: image, quad: corners)
            let quick = GuardAligner.align(strip, search: .quick), exhaustive = GuardAligner.align(strip)
            let largest = zip(quick, exhaustive).map { a, b in max(abs(a.left - b.left), abs(a.centre - b.centre), abs(a.right - b.right)) }.max()!
            #expect(largest <= (corners == quad ? 1e-9 : 0.1), "\(largest) modules apart")
        }
        var noise = SplitMix64(seed: 9)
        let profile = (0..<ModuleStrip.columnCount).map { _ in Float(noise.next() % 256) }
        var noisy = try ModuleStrip(image: image, quad: quad)
        noisy.values = Array((0..<ModuleStrip.rowCount).map { _ in profile }.joined())
        for grid in GuardAligner.align(noisy, search: .quick) {
            #expect(abs(grid.left) <= 3.5 && abs(grid.right - 95) <= 3.5)
        }
    }

    /// The dark and light levels found by selection are the sorted profile's 5th and 95th percentiles,
    /// with ties, plateaus and tiny profiles too.
    @Test func levelNormaliserTakesThePercentilesOfTheSortedProfile() {
        var noise = SplitMix64(seed: 4)
        var profiles: [[Float]] = [[7], [3, 1], [5, 5, 5, 5], (0..<444).map { Float($0 % 3) }]
        for count in [20, 99, 380, 444, 4800] {
            profiles.append((0..<count).map { _ in Float(noise.next() % 256) })
            profiles.append((0..<count).map { _ in Float(noise.next() % 1000) / 7 })
        }
        for profile in profiles {
            let sorted = profile.sorted(), levels = LevelNormaliser(profile)
            #expect(levels.black == sorted[sorted.count * 5 / 100] && levels.white == sorted[min(sorted.count - 1, sorted.count * 95 / 100)])
        }
    }

    /// Eight positions sampled at once give exactly what one at a time gives, on colour and grey
    /// pictures, inside, on the border, outside and at positions that are not finite.
    @Test func bilinearSamplerGivesTheSameLevelsEightAtATime() {
        var noise = SplitMix64(seed: 8)
        for channels in [1, 3] {
            let image = Image(width: 13, height: 7, channels: channels,
                              pixels: (0..<13 * 7 * channels).map { _ in UInt8(truncatingIfNeeded: noise.next()) })!
            BilinearGreySampler.sampling(image) { sampler in
                for _ in 0..<50 {
                    var (x, y) = (SIMD8<Double>(), SIMD8<Double>())
                    for lane in 0..<8 {
                        x[lane] = Double(noise.next() % 1700) / 100 - 2
                        y[lane] = Double(noise.next() % 1100) / 100 - 2
                    }
                    x[3] = 12; y[5] = 0; x[6] = .nan; y[7] = -.infinity
                    let together = sampler.grey(x: x, y: y)
                    #expect((0..<8).allSatisfy { together[$0] == sampler.grey(x: x[$0], y: y[$0]) })
                }
            }
        }
    }

    /// Centring each side once gives exactly the correlation of the textbook two-pass formula.
    @Test func centredSamplesCorrelateAsPearson() {
        func pearson(_ a: [Float], _ b: [Float]) -> Float {
            let n = Float(b.count)
            var sumA: Float = 0, sumB: Float = 0
            for (x, y) in zip(a, b) { sumA += x; sumB += y }
            let (meanA, meanB) = (sumA / n, sumB / n)
            var sab: Float = 0, saa: Float = 0, sbb: Float = 0
            for (x, y) in zip(a, b) { sab += (x - meanA) * (y - meanB); saa += (x - meanA) * (x - meanA); sbb += (y - meanB) * (y - meanB) }
            let denominator = (saa * sbb).squareRoot()
            return denominator > 1e-6 ? sab / denominator : 0
        }
        var noise = SplitMix64(seed: 6)
        for _ in 0..<200 {
            let a = (0..<28).map { _ in Float(noise.next() % 1000) / 997 }, b = (0..<28).map { _ in Float(noise.next() % 2) }
            #expect(CentredSamples(a[...]).correlation(with: CentredSamples(b[...])) == pearson(a, b))
        }
        let flat = [Float](repeating: 0.5, count: 28)
        #expect(CentredSamples(flat[...]).correlation(with: CentredSamples(flat[...])) == 0)
    }

    @Test func patternScoresPickEveryDigitOfACleanSymbol() throws {
        let (image, quad) = symbol
        let strip = try ModuleStrip(image: image, quad: quad)
        let rows = AlignedRows(strip: strip, grids: GuardAligner.align(strip), samplesPerModule: PatternScores.samplesPerModule)
        let scores = PatternScores(profile: rows.meanProfile)
        let d = code.digits.map(Int.init)
        let parity = EAN13Symbology.firstDigitParity[d[0]]
        for slot in 0..<6 {
            let best = scores.left[slot].indices.max { scores.left[slot][$0] < scores.left[slot][$1] }!
            #expect(best == d[slot + 1] + (parity[slot] ? 10 : 0), "left slot \(slot)")
            let bestRight = scores.right[slot].indices.max { scores.right[slot][$0] < scores.right[slot][$1] }!
            #expect(bestRight == d[slot + 7], "right slot \(slot)")
        }
        let first = scores.firstDigitScores
        #expect(first.indices.max { first[$0] < first[$1] } == d[0])
    }

    /// A perfectly sharp render leaves the guard search flat plateaus, whose first maximum lies on
    /// opposite sides for the two directions; a photo's slight blur does not. Blur the render a little.
    func blurredHorizontally(_ image: Image) -> Image {
        var out = image
        for y in 0..<image.height {
            for x in 1..<(image.width - 1) {
                for c in 0..<image.channels {
                    let sum = Int(image.pixels[image.offset(x: x - 1, y: y) + c]) + Int(image.pixels[image.offset(x: x, y: y) + c])
                        + Int(image.pixels[image.offset(x: x + 1, y: y) + c])
                    out.pixels[image.offset(x: x, y: y) + c] = UInt8(sum / 3)
                }
            }
        }
        return out
    }

    @Test func orientationCheckTurnsAnUpsideDownQuad() throws {
        let (sharp, quad) = symbol
        let image = blurredHorizontally(sharp)
        let upsideDown = Quad(topLeft: quad.bottomRight, topRight: quad.bottomLeft,
                              bottomRight: quad.topLeft, bottomLeft: quad.topRight)
        let extractor = try FeatureExtractor(config: FeatureConfig.named("patterns")!)
        let upright = try extractor.features(of: image, quad: quad)
        let turned = try extractor.features(of: image, quad: upsideDown)
        #expect(!upright.flipped && turned.flipped)
        // Turned round, the strip reads as the upright one (rows mirrored top to bottom, bands too).
        let profileLength = 3 * 95 * 3
        let uprightBands = upright.values[..<profileLength], turnedBands = turned.values[..<profileLength]
        let middleBand = 95 * 3
        let differences = zip(uprightBands[middleBand..<2 * middleBand], turnedBands[middleBand..<2 * middleBand])
            .map { abs(Int($0) - Int($1)) }
        // Samples right on a bar edge may differ; the profile as a whole must agree.
        #expect(differences.reduce(0, +) / differences.count <= 8)
    }

    @Test func everyPresetHasItsFeatureCountAndAName() throws {
        let (image, quad) = symbol
        for name in FeatureConfig.presetNames {
            let config = try #require(FeatureConfig.named(name))
            #expect(config.presetName == name)
            let features = try FeatureExtractor(config: config).features(of: image, quad: quad)
            #expect(features.values.count == config.featureCount, "\(name)")
        }
        #expect(FeatureConfig.named("notebook") == FeatureConfig())
        #expect(FeatureConfig.named("nonsense") == nil)
    }

    /// Bars of 30 levels on a light level that climbs by 150 over the strip (glare at one end): scaled
    /// by the strip's levels the bars at the dark end would look like spaces at the light end; scaled by
    /// their neighbours', every bar is dark and every space light.
    @Test func localLevelsTakeOutGlare() {
        let modules = 95, perModule = 3
        let isBar = (0..<modules).map { ($0 / 2) % 2 == 0 }
        let values = (0..<modules * perModule).map { i -> Float in
            let light = 50 + 150 * Float(i) / Float(modules * perModule)
            return isBar[i / perModule] ? light - 30 : light
        }
        let local = LocalLevels.apply(values, radius: LocalLevels.radius * perModule, floor: 5)
        for (i, value) in local.enumerated() {
            if isBar[i / perModule] { #expect(value < 0.4, "sample \(i)") } else { #expect(value > 0.6, "sample \(i)") }
        }
        // A window of nearly one level stays near its floor, not stretched into bars.
        #expect(LocalLevels.apply([100, 101, 100, 101], radius: 2, floor: 10).allSatisfy { $0 <= 0.1 })
    }

    @Test func localGreyNeedsAlignment() {
        var config = FeatureConfig()
        config.values = .localGrey
        #expect(throws: BoostBarcodeError.self) { try config.validate() }
    }

    @Test func orientationNeedsAlignment() {
        var config = FeatureConfig()
        config.orientationCheck = true
        #expect(throws: BoostBarcodeError.self) { try config.validate() }
    }

    @Test func manifestsFromBeforeThePresetsReadAsTheNotebook() throws {
        let old = """
            {"resizedWidth":1200,"resizedHeight":1000,"greyThreshold":50,"bandCount":10,"columnWhiteCount":99,
             "firstStackedBand":3,"lastStackedBand":6}
            """
        let config = try JSONDecoder().decode(FeatureConfig.self, from: Data(old.utf8))
        #expect(config == FeatureConfig.named("notebook"))
        let roundTrip = try JSONDecoder().decode(FeatureConfig.self,
                                                 from: JSONEncoder().encode(FeatureConfig.named("patterns")!))
        #expect(roundTrip == FeatureConfig.named("patterns"))
    }

    @Test func otsuSplitsTwoLevels() {
        let pixels = [UInt8](repeating: 30, count: 400) + [UInt8](repeating: 200, count: 600)
        let level = OtsuThreshold.level(of: pixels)
        #expect((30..<200).contains(level))
    }
}

@Suite struct AugmentationTests {
    /// Along the bars (the quad's height) the corners move by up to a share of their own.
    @Test func jitterAlongTheBarsHasItsOwnBound() {
        let quad = Quad(topLeft: Point(x: 0, y: 0), topRight: Point(x: 100, y: 0),
                        bottomRight: Point(x: 100, y: 50), bottomLeft: Point(x: 0, y: 50))
        let augmentation = QuadAugmentation(fraction: 0.02, alongBars: 0.06, copies: 50, seed: 5)
        var largestAlong = 0.0
        for copy in augmentation.jitteredCopies(of: quad, row: 1) {
            for (moved, original) in zip(copy.corners, quad.corners) {
                #expect(abs(moved.x - original.x) <= 2 + 1e-9 && abs(moved.y - original.y) <= 3 + 1e-9)
                largestAlong = max(largestAlong, abs(moved.y - original.y))
            }
        }
        // Beyond the 1 px that 2 % of the height would allow.
        #expect(largestAlong > 1.5)
    }

    @Test func jitteredCopiesAreSeededAndBounded() throws {
        let quad = Quad(topLeft: Point(x: 0, y: 0), topRight: Point(x: 100, y: 0),
                        bottomRight: Point(x: 100, y: 50), bottomLeft: Point(x: 0, y: 50))
        let augmentation = QuadAugmentation(fraction: 0.02, copies: 3, seed: 5)
        let copies = augmentation.jitteredCopies(of: quad, row: 7)
        #expect(copies.count == 3)
        #expect(copies == augmentation.jitteredCopies(of: quad, row: 7))
        #expect(copies != augmentation.jitteredCopies(of: quad, row: 8))
        for copy in copies {
            for (moved, original) in zip(copy.corners, quad.corners) {
                // Up to 2 % of the width (100) along, 2 % of the height (50) across.
                #expect(abs(moved.x - original.x) <= 2 + 1e-9 && abs(moved.y - original.y) <= 1 + 1e-9)
            }
        }
    }
}
