/// Every setting of the feature extraction, saved in a model's manifest so that prediction extracts
/// exactly what training saw. Two families:
/// - the notebook's band histograms (DATA.md section 3): the strip resized to a fixed size, bands of
///   rows, one value per band column;
/// - guard-aligned module profiles: the strip sampled in module units, the outer, centre and digit
///   edge modules located per row band, and values taken at fixed positions of the 95 modules.
/// Named presets (`FeatureConfig.named`) cover the combinations the README's ablation compares.
public struct FeatureConfig: Codable, Equatable, Sendable {
    /// How grey levels become binary values.
    public enum Threshold: String, Codable, Sendable, CaseIterable {
        /// `greyThreshold`, as the notebook.
        case fixed
        /// Otsu's threshold of the strip's own grey histogram.
        case otsu
    }

    /// Where feature columns come from.
    public enum Alignment: String, Codable, Sendable, CaseIterable {
        /// Columns of the resized strip, as the notebook: a quad a few pixels off shifts every column.
        case none
        /// Columns at fixed positions of the 95 modules, found from the guard and digit-edge modules.
        case guards
    }

    /// What one feature holds.
    public enum Values: String, Codable, Sendable, CaseIterable {
        /// 1 when the band column is white, as the notebook.
        case binary
        /// The band column's mean grey, scaled between the strip's own black and white levels (0...255).
        case grey
        /// The same grey scaled between the darkest and lightest levels of its band within
        /// `LocalLevels.radius` modules either side: glare or shadow over part of the symbol leaves
        /// its bars faint against the strip's levels, not against their neighbours'.
        case localGrey
    }

    // The notebook's band histogram.
    /// Columns of the resized strip.
    public var resizedWidth = 1200
    /// Rows of the resized strip.
    public var resizedHeight = 1000
    /// With the fixed threshold, a grey level above this is white.
    public var greyThreshold = 50
    /// Horizontal bands the rows are split into.
    public var bandCount = 10
    /// A band column is a 1 when its white-pixel count is above this (99 = the whole band column).
    public var columnWhiteCount = 99
    /// First and last band (0-based, inclusive) whose rows are stacked into the feature vector.
    public var firstStackedBand = 3
    public var lastStackedBand = 6

    // Beyond the notebook.
    public var threshold = Threshold.fixed
    public var alignment = Alignment.none
    public var values = Values.binary
    /// Detect a strip read upside down from the L/G/R parity structure, and flip it (needs guards).
    public var orientationCheck = false
    /// Add each digit slot's correlation with every L/G/R pattern and the parity evidence of the
    /// first digit (needs guards).
    public var patternScores = false
    /// Aligned features: samples per module, and bands of rows averaged separately.
    public var samplesPerModule = 3
    public var alignedBandCount = 3

    public init() {}

    // MARK: Presets

    /// The presets, from the notebook to everything on, in the order of the README's ablation.
    public static let presetNames = ["notebook", "otsu", "aligned", "aligned-grey", "oriented", "patterns", "local"]

    /// The preset `prediction` and `train` use when none is named: the best reader of the ablation.
    public static let defaultPresetName = "local"

    public static var notebook: FeatureConfig { FeatureConfig() }

    /// The preset called `name`, or nil.
    public static func named(_ name: String) -> FeatureConfig? {
        var config = FeatureConfig()
        switch name {
        case "notebook": return config
        case "otsu": config.threshold = .otsu
        case "aligned": config.threshold = .otsu; config.alignment = .guards
        case "aligned-grey": config.alignment = .guards; config.values = .grey
        case "oriented": config.alignment = .guards; config.values = .grey; config.orientationCheck = true
        case "patterns":
            config.alignment = .guards; config.values = .grey; config.orientationCheck = true
            config.patternScores = true
        case "local":
            config.alignment = .guards; config.values = .localGrey; config.orientationCheck = true
            config.patternScores = true
        default: return nil
        }
        return config
    }

    /// The name of the preset equal to this configuration, if any.
    public var presetName: String? { Self.presetNames.first { Self.named($0) == self } }

    // MARK: Shape

    /// Rows in each band of the notebook's strip.
    public var bandHeight: Int { resizedHeight / bandCount }

    /// Rows of the resized strip that the stacked bands read.
    public var stackedRows: Range<Int> { firstStackedBand * bandHeight..<(lastStackedBand + 1) * bandHeight }

    /// Number of features per image.
    public var featureCount: Int {
        switch alignment {
        case .none: return (lastStackedBand - firstStackedBand + 1) * resizedWidth
        case .guards:
            let profile = alignedBandCount * EAN13Symbology.moduleCount * samplesPerModule
            return profile + (patternScores ? PatternScores.featureCount : 0)
        }
    }

    /// Throws when the settings cannot describe a feature vector.
    public func validate() throws {
        func fail(_ reason: String) -> BoostBarcodeError { .invalidArgument("feature settings: \(reason)") }
        guard resizedWidth > 0, resizedHeight > 0 else { throw fail("resized size must be positive") }
        guard resizedWidth * resizedHeight <= 1 << 26 else { throw fail("resized strip too large") }
        guard bandCount > 0, resizedHeight % bandCount == 0 else {
            throw fail("band count \(bandCount) must divide the resized height \(resizedHeight)")
        }
        guard 0 <= firstStackedBand, firstStackedBand <= lastStackedBand, lastStackedBand < bandCount else {
            throw fail("stacked bands \(firstStackedBand)...\(lastStackedBand) must lie in 0..<\(bandCount)")
        }
        guard (0...255).contains(greyThreshold) else { throw fail("grey threshold must be 0...255") }
        guard columnWhiteCount < bandHeight else {
            throw fail("column white count \(columnWhiteCount) must be below the band height \(bandHeight)")
        }
        guard (1...8).contains(samplesPerModule) else { throw fail("samples per module must be 1...8") }
        guard (1...ModuleStrip.rowCount).contains(alignedBandCount), ModuleStrip.rowCount % alignedBandCount == 0 else {
            throw fail("aligned band count must divide \(ModuleStrip.rowCount)")
        }
        if alignment == .none && (orientationCheck || patternScores) {
            throw fail("the orientation check and pattern scores need guard alignment")
        }
        if alignment == .none && values == .localGrey { throw fail("local grey levels need guard alignment") }
    }

    /// Human-readable differences from `other`, empty when equal.
    public func differences(from other: FeatureConfig) -> [String] {
        let pairs: [(String, String, String)] = [
            ("resizedWidth", "\(resizedWidth)", "\(other.resizedWidth)"),
            ("resizedHeight", "\(resizedHeight)", "\(other.resizedHeight)"),
            ("greyThreshold", "\(greyThreshold)", "\(other.greyThreshold)"),
            ("bandCount", "\(bandCount)", "\(other.bandCount)"),
            ("columnWhiteCount", "\(columnWhiteCount)", "\(other.columnWhiteCount)"),
            ("firstStackedBand", "\(firstStackedBand)", "\(other.firstStackedBand)"),
            ("lastStackedBand", "\(lastStackedBand)", "\(other.lastStackedBand)"),
            ("threshold", threshold.rawValue, other.threshold.rawValue),
            ("alignment", alignment.rawValue, other.alignment.rawValue),
            ("values", values.rawValue, other.values.rawValue),
            ("orientationCheck", "\(orientationCheck)", "\(other.orientationCheck)"),
            ("patternScores", "\(patternScores)", "\(other.patternScores)"),
            ("samplesPerModule", "\(samplesPerModule)", "\(other.samplesPerModule)"),
            ("alignedBandCount", "\(alignedBandCount)", "\(other.alignedBandCount)"),
        ]
        return pairs.filter { $0.1 != $0.2 }.map { "\($0.0) \($0.1) (model: \($0.2))" }
    }

    // Manifests written before the options beyond the notebook existed read as the notebook's settings.
    private enum CodingKeys: String, CodingKey {
        case resizedWidth, resizedHeight, greyThreshold, bandCount, columnWhiteCount, firstStackedBand,
             lastStackedBand, threshold, alignment, values, orientationCheck, patternScores, samplesPerModule,
             alignedBandCount
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = FeatureConfig()
        resizedWidth = try c.decode(Int.self, forKey: .resizedWidth)
        resizedHeight = try c.decode(Int.self, forKey: .resizedHeight)
        greyThreshold = try c.decode(Int.self, forKey: .greyThreshold)
        bandCount = try c.decode(Int.self, forKey: .bandCount)
        columnWhiteCount = try c.decode(Int.self, forKey: .columnWhiteCount)
        firstStackedBand = try c.decode(Int.self, forKey: .firstStackedBand)
        lastStackedBand = try c.decode(Int.self, forKey: .lastStackedBand)
        threshold = try c.decodeIfPresent(Threshold.self, forKey: .threshold) ?? defaults.threshold
        alignment = try c.decodeIfPresent(Alignment.self, forKey: .alignment) ?? defaults.alignment
        values = try c.decodeIfPresent(Values.self, forKey: .values) ?? defaults.values
        orientationCheck = try c.decodeIfPresent(Bool.self, forKey: .orientationCheck) ?? defaults.orientationCheck
        patternScores = try c.decodeIfPresent(Bool.self, forKey: .patternScores) ?? defaults.patternScores
        samplesPerModule = try c.decodeIfPresent(Int.self, forKey: .samplesPerModule) ?? defaults.samplesPerModule
        alignedBandCount = try c.decodeIfPresent(Int.self, forKey: .alignedBandCount) ?? defaults.alignedBandCount
    }
}
