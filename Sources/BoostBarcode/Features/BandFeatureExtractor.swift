/// Turns a photo and its quad into the notebook's stacked band histogram (DATA.md section 3):
/// rectify → resize → grey → threshold → per-band column white counts → binary features.
public struct BandFeatureExtractor: Sendable {
    public let config: FeatureConfig

    public init(config: FeatureConfig = FeatureConfig()) throws {
        try config.validate()
        self.config = config
    }

    /// The feature vector (0 or 1 each, `config.featureCount` long) of `image` inside `quad`.
    public func features(of image: Image, quad: Quad) throws -> [UInt8] {
        let strip = try PerspectiveWarp.rectify(image, quad: quad, rows: stripRows)
        return features(ofRectified: strip)
    }

    /// How many rows from the top of the picture the features of `quad` read (nil: all of them).
    public func pictureRowsRead(quad: Quad) -> Int? {
        PerspectiveWarp.sourceRowsRead(quad: quad, rows: stripRows)
    }

    /// Only the strip rows the stacked bands are resized from are warped.
    private func stripRows(height: Int) -> Range<Int> {
        Resampler(width: config.resizedWidth, height: config.resizedHeight)
            .sourceRows(for: config.stackedRows, sourceHeight: height)
    }

    /// The features of an already rectified strip (any size; it is resized first). Row by row:
    /// each resized row is turned grey, thresholded and counted at once, so no full-size image is made.
    public func features(ofRectified strip: Image) -> [UInt8] {
        let width = config.resizedWidth, bandHeight = config.bandHeight, firstBand = config.firstStackedBand
        let threshold = Int32(config.greyThreshold), isGrey = strip.isGrey
        var whiteCounts = [Int32](repeating: 0, count: config.featureCount)
        whiteCounts.withUnsafeMutableBufferPointer { counts in
            Resampler(width: width, height: config.resizedHeight).forEachRow(of: strip, rows: config.stackedRows) { y, planes in
                let band = counts.baseAddress! + (y / bandHeight - firstBand) * width
                let first = planes.baseAddress!
                if isGrey {
                    for x in 0..<width { band[x] &+= Int32(first[x]) > threshold ? 1 : 0 }
                } else {
                    let (second, third) = (first + width, first + 2 * width)
                    for x in 0..<width {
                        band[x] &+= Int32(GreyConverter.grey(first[x], second[x], third[x])) > threshold ? 1 : 0
                    }
                }
            }
        }
        // A band column is a 1 when more than `columnWhiteCount` of its pixels are white.
        return whiteCounts.map { Int($0) > config.columnWhiteCount ? 1 : 0 }
    }
}
