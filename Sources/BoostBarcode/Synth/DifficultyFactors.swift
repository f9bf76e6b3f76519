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

    public init(path: String, modulePixels: Double, blurPixels: Double, motionPixels: Double, tiltDegrees: Double,
                rotationDegrees: Double, contrast: Double, longSidePixels: Int) {
        self.path = path
        self.modulePixels = modulePixels
        self.blurPixels = blurPixels
        self.motionPixels = motionPixels
        self.tiltDegrees = tiltDegrees
        self.rotationDegrees = rotationDegrees
        self.contrast = contrast
        self.longSidePixels = longSidePixels
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
    }

    /// Paper against fully inked paper, both through the tone curve and the features' grey weights
    /// (GreyConverter); uneven light, glare, noise and sharpening are left out.
    private static func contrast(design: LabelDesign, tone: ToneAdjustment?) -> Double {
        let paper = design.paperColour, ink = design.inkColour, density = design.inkDensity
        let inked = Colour(red: paper.red + (ink.red - paper.red) * density,
                           green: paper.green + (ink.green - paper.green) * density,
                           blue: paper.blue + (ink.blue - paper.blue) * density)
        func grey(_ colour: Colour) -> Double {
            let shown = tone?.map(colour) ?? colour
            let weights = [GreyConverter.firstChannelWeight, GreyConverter.secondChannelWeight, GreyConverter.thirdChannelWeight]
            return (0..<3).reduce(0.0) { $0 + Double(shown[$1]) * Double(weights[$1]) } / Double(1 << GreyConverter.shift)
        }
        return max(0, grey(paper) - grey(inked)) / 255
    }
}

/// `factors.csv`, written by `synth` beside each split's markup.csv: one row of difficulty factors per picture.
public enum FactorsFile {
    public static let fileName = "factors.csv"
    static let header = ["path", "module_px", "blur_px", "motion_px", "tilt_deg", "rotation_deg", "contrast", "long_side_px"]

    /// UTF-8 with a header; lengths and angles with 3 decimals, contrast with 4. Written atomically.
    public static func write(_ factors: [DifficultyFactors], to url: URL) throws {
        let rows = factors.map { row in
            [row.path] + [row.modulePixels, row.blurPixels, row.motionPixels, row.tiltDegrees, row.rotationDegrees]
                .map { String(format: "%.3f", $0) }
                + [String(format: "%.4f", row.contrast), String(row.longSidePixels)]
        }
        try HeadedTable.write(header: header, rows: rows, to: url)
    }

    /// Reads it back; a malformed line throws, naming the file and line.
    public static func read(contentsOf url: URL) throws -> [DifficultyFactors] {
        try HeadedTable.read(contentsOf: url, header: header).map { line, fields in
            let numbers = fields[1...6].compactMap(Double.init)
            guard !fields[0].isEmpty, numbers.count == 6, numbers.allSatisfy(\.isFinite),
                  let longSide = Int(fields[7]) else {
                throw BoostBarcodeError.badTableRow(path: url.path, line: line,
                                                    reason: "expected a path, six numbers and a whole pixel count")
            }
            return DifficultyFactors(path: fields[0], modulePixels: numbers[0], blurPixels: numbers[1],
                                     motionPixels: numbers[2], tiltDegrees: numbers[3], rotationDegrees: numbers[4],
                                     contrast: numbers[5], longSidePixels: longSide)
        }
    }

    /// `factors.csv` in the folder of `markup`.
    public static func url(besideMarkup markup: URL) -> URL {
        markup.deletingLastPathComponent().appendingPathComponent(fileName)
    }
}
