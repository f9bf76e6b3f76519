import Foundation
import Testing
@testable import BoostBarcode

/// The markup quad is exact: warped with DATA.md's four-point transform, the bars stand upright,
/// the guard bars sit on the first and last module columns, and every module is where it belongs.
@Suite struct SynthQuadTests {
    /// Upright, a quarter turn, upside down, three quarters, and tilted off all of them.
    @Test(arguments: [(0.0, 0.0, 0.0), (0.5, 0.0, 0.0), (1.0, 0.0, 0.0), (1.5, 0.0, 0.0),
                      (0.3, 0.5, -0.4), (1.2, -0.6, 0.3), (1.8, 0.2, 0.6)])
    func cleanQuadWarpsUpright(_ turn: (Double, Double, Double)) throws {
        let code = try #require(EAN13Code(text: "4006381333931"))
        let recipe = cleanRecipe(code, moduleWidth: 2.2, rotation: turn.0 * Double.pi, pitch: turn.1, yaw: turn.2)
        try expectUprightStrip(recipe)
    }

    /// Random photos with their camera effects left out, so that only the geometry is tested.
    @Test(arguments: 0..<4)
    func randomQuadWarpsUpright(_ index: Int) throws {
        var random = SeededRandom(seed: 11, path: UInt64(index))
        var recipe = PhotoRecipe.random(codes: CodeSampler(seed: 11), settings: smallSynthSettings(), using: &random)
        recipe.effects = .none
        try expectUprightStrip(recipe)
    }

    private func expectUprightStrip(_ recipe: PhotoRecipe) throws {
        let (image, quad) = try PhotoRenderer(recipe: recipe).render()
        let strip = try PerspectiveWarp.rectify(image, quad: quad)
        // The warp puts the quad's corners on pixel centres 0 and W − 1.
        let module = Double(strip.width - 1) / 95
        // Column darkness over the middle half of the rows.
        let rows = strip.height / 4..<(3 * strip.height / 4)
        let profile = (0..<strip.width).map { x in rows.reduce(0.0) { $0 + greyLevel(strip, x: x, y: $1) } / Double(rows.count) }
        let threshold = (profile.min()! + profile.max()!) / 2
        let firstBar = try #require(profile.firstIndex { $0 < threshold })
        let lastBar = try #require(profile.lastIndex { $0 < threshold })
        #expect(Double(firstBar) <= module, "first bar at column \(firstBar), module \(module)")
        #expect(Double(strip.width - 1 - lastBar) <= module, "last bar at column \(lastBar) of \(strip.width)")
        let modules = (0..<95).map { index in profile[Int(((Double(index) + 0.5) * module).rounded())] < threshold }
        #expect(modules == EAN13Symbology.modules(for: recipe.layout.code))
    }
}
