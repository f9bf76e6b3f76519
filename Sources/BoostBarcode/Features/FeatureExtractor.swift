/// Turns a photo and its quad into one feature vector, as `config` says: the notebook's band
/// histogram (`BandFeatureExtractor`), its Otsu or grey variants (`BandLevelExtractor`), or
/// guard-aligned module features (`AlignedFeatureExtractor`).
public struct FeatureExtractor: Sendable {
    public let config: FeatureConfig

    public init(config: FeatureConfig) throws {
        try config.validate()
        self.config = config
    }

    /// `quickAlignment`: guard-aligned features take the quick grid search (`GuardAligner.Search.quick`),
    /// which gives the models' features for most strips at a fraction of the cost; other presets ignore it.
    /// `bend`: the modules' spacing across the quad, for the guard-aligned presets (the others read flat).
    public func features(of image: Image, quad: Quad, bend: CylinderBend = .flat,
                         quickAlignment: Bool = false) throws -> ExtractedImageFeatures {
        switch config.alignment {
        case .none where readsStackedRowsOnly:
            return ExtractedImageFeatures(values: try BandFeatureExtractor(config: config).features(of: image, quad: quad),
                                          flipped: false)
        case .none:
            return ExtractedImageFeatures(values: try BandLevelExtractor(config: config).features(of: image, quad: quad),
                                          flipped: false)
        case .guards:
            return try AlignedFeatureExtractor(config: config).features(of: image, quad: quad, bend: bend,
                                                                        search: quickAlignment ? .quick : .exhaustive)
        }
    }
}

extension FeatureExtractor {
    /// The notebook's exact bits warp only the strip rows the stacked bands need.
    private var readsStackedRowsOnly: Bool {
        config.alignment == .none && config.threshold == .fixed && config.values == .binary
    }

    /// How many rows from the top of a picture the features of `quads` read; nil when all are read.
    /// Decoding can stop there (`PNGCodec.decode(_:path:limits:topRows:)`).
    public func pictureRowsRead(quads: [Quad]) -> Int? {
        guard readsStackedRowsOnly, let extractor = try? BandFeatureExtractor(config: config) else { return nil }
        var rows = 0
        for quad in quads {
            guard let read = extractor.pictureRowsRead(quad: quad) else { return nil }
            rows = max(rows, read)
        }
        return rows
    }
}

/// One image's features, and whether the orientation check turned the strip round.
public struct ExtractedImageFeatures: Sendable, Equatable {
    public var values: [UInt8]
    public var flipped: Bool
}

/// The notebook's bands with Otsu's threshold or grey values: the strip is rectified, resized and made
/// grey in full first (Otsu needs the whole histogram before any pixel is thresholded); then either
/// the band columns that are all white, or each band column's mean grey scaled between the strip's own
/// dark and light levels. The notebook's exact fixed-threshold bits take `BandFeatureExtractor`'s
/// faster row-by-row path.
struct BandLevelExtractor {
    let config: FeatureConfig

    func features(of image: Image, quad: Quad) throws -> [UInt8] {
        let strip = try PerspectiveWarp.rectify(image, quad: quad)
        return features(ofRectified: strip)
    }

    /// The features of an already rectified strip (any size; it is resized first).
    func features(ofRectified strip: Image) -> [UInt8] {
        let rows = config.stackedRows
        let resized = Resampler(width: config.resizedWidth, height: config.resizedHeight).resize(strip, rows: rows)
        let grey = GreyConverter.convert(resized, rows: rows)
        switch config.values {
        case .binary: return whiteColumns(ofGrey: grey)
        case .grey: return meanColumns(ofGrey: grey)
        case .localGrey: preconditionFailure("local grey levels need guard alignment (FeatureConfig.validate)")
        }
    }

    /// The grey level above which a pixel is white.
    private func threshold(ofGrey grey: Image) -> Int {
        switch config.threshold {
        case .fixed: return config.greyThreshold
        case .otsu:
            let rows = config.stackedRows
            return OtsuThreshold.level(of: grey.pixels[(rows.lowerBound * grey.width)..<(rows.upperBound * grey.width)])
        }
    }

    /// Marks, for each stacked band, the columns whose band is all (more than `columnWhiteCount`
    /// pixels) white.
    private func whiteColumns(ofGrey grey: Image) -> [UInt8] {
        let width = config.resizedWidth, bandHeight = config.bandHeight
        let threshold = threshold(ofGrey: grey)
        var features = [UInt8](repeating: 0, count: config.featureCount)
        var whiteCounts = [Int](repeating: 0, count: width)
        grey.pixels.withUnsafeBufferPointer { pixels in
            for (slot, band) in (config.firstStackedBand...config.lastStackedBand).enumerated() {
                for i in 0..<width { whiteCounts[i] = 0 }
                for y in band * bandHeight..<(band + 1) * bandHeight {
                    let row = y * width
                    for x in 0..<width where Int(pixels[row + x]) > threshold { whiteCounts[x] += 1 }
                }
                for x in 0..<width where whiteCounts[x] > config.columnWhiteCount {
                    features[slot * width + x] = 1
                }
            }
        }
        return features
    }

    /// Each stacked band's column means, scaled to 0…255 between the strip's dark and light levels.
    private func meanColumns(ofGrey grey: Image) -> [UInt8] {
        let width = config.resizedWidth, bandHeight = config.bandHeight
        var means = [Float](repeating: 0, count: config.featureCount)
        grey.pixels.withUnsafeBufferPointer { pixels in
            for (slot, band) in (config.firstStackedBand...config.lastStackedBand).enumerated() {
                for y in band * bandHeight..<(band + 1) * bandHeight {
                    let row = y * width
                    for x in 0..<width { means[slot * width + x] += Float(pixels[row + x]) }
                }
            }
        }
        means = means.map { $0 / Float(bandHeight) }
        return LevelNormaliser(means).apply(means).map { UInt8(max(0, min(255, ($0 * 255).rounded()))) }
    }
}
