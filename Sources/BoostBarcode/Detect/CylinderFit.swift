/// Chooses the cylinders a candidate's label most likely lies round, for reading it bent
/// (`CylinderBend`): a can or bottle may put a symbol across anything from a quarter to a third of its
/// circumference, and the line nearest the camera anywhere near the symbol's middle, so a few fixed
/// bends miss most labels. Each bend of a grid (the half angle, and the middle's turn as a fraction
/// of it) samples the strip and is scored by how well the symbol's fixed modules (guards, each
/// digit's first and last module, quiet zones) fall on light and dark along it
/// (`GuardAligner.anchorGrid`): only the right bend puts all of them in step at once. The best coarse
/// bend is refined once; the best `count` are read with the boosters.
struct CylinderFit: Sendable {
    /// Half angles (degrees) of the coarse grid.
    var halfAngles: [Double] = [15, 25, 35, 45, 55, 65]
    /// Where the symbol's middle lies round the cylinder, as a fraction of the half angle (the generator's
    /// labels put the nearest line within a quarter of the symbol's width of its middle: ±0.5).
    var turnFractions: [Double] = [-0.5, -0.25, 0, 0.25, 0.5]
    /// The refinement's steps around the best coarse bend.
    var halfAngleStep = 5.0
    var turnFractionStep = 0.125
    var count = 3

    /// The `count` best-scoring bends of `quad` in `image`, best first (never flat).
    func bends(in image: Image, quad: Quad) -> [CylinderBend] {
        bestOfGrid { bend -> (Void, Float)? in
            guard let strip = try? ModuleStrip(image: image, quad: quad, bend: bend) else { return nil }
            let profile = strip.columnSums
            let levels = LevelNormaliser(profile).apply(profile)
            return ((), GuardAligner.score(levels, grid: GuardAligner.anchorGrid(levels)))
        }.map(\.bend)
    }

    /// The `count` best bends of the grid (refined once about the best) with the quad's ends refitted
    /// for each (`QuadVariants.fittedEnds`), best first: a localizer's quad round a strongly bent label
    /// often ends past the symbol or short of it, and the modules squeezed towards the label's edge
    /// make the flat refit miss the ends too.
    func bentQuads(_ variants: QuadVariants, in image: Image) -> [(quad: Quad, bend: CylinderBend)] {
        guard let levels = variants.wideLevels(image) else { return [] }
        return bestOfGrid { variants.fittedEnds(levels, bend: $0) }.map { ($0.value, $0.bend) }
    }

    /// The grid's bends scored by `score` (nil: left out), the best coarse one refined once: the
    /// `count` best, best first, each with the value `score` gave beside its score.
    private func bestOfGrid<Value>(_ score: (CylinderBend) -> (Value, Float)?) -> [(bend: CylinderBend, value: Value)] {
        // Keyed by the grid's own numbers (degrees, fraction of the half angle), so that the refinement
        // does not score the coarse best again.
        var scored: [(halfAngle: Double, turnFraction: Double, value: Value, score: Float)] = []
        func consider(_ halfAngle: Double, _ turnFraction: Double) {
            guard halfAngle > 0,
                  !scored.contains(where: { abs($0.halfAngle - halfAngle) < 1e-9 && abs($0.turnFraction - turnFraction) < 1e-9 }),
                  let (value, result) = score(bend(halfAngle, turnFraction)) else { return }
            scored.append((halfAngle, turnFraction, value, result))
        }
        for halfAngle in halfAngles { for turn in turnFractions { consider(halfAngle, turn) } }
        guard let coarse = scored.max(by: { $0.score < $1.score }) else { return [] }
        for dh in [-halfAngleStep, 0, halfAngleStep] {
            for dt in [-turnFractionStep, 0, turnFractionStep] { consider(coarse.halfAngle + dh, coarse.turnFraction + dt) }
        }
        return scored.sorted { $0.score > $1.score }.prefix(count).map { (bend($0.halfAngle, $0.turnFraction), $0.value) }
    }

    /// The bend of `halfAngle` degrees, its middle turned by `turnFraction` of it.
    private func bend(_ halfAngle: Double, _ turnFraction: Double) -> CylinderBend {
        CylinderBend(halfAngle: halfAngle * .pi / 180, turn: turnFraction * halfAngle * .pi / 180)
    }
}
