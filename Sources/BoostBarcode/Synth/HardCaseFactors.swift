/// How much of each hard case a synthetic picture has (docs/SYNTH.md, "Hard cases"); the columns
/// `factors.csv` gives them after the first generator's.
public struct HardCaseFactors: Sendable, Equatable, Codable {
    /// The angle the symbol's 95 modules span on a cylinder whose axis runs along the bars (a can), degrees.
    public var bendAcrossDegrees = 0.0
    /// The angle the bars' height spans on a cylinder whose axis runs along the reading direction, degrees.
    public var bendAlongDegrees = 0.0
    /// Defocus σ in modules (a Gaussian: the usual defocus and soft focus).
    public var blurModules = 0.0
    /// The JPEG quality the picture was saved at (0: not compressed).
    public var jpegQuality = 0
    /// Share of the ink's density the print lost.
    public var fade = 0.0
    /// Blank print lines and voids in the bars.
    public var flaws = 0
    /// The narrower quiet zone the label's paper leaves beside the bars, modules (negative: trimmed into the guard).
    public var quietModules = 0.0
    /// Share of a second symbol's bars inside the picture (0: none).
    public var neighbourShare = 0.0
    /// The paper's grey after the tone curve, 0...1 (dark exposures are low).
    public var brightness = 0.0
    /// The strongest glare over the bars region, 0...1.
    public var glare = 0.0
    /// Heavy defocus: the radius of the lens's blur disc in modules (0: none).
    public var discModules = 0.0

    public init() {}

    init(bendAcrossDegrees: Double, bendAlongDegrees: Double, blurModules: Double, jpegQuality: Int, fade: Double,
         flaws: Int, quietModules: Double, neighbourShare: Double, brightness: Double, glare: Double, discModules: Double) {
        (self.bendAcrossDegrees, self.bendAlongDegrees, self.blurModules) = (bendAcrossDegrees, bendAlongDegrees, blurModules)
        (self.jpegQuality, self.fade, self.flaws, self.quietModules) = (jpegQuality, fade, flaws, quietModules)
        (self.neighbourShare, self.brightness, self.glare, self.discModules) = (neighbourShare, brightness, glare, discModules)
    }

    static let columns = ["bend_across_deg", "bend_along_deg", "blur_mod", "jpeg_quality", "fade", "flaws",
                          "quiet_mod", "neighbour_share", "brightness", "glare", "disc_mod"]
    /// The columns before heavy defocus became a lens disc (its Gaussian was then in `blur_mod`): such a file still reads, its `disc_mod` 0.
    static let columnsBeforeDisc = Array(columns.dropLast())

    var fields: [String] {
        [String(format: "%.1f", bendAcrossDegrees), String(format: "%.1f", bendAlongDegrees),
         String(format: "%.3f", blurModules), String(jpegQuality), String(format: "%.3f", fade), String(flaws),
         String(format: "%.2f", quietModules), String(format: "%.3f", neighbourShare),
         String(format: "%.3f", brightness), String(format: "%.3f", glare), String(format: "%.3f", discModules)]
    }

    /// From the fields as written (`columns`, or `columnsBeforeDisc`); nil when one is missing or not a number.
    init?(fields: [String]) {
        let numbers = fields.compactMap(Double.init)
        guard [HardCaseFactors.columns.count, HardCaseFactors.columnsBeforeDisc.count].contains(fields.count),
              numbers.count == fields.count, numbers.allSatisfy(\.isFinite),
              let quality = Int(fields[3]), let flaws = Int(fields[5]) else { return nil }
        self.init(bendAcrossDegrees: numbers[0], bendAlongDegrees: numbers[1], blurModules: numbers[2], jpegQuality: quality,
                  fade: numbers[4], flaws: flaws, quietModules: numbers[6], neighbourShare: numbers[7],
                  brightness: numbers[8], glare: numbers[9], discModules: numbers.count > 10 ? numbers[10] : 0)
    }
}
