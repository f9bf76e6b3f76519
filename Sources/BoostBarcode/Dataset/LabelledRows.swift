/// Feature rows and the code each row's image shows.
public struct LabelledRows: Sendable {
    public var features: FeatureMatrix
    public var codes: [EAN13Code]

    public init(features: FeatureMatrix, codes: [EAN13Code]) {
        self.features = features
        self.codes = codes
    }

    /// The rows of `extracted`, each with its markup row's code (which every row must have).
    public init(_ extracted: ExtractedFeatures) {
        self.init(features: extracted.features, codes: extracted.rows.map { $0.code! })
    }
}
