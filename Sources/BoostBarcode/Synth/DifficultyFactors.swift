import Foundation

/// How hard one synthetic picture is to read, taken from its recipe: the numbers the report bins
/// accuracy by. docs/SYNTH.md says what each one measures.
public struct DifficultyFactors: Sendable, Equatable, Codable {
    public var path: String
    /// Pixels per module along the reading direction at the centre of the bars, tilt's foreshortening included.
    public var modulePixels: Double
    /// Gaussian defocus σ in pixels, 0 when there is none.
    public var blurPixels: Double
    /// Length of the motion-blur path in pixels, 0 when there is none.
    public var motionPixels: Double
    /// Angle between the label's normal and the camera axis, degrees (0: seen square on).
    public var tiltDegrees: Double
    /// In-plane turn of the symbol, degrees in 0..<360, clockwise in the picture (180: upside down).
    public var rotationDegrees: Double
    /// Paper grey minus ink grey over 255 (0...1) after ink density and tone mapping, in even light.
    public var contrast: Double
    /// The picture's long side in pixels.
    public var longSidePixels: Int
    /// The hard cases (docs/SYNTH.md), each 0 when the picture does not have it.
    public var hard = HardCaseFactors()

    public init(path: String, modulePixels: Double, blurPixels: Double, motionPixels: Double, tiltDegrees: Double,
                rotationDegrees: Double, contrast: Double, longSidePixels: Int, hard: HardCaseFactors = HardCaseFactors()) {
        self.path = path
        self.modulePixels = modulePixels
        self.blurPixels = blurPixels
        self.motionPixels = motionPixels
        self.tiltDegrees = tiltDegrees
        self.rotationDegrees = rotationDegrees
        self.contrast = contrast
        self.longSidePixels = longSidePixels
        self.hard = hard
    }

    init(path: String, recipe: PhotoRecipe) {
        let pose = recipe.pose
        let middle = recipe.layout.barHeight / 2
        let left = pose.project(Point(x: SymbolLayout.moduleCount / 2 - 0.5, y: middle))
        let right = pose.project(Point(x: SymbolLayout.moduleCount / 2 + 0.5, y: middle))
        // The plane's normal after pitch (about x) and yaw (about y) makes cos θ = cos(pitch)·cos(yaw) with the axis.
        let tilt = acos(min(1, cos(pose.pitch) * cos(pose.yaw)))
        let turn = pose.rotation.truncatingRemainder(dividingBy: 2 * Double.pi)
        self.init(path: path, modulePixels: left.distance(to: right),
                  blurPixels: recipe.effects.defocus?.sigma ?? 0, motionPixels: recipe.effects.motion?.length ?? 0,
                  tiltDegrees: tilt * 180 / Double.pi, rotationDegrees: (turn < 0 ? turn + 2 * Double.pi : turn) * 180 / Double.pi,
                  contrast: DifficultyFactors.contrast(design: recipe.design, tone: recipe.effects.tone),
                  longSidePixels: max(recipe.width, recipe.height))
        let bend = recipe.bend
        hard = HardCaseFactors(
            bendAcrossDegrees: bend?.axis == .alongBars ? bend!.subtendedDegrees(SymbolLayout.moduleCount) : 0,
            bendAlongDegrees: bend?.axis == .alongReading ? bend!.subtendedDegrees(recipe.layout.barHeight) : 0,
            blurModules: blurPixels / modulePixels, jpegQuality: recipe.effects.jpegQuality ?? 0,
            fade: Double(recipe.defects?.fade ?? 0), flaws: recipe.defects?.flawCount ?? 0,
            quietModules: recipe.design.narrowerQuietZone, neighbourShare: recipe.neighbour?.visibleShare ?? 0,
            brightness: DifficultyFactors.grey(recipe.design.paperColour, tone: recipe.effects.tone) / 255,
            glare: DifficultyFactors.strongestGlare(recipe), discModules: (recipe.effects.lensDefocus?.radius ?? 0) / modulePixels)
    }

    /// The strongest glare over the bars region, sampled on a 24 × 6 grid of label points.
    private static func strongestGlare(_ recipe: PhotoRecipe) -> Double {
        guard !recipe.effects.glare.isEmpty,
              let placement = LabelPlacement(pose: recipe.pose, labelRectangle: recipe.design.paperCorners) else { return 0 }
        var strongest: Float = 0
        for row in 0..<6 {
            for column in 0..<24 {
                let labelPoint = Point(x: (Double(column) + 0.5) / 24 * SymbolLayout.moduleCount,
                                       y: (Double(row) + 0.5) / 6 * recipe.layout.barHeight)
                let point = placement.imagePoint(recipe.bend?.bent(labelPoint) ?? labelPoint)
                strongest = max(strongest, recipe.effects.glare.map { $0.weight(at: point) }.max() ?? 0)
            }
        }
        return Double(strongest)
    }

    /// Paper against fully inked paper, both through the tone curve and the features' grey weights
    /// (GreyConverter); uneven light, glare, noise and sharpening are left out.
    private static func contrast(design: LabelDesign, tone: ToneAdjustment?) -> Double {
        let paper = design.paperColour, ink = design.inkColour, density = design.inkDensity
        let inked = Colour(red: paper.red + (ink.red - paper.red) * density,
                           green: paper.green + (ink.green - paper.green) * density,
                           blue: paper.blue + (ink.blue - paper.blue) * density)
        return max(0, grey(paper, tone: tone) - grey(inked, tone: tone)) / 255
    }

    /// A colour's grey level (0...255) after the tone curve, with the features' weights.
    private static func grey(_ colour: Colour, tone: ToneAdjustment?) -> Double {
        let shown = tone?.map(colour) ?? colour
        let weights = [GreyConverter.firstChannelWeight, GreyConverter.secondChannelWeight, GreyConverter.thirdChannelWeight]
        return (0..<3).reduce(0.0) { $0 + Double(shown[$1]) * Double(weights[$1]) } / Double(1 << GreyConverter.shift)
    }
}

/// `factors.csv`, written by `synth` beside each split's markup.csv: one row of difficulty factors per picture.
public enum FactorsFile {
    public static let fileName = "factors.csv"
    /// The first generator's columns; a file with only these (written before the hard cases) still reads, its hard cases 0.
    static let firstColumns = ["path", "module_px", "blur_px", "motion_px", "tilt_deg", "rotation_deg", "contrast", "long_side_px"]
    static let header = firstColumns + HardCaseFactors.columns

    /// UTF-8 with a header; lengths and angles with 3 decimals, contrast with 4. Written atomically.
    public static func write(_ factors: [DifficultyFactors], to url: URL) throws {
        let rows = factors.map { row in
            [row.path] + [row.modulePixels, row.blurPixels, row.motionPixels, row.tiltDegrees, row.rotationDegrees]
                .map { String(format: "%.3f", $0) }
                + [String(format: "%.4f", row.contrast), String(row.longSidePixels)] + row.hard.fields
        }
        try HeadedTable.write(header: header, rows: rows, to: url)
    }

    /// Reads it back; a malformed line throws, naming the file and line.
    public static func read(contentsOf url: URL) throws -> [DifficultyFactors] {
        let table = try HeadedTable.read(contentsOf: url, headers: [firstColumns, header, firstColumns + HardCaseFactors.columnsBeforeDisc])
        let isFirstGenerators = table.header == 0
        return try table.rows.map { line, fields in
            let numbers = fields[1...6].compactMap(Double.init)
            let hard = isFirstGenerators ? HardCaseFactors() : HardCaseFactors(fields: Array(fields[8...]))
            guard !fields[0].isEmpty, numbers.count == 6, numbers.allSatisfy(\.isFinite),
                  let longSide = Int(fields[7]), let hard else {
                throw BoostBarcodeError.badTableRow(path: url.path, line: line,
                                                    reason: "expected a path, six numbers, a whole pixel count and the hard cases' \(HardCaseFactors.columns.count) numbers")
            }
            return DifficultyFactors(path: fields[0], modulePixels: numbers[0], blurPixels: numbers[1],
                                     motionPixels: numbers[2], tiltDegrees: numbers[3], rotationDegrees: numbers[4],
                                     contrast: numbers[5], longSidePixels: longSide, hard: hard)
        }
    }

    /// `factors.csv` in the folder of `markup`.
    public static func url(besideMarkup markup: URL) -> URL {
        markup.deletingLastPathComponent().appendingPathComponent(fileName)
    }
}
