import Foundation
import Testing
@testable import BoostBarcode

/// The wider world's hard cases: each is rendered where the recipe says and its factor reports it.
@Suite struct SynthHardCaseTests {
    private let code = EAN13Code(text: "4006381333931")!

    @Test(arguments: [LabelBend.Axis.alongBars, .alongReading])
    func bendsAreUndoneByTheirInverse(_ axis: LabelBend.Axis) throws {
        let bend = LabelBend(axis: axis, radius: 60, centre: 40, middle: 12, depthShrink: 0.2, elevation: 0.3, shading: 0.2)
        for point in [Point(x: 0, y: 0), Point(x: 95, y: 24), Point(x: 47.5, y: 10), Point(x: -8, y: 30)] {
            let shown = try #require(bend.unbent(bend.bent(point)))
            #expect(abs(shown.point.x - point.x) < 1e-9 && abs(shown.point.y - point.y) < 1e-9)
        }
        // A flat-plane point beyond the rim shows nothing.
        let far = axis == .alongBars ? Point(x: 40 + 61, y: 0) : Point(x: 0, y: 40 + 61)
        #expect(bend.unbent(far) == nil)
    }

    @Test func aCanLabelCrowdsItsBarsAtTheRims() throws {
        var recipe = cleanRecipe(code, moduleWidth: 3)
        let flat = try PhotoRenderer(recipe: recipe).render().quad
        recipe.bend = LabelBend(axis: .alongBars, radius: 95 / (100 * Double.pi / 180), centre: 47.5, middle: 12,
                                depthShrink: 0, elevation: 0, shading: 0)
        let (image, bent) = try PhotoRenderer(recipe: recipe).render()
        // 100° of a cylinder shows the symbol 2 sin(50°) / (100° in radians) = 0.88 as wide.
        let ratio = (bent.topRight.x - bent.topLeft.x) / (flat.topRight.x - flat.topLeft.x)
        #expect(abs(ratio - 2 * sin(50 * Double.pi / 180) / (100 * Double.pi / 180)) < 1e-6)
        // Still the code's bars: the middle row has ink where the first guard bar is.
        let row = Int((bent.topLeft.y + bent.bottomLeft.y) / 2)
        let left = Int(bent.topLeft.x.rounded(.up))
        #expect(min(greyLevel(image, x: left, y: row), greyLevel(image, x: left + 1, y: row)) < 60)
        #expect(DifficultyFactors(path: "x", recipe: recipe).hard.bendAcrossDegrees > 99.9)
    }

    @Test func aTrimmedLabelsQuadEndsWhereItsBarsDo() throws {
        var recipe = cleanRecipe(code, moduleWidth: 3)
        recipe.design.trim(.left, leaving: -0.5)
        let quad = try PhotoRenderer(recipe: recipe).render().quad
        let whole = try PhotoRenderer(recipe: cleanRecipe(code, moduleWidth: 3)).render().quad
        #expect(abs(quad.topLeft.x - whole.topLeft.x - 1.5) < 1e-6)
        #expect(DifficultyFactors(path: "x", recipe: recipe).hard.quietModules == -0.5)
    }

    @Test func printDefectsTakeInkAway() {
        let defects = PrintDefects(fade: 0.5, blankLines: [(v: 10, width: 1)], voids: [(centre: Point(x: 30, y: 5), radius: 1)])
        #expect(defects.inkKept(u: 60, v: 20, halfU: 0.1, halfV: 0.1) == 0.5)
        #expect(defects.inkKept(u: 60, v: 10, halfU: 0.1, halfV: 0.1) == 0)
        #expect(defects.inkKept(u: 30, v: 5, halfU: 0.1, halfV: 0.1) == 0)
        #expect(defects.flawCount == 2)
    }

    /// A lens out of focus spreads a point evenly over a disc of its radius (and nowhere else),
    /// keeping the light it had, the same every way round.
    @Test func aDiscBlurSpreadsAPointOverItsDisc() {
        let (size, radius) = (41, 7.3)
        var planes = ColourPlanes(width: size, height: size)
        for channel in 0..<3 { planes.values[channel * planes.planeSize + 20 * size + 20] = 1000 }
        DiscBlur(radius: radius).apply(to: &planes)
        let green = Array(planes.values[planes.planeSize..<(2 * planes.planeSize)])
        #expect(abs(green.reduce(0, +) - 1000) < 0.01)
        let inside = 1000 / Float(Double.pi * radius * radius)
        for y in 0..<size {
            for x in 0..<size {
                let (dx, dy) = (Double(x - 20), Double(y - 20))
                let distance = (dx * dx + dy * dy).squareRoot()
                let value = green[y * size + x]
                if distance <= radius - 1 { #expect(abs(value - inside) < 0.02 * inside) }
                if distance >= radius + 1 { #expect(value == 0) }
                #expect(abs(value - green[x * size + y]) < 1e-3 && abs(value - green[y * size + (40 - x)]) < 1e-3)
            }
        }
    }

    /// Heavy defocus is a lens's disc of 1 to 3 modules' radius, never on top of the Gaussian, and
    /// factors.csv reports it in modules.
    @Test func heavyDefocusIsADiscOfOneToThreeModules() {
        var discs = 0
        for recipe in widerWorldRecipes() {
            guard let disc = recipe.effects.lensDefocus else { continue }
            discs += 1
            #expect(recipe.effects.defocus == nil)
            #expect((1 - 1e-9...3 + 1e-9).contains(disc.radius / recipe.pose.moduleWidth))
            let factors = DifficultyFactors(path: "p.png", recipe: recipe)
            #expect(abs(factors.hard.discModules - disc.radius / factors.modulePixels) < 1e-9 && factors.hard.blurModules == 0)
        }
        #expect((30...90).contains(discs))
    }

    /// 400 recipes of the wider world (the default settings, hard cases on).
    private func widerWorldRecipes() -> [PhotoRecipe] {
        (0..<400).map { index in
            var random = SeededRandom(seed: 9, path: 1, UInt64(index))
            return PhotoRecipe.random(codes: CodeSampler(seed: 9), settings: SynthSettings(), using: &random)
        }
    }

    /// Leaving glare out changes nothing else: every factor but glare's is the same, a picture that had
    /// no glare is the same picture, and one that had glare is not.
    @Test func aPictureWithoutAnEffectIsTheSamePictureWithoutIt() throws {
        let plain = DatasetGenerator(trainCount: 0, testCount: 40, seed: 5)
        var without = plain
        without.settings.withoutEffects = [.glare]
        var (glared, clear): (Int?, Int?) = (nil, nil)
        for index in 0..<40 {
            var factors = plain.factors(.test, index: index)
            let left = without.factors(.test, index: index)
            #expect(left.hard.glare == 0)
            if factors.hard.glare > 0.2 { glared = glared ?? index } else if factors.hard.glare == 0 { clear = clear ?? index }
            factors.hard.glare = 0
            #expect(factors == left)
        }
        let (withGlare, withoutGlare) = try (#require(glared), #require(clear))
        #expect(try plain.photo(.test, index: withoutGlare).image == without.photo(.test, index: withoutGlare).image)
        let (before, after) = try (plain.photo(.test, index: withGlare), without.photo(.test, index: withGlare))
        #expect(before.image != after.image && before.row.code == after.row.code)
    }

    /// 400 recipes of the first world (no hard cases), each drawn as it is and with `change` made to
    /// its settings, from the same random stream.
    private func firstWorldRecipes(_ change: (inout SynthSettings) -> Void) -> [(plain: PhotoRecipe, changed: PhotoRecipe)] {
        var first = SynthSettings()
        first.hardCases = false
        var changed = first
        change(&changed)
        return (0..<400).map { index in
            var random = SeededRandom(seed: 9, path: 2, UInt64(index))
            let plain = PhotoRecipe.random(codes: CodeSampler(seed: 9), settings: first, using: &random)
            random = SeededRandom(seed: 9, path: 2, UInt64(index))
            return (plain, PhotoRecipe.random(codes: CodeSampler(seed: 9), settings: changed, using: &random))
        }
    }

    /// `lensDefocusShare` gives the first world the hard cases' disc in about that share of its
    /// pictures, and none at 0.
    @Test func lensDefocusReachesTheFirstWorld() {
        var discs = 0
        for (plain, recipe) in firstWorldRecipes({ $0.lensDefocusShare = 0.1 }) {
            #expect(plain.effects.lensDefocus == nil)
            if let disc = recipe.effects.lensDefocus {
                discs += 1
                #expect((1 - 1e-9...3 + 1e-9).contains(disc.radius / recipe.pose.moduleWidth) && recipe.effects.defocus == nil)
            }
        }
        #expect((20...65).contains(discs))
    }

    /// Soft focus takes about the share asked for of the first world's pictures to 0.45–1 module of
    /// defocus (the usual defocus stays under 0.45 module), drawn after the code and the pose.
    @Test func softFocusDefocusesTheShareAskedFor() {
        var softened = 0
        for (plain, recipe) in firstWorldRecipes({ $0.softFocusShare = 0.2 }) {
            #expect((plain.effects.defocus?.sigma ?? 0) <= 0.45 * plain.pose.moduleWidth + 1e-9)
            let modules = (recipe.effects.defocus?.sigma ?? 0) / recipe.pose.moduleWidth
            if modules > 0.45 + 1e-9 {
                softened += 1
                #expect(modules <= 1)
            }
            #expect(recipe.layout.code == plain.layout.code && recipe.pose.rotation == plain.pose.rotation)
        }
        #expect((50...110).contains(softened))
    }

    /// Over many recipes: every hard case occurs, no second symbol is wholly in the picture, and the
    /// factors survive factors.csv.
    @Test func theWiderWorldDrawsEveryHardCase() throws {
        var factors: [DifficultyFactors] = []
        for (index, recipe) in widerWorldRecipes().enumerated() {
            if let neighbour = recipe.neighbour { #expect(neighbour.visibleShare > 0 && neighbour.visibleShare <= 0.75) }
            factors.append(DifficultyFactors(path: String(format: "%06d.png", index), recipe: recipe))
        }
        #expect(PreviewSheet.hardCaseExamples(factors).allSatisfy { $0 != nil })
        let folder = try makeTemporaryFolder()
        defer { removeTemporaryFolder(folder) }
        let file = folder.appendingPathComponent(FactorsFile.fileName)
        try FactorsFile.write(factors, to: file)
        let read = try FactorsFile.read(contentsOf: file)
        #expect(read.map(\.hard.jpegQuality) == factors.map(\.hard.jpegQuality))
        #expect(read.map(\.hard.flaws) == factors.map(\.hard.flaws))
        #expect(zip(read, factors).allSatisfy { abs($0.hard.bendAcrossDegrees - $1.hard.bendAcrossDegrees) < 0.06 })
    }
}
