/// Every number of the notebook's band-histogram features (DATA.md section 3), with its defaults.
/// Saved in a model's manifest so that prediction extracts exactly what training saw.
public struct FeatureConfig: Codable, Equatable, Sendable {
    /// Columns of the resized strip.
    public var resizedWidth = 1200
    /// Rows of the resized strip.
    public var resizedHeight = 1000
    /// A grey level above this is white.
    public var greyThreshold = 50
    /// Horizontal bands the rows are split into.
    public var bandCount = 10
    /// A band column is a 1 when its white-pixel count is above this (99 = the whole band column).
    public var columnWhiteCount = 99
    /// First and last band (0-based, inclusive) whose rows are stacked into the feature vector.
    public var firstStackedBand = 3
    public var lastStackedBand = 6

    public init() {}

    /// Rows in each band.
    public var bandHeight: Int { resizedHeight / bandCount }

    /// Number of features per image: one per column of each stacked band.
    public var featureCount: Int { (lastStackedBand - firstStackedBand + 1) * resizedWidth }

    /// Rows of the resized strip that the stacked bands read.
    public var stackedRows: Range<Int> { firstStackedBand * bandHeight..<(lastStackedBand + 1) * bandHeight }

    /// Throws when the settings cannot describe a feature vector.
    public func validate() throws {
        func fail(_ reason: String) -> BoostBarcodeError { .invalidArgument("feature settings: \(reason)") }
        guard resizedWidth > 0, resizedHeight > 0 else { throw fail("resized size must be positive") }
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
    }

    /// Human-readable differences from `other`, empty when equal.
    public func differences(from other: FeatureConfig) -> [String] {
        let pairs: [(String, Int, Int)] = [
            ("resizedWidth", resizedWidth, other.resizedWidth),
            ("resizedHeight", resizedHeight, other.resizedHeight),
            ("greyThreshold", greyThreshold, other.greyThreshold),
            ("bandCount", bandCount, other.bandCount),
            ("columnWhiteCount", columnWhiteCount, other.columnWhiteCount),
            ("firstStackedBand", firstStackedBand, other.firstStackedBand),
            ("lastStackedBand", lastStackedBand, other.lastStackedBand),
        ]
        return pairs.filter { $0.1 != $0.2 }.map { "\($0.0) \($0.1) (model: \($0.2))" }
    }
}
