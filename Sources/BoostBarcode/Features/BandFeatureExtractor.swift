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
        // Only the strip rows the stacked bands are resized from are warped.
        let resampler = Resampler(width: config.resizedWidth, height: config.resizedHeight)
        let strip = try PerspectiveWarp.rectify(image, quad: quad) {
            resampler.sourceRows(for: config.stackedRows, sourceHeight: $0)
        }
        return features(ofRectified: strip)
    }

    /// The features of an already rectified strip (any size; it is resized first).
    public func features(ofRectified strip: Image) -> [UInt8] {
        let rows = config.stackedRows
        let resized = Resampler(width: config.resizedWidth, height: config.resizedHeight).resize(strip, rows: rows)
        let grey = GreyConverter.convert(resized, rows: rows)
        return bandFeatures(ofGrey: grey)
    }

    /// Thresholds the grey strip and marks, for each stacked band, the columns whose band is all
    /// (more than `columnWhiteCount` pixels) white.
    func bandFeatures(ofGrey grey: Image) -> [UInt8] {
        let width = config.resizedWidth, bandHeight = config.bandHeight
        var features = [UInt8](repeating: 0, count: config.featureCount)
        var whiteCounts = [Int](repeating: 0, count: width)
        grey.pixels.withUnsafeBufferPointer { pixels in
            for (slot, band) in (config.firstStackedBand...config.lastStackedBand).enumerated() {
                for i in 0..<width { whiteCounts[i] = 0 }
                for y in band * bandHeight..<(band + 1) * bandHeight {
                    let row = y * width
                    for x in 0..<width where Int(pixels[row + x]) > config.greyThreshold { whiteCounts[x] += 1 }
                }
                for x in 0..<width where whiteCounts[x] > config.columnWhiteCount {
                    features[slot * width + x] = 1
                }
            }
        }
        return features
    }
}
