import Foundation

/// The ranges a synthetic photo's size and scale are drawn from; the rest is fixed in the recipe.
public struct SynthSettings: Codable, Sendable, Equatable {
    /// Pixels on the picture's long side; the upper bound must be at least 100.
    public var longSide: ClosedRange<Int> = 400...1600
    /// Pixels per module at the symbol's centre (log-uniform).
    public var moduleWidth: ClosedRange<Double> = 1.5...6
    /// The hard cases real photos show (docs/SYNTH.md, "Hard cases"): bent labels, heavy defocus and
    /// shake, plastic-wrap glare, modules of a pixel or less, strong JPEG, print defects, labels trimmed
    /// at the guards, a second symbol, dark exposures. Off: the first generator's world (tests use it
    /// for photos that must read).
    public var hardCases = true
    /// The share of the photos the hard cases leave without heavy defocus that are defocused by a
    /// Gaussian of 0.45 to 1 module (σ) all the same, past the ordinary blur's cap of 0.45 module:
    /// the soft focus of a phone held close, whose thin bars print as grey (0: none, the worlds as
    /// they were; the shipped model's training world takes 0.2, models/README.md).
    public var softFocusShare = 0.0
    /// The share of the photos the hard cases leave without heavy defocus that get it all the same: a
    /// lens's blur disc of 1 to 3 modules' radius, as on the real defocused books (0: none, the worlds
    /// as they were).
    public var lensDefocusShare = 0.0
    /// Manufacturers per country prefix that the codes are drawn from (`CodeSampler`), or nil for a
    /// new one for every code.
    public var companiesPerPrefix: Int? = 40
    /// Camera effects left out of every picture, after all of its random choices are drawn: the
    /// same pictures without them, for measuring what each effect costs a reader (empty: none left out).
    /// Kept in `CameraEffect.allCases` order, once each: the same settings write the same `synth.json`.
    public var withoutEffects: [CameraEffect] = [] {
        didSet { withoutEffects = CameraEffect.allCases.filter(withoutEffects.contains) }
    }

    public init() {}
}

/// A camera effect of `PhotoEffects` that `SynthSettings.withoutEffects` can leave out.
public enum CameraEffect: String, CaseIterable, Codable, Sendable {
    /// Uneven light: gradient, vignetting, blotches and a shadow.
    case lighting
    /// Only the lighting's shadow edge.
    case shadow
    /// Lamp highlights and plastic-wrap streaks.
    case glare
    /// The usual Gaussian defocus and a lens's blur disc.
    case defocus
    case motion, tone, noise, sharpening, jpeg
}

/// A second symbol on the same surface as the photo's own (a book's price code beside its ISBN),
/// never wholly in the picture, so that the markup's symbol stays the one photo's code.
struct NeighbourSymbol: Sendable {
    var layout: SymbolLayout
    var design: LabelDesign
    /// Where its label origin lies in the main symbol's label units.
    var offset: Point
    /// Share of its bars region inside the picture (0...1, below 1).
    var visibleShare: Double
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
    var bend: LabelBend? = nil
    var defects: PrintDefects? = nil
    var neighbour: NeighbourSymbol? = nil

    /// Draws a recipe: a code from `codes`, then the symbol, label, pose, picture size and effects.
    static func random(codes: CodeSampler, settings: SynthSettings, using random: inout SeededRandom) -> PhotoRecipe {
        precondition(settings.longSide.upperBound >= 100 && settings.moduleWidth.lowerBound > 0)
        let layout = SymbolLayout(
            code: codes.code(using: &random), barHeight: random.logUniform(20...70),
            guardExtension: random.uniform(2.5...6), inkSpread: random.uniform(-0.25...0.25),
            digitHeight: random.uniform(6.5...10), digitGap: random.uniform(0.3...1.5))
        var design = LabelDesign.random(around: layout, using: &random)
        let hard = settings.hardCases
        // Tilts near upright are the most common; a few are steep.
        func tilt() -> Double { max(-0.7, min(0.7, 0.25 * random.normal())) }
        var moduleWidth = random.logUniform(settings.moduleWidth)
        if hard && random.chance(0.15) { moduleWidth = random.logUniform(0.75...1.5) }
        if hard && random.chance(0.08) { design.trim(random.chance(0.5) ? .left : .right, leaving: random.uniform(-0.4...1.5)) }
        let bend = hard && random.chance(0.2) ? LabelBend.random(layout: layout, using: &random) : nil
        let defects = hard && random.chance(0.15) ? PrintDefects.random(layout: layout, using: &random) : nil
        var pose = CameraPose(
            moduleWidth: moduleWidth, rotation: random.uniform(0...(2 * Double.pi)),
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
        let effects = PhotoEffects.random(width: width, height: height, moduleWidth: pose.moduleWidth, settings: settings,
                                          using: &random)
        var recipe = PhotoRecipe(layout: layout, design: design, pose: pose, width: width, height: height,
                                 backgroundSeed: backgroundSeed, effects: effects, bend: bend, defects: defects)
        if hard && bend == nil && random.chance(0.1) {
            recipe.neighbour = neighbour(of: recipe, codes: codes, using: &random)
        }
        return recipe
    }

    /// A second symbol beside, above or below this one with a gap of its own, moved further out
    /// until a quarter or more of its bars lie outside the picture; nil when it leaves it entirely.
    private static func neighbour(of recipe: PhotoRecipe, codes: CodeSampler,
                                  using random: inout SeededRandom) -> NeighbourSymbol? {
        let layout = SymbolLayout(
            code: codes.code(using: &random), barHeight: random.logUniform(15...50),
            guardExtension: random.uniform(2.5...6), inkSpread: recipe.layout.inkSpread,
            digitHeight: random.uniform(6.5...10), digitGap: random.uniform(0.3...1.5))
        let design = LabelDesign.random(around: layout, using: &random)
        let own = recipe.design.paper, other = design.paper
        let gap = random.uniform(1...10)
        // Unit steps in the main label's units: below, above, right, left.
        let (start, step): (Point, Point) = switch random.integer(in: 0...3) {
        case 0: (Point(x: random.uniform(-20...20), y: own.bottom - other.top + gap), Point(x: 0, y: 1))
        case 1: (Point(x: random.uniform(-20...20), y: own.top - other.bottom - gap), Point(x: 0, y: -1))
        case 2: (Point(x: own.right - other.left + gap, y: random.uniform(-15...15)), Point(x: 1, y: 0))
        default: (Point(x: own.left - other.right - gap, y: random.uniform(-15...15)), Point(x: -1, y: 0))
        }
        for move in stride(from: 0.0, through: 120, by: 5) {
            let offset = Point(x: start.x + step.x * move, y: start.y + step.y * move)
            let share = recipe.shareInPicture(of: layout.barsCorners.map { Point(x: $0.x + offset.x, y: $0.y + offset.y) })
            if share == 0 { return nil }
            if share <= 0.75 { return NeighbourSymbol(layout: layout, design: design, offset: offset, visibleShare: share) }
        }
        return nil
    }

    /// The share of the label-plane quad `corners` (tl, tr, br, bl, unbent) that the camera puts inside the picture, on a 24 × 8 grid.
    func shareInPicture(of corners: [Point]) -> Double {
        var inside = 0
        for row in 0..<8 {
            for column in 0..<24 {
                let (s, t) = ((Double(column) + 0.5) / 24, (Double(row) + 0.5) / 8)
                let top = Point(x: corners[0].x + (corners[1].x - corners[0].x) * s, y: corners[0].y + (corners[1].y - corners[0].y) * s)
                let bottom = Point(x: corners[3].x + (corners[2].x - corners[3].x) * s, y: corners[3].y + (corners[2].y - corners[3].y) * s)
                let p = pose.project(Point(x: top.x + (bottom.x - top.x) * t, y: top.y + (bottom.y - top.y) * t))
                if p.x >= 0, p.y >= 0, p.x <= Double(width - 1), p.y <= Double(height - 1) { inside += 1 }
            }
        }
        return Double(inside) / (24 * 8)
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
