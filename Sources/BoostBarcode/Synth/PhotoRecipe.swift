import Foundation

/// The ranges a synthetic photo's size and scale are drawn from; the rest is fixed in the recipe.
public struct SynthSettings: Sendable, Equatable {
    /// Pixels on the picture's long side; the upper bound must be at least 100.
    public var longSide: ClosedRange<Int> = 400...1600
    /// Pixels per module at the symbol's centre (log-uniform).
    public var moduleWidth: ClosedRange<Double> = 1.5...6

    public init() {}
}

/// Every random choice behind one synthetic photo; rendering it is deterministic.
struct PhotoRecipe: Sendable {
    var layout: SymbolLayout
    var design: LabelDesign
    var pose: CameraPose
    var width: Int
    var height: Int
    var backgroundSeed: UInt64
    var effects: PhotoEffects

    /// Draws a recipe: a code from `codes`, then the symbol, label, pose, picture size and effects.
    static func random(codes: CodeSampler, settings: SynthSettings, using random: inout SeededRandom) -> PhotoRecipe {
        precondition(settings.longSide.upperBound >= 100 && settings.moduleWidth.lowerBound > 0)
        let layout = SymbolLayout(
            code: codes.code(using: &random), barHeight: random.logUniform(20...70),
            guardExtension: random.uniform(2.5...6), inkSpread: random.uniform(-0.25...0.25),
            digitHeight: random.uniform(6.5...10), digitGap: random.uniform(0.3...1.5))
        let design = LabelDesign.random(around: layout, using: &random)
        // Tilts near upright are the most common; a few are steep.
        func tilt() -> Double { max(-0.7, min(0.7, 0.25 * random.normal())) }
        var pose = CameraPose(
            moduleWidth: random.logUniform(settings.moduleWidth), rotation: random.uniform(0...(2 * Double.pi)),
            pitch: tilt(), yaw: tilt(), focalLength: 0,
            anchor: Point(x: SymbolLayout.moduleCount / 2, y: layout.bottom / 2), centre: Point(x: 0, y: 0))
        let perspective = random.uniform(1.5...5)
        let fill = random.uniform(0.4...0.95)
        let landscapeAspect = random.uniform(0.56...1)
        let (width, height, bounds) = fit(layout: layout, pose: &pose, perspective: perspective, fill: fill,
                                          aspect: landscapeAspect, settings: settings)
        let margin = 3.0
        pose.centre = Point(x: random.uniform((margin - bounds.0)...(Double(width - 1) - margin - bounds.2)),
                            y: random.uniform((margin - bounds.1)...(Double(height - 1) - margin - bounds.3)))
        let backgroundSeed = random.next()
        let effects = PhotoEffects.random(width: width, height: height, moduleWidth: pose.moduleWidth, using: &random)
        return PhotoRecipe(layout: layout, design: design, pose: pose, width: width, height: height,
                           backgroundSeed: backgroundSeed, effects: effects)
    }

    /// Picks the picture size so that the symbol with its quiet zones and digits fills about `fill`
    /// of the long side, and fits with a margin; shrinks the modules when even the largest picture
    /// is too small. Returns the size and the symbol's bounds relative to `pose.centre`.
    private static func fit(layout: SymbolLayout, pose: inout CameraPose, perspective: Double, fill: Double,
                            aspect: Double, settings: SynthSettings) -> (Int, Int, (Double, Double, Double, Double)) {
        let margin = 8.0
        while true {
            pose.focalLength = perspective * (SymbolLayout.moduleCount + 18) * pose.moduleWidth
            let visible = [Point(x: -SymbolLayout.leftQuietZone, y: -1),
                           Point(x: SymbolLayout.moduleCount + SymbolLayout.rightQuietZone, y: -1),
                           Point(x: SymbolLayout.moduleCount + SymbolLayout.rightQuietZone, y: layout.bottom + 1),
                           Point(x: -SymbolLayout.leftQuietZone, y: layout.bottom + 1)].map(pose.project)
            let bounds = CoverageMask.boundingBox(of: visible)
            let (spanX, spanY) = (bounds.2 - bounds.0 + 2 * margin, bounds.3 - bounds.1 + 2 * margin)
            let limits = (Double(settings.longSide.lowerBound), Double(settings.longSide.upperBound))
            let long = min(limits.1, max(limits.0, max(spanX, spanY) / fill))
            var (width, height) = spanX >= spanY ? (long, long * aspect) : (long * aspect, long)
            width = min(long, max(width, spanX))
            height = min(long, max(height, spanY))
            if width >= spanX && height >= spanY {
                return (Int(width.rounded(.up)), Int(height.rounded(.up)), bounds)
            }
            pose.moduleWidth *= 0.9
        }
    }
}
