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

    /// The features of an already rectified strip (any size; it is resized first), band by band.
    /// Most band columns are plainly white: every strip pixel their resized pixels are blended from is
    /// well above the threshold, and a blend cannot fall more than a grey level below the darkest pixel
    /// it blends (`provablyWhite`). Those are 1 without being resized; the others are resized row by
    /// row over runs of neighbouring columns, turned grey, thresholded and counted at once.
    public func features(ofRectified strip: Image) -> [UInt8] {
        let width = config.resizedWidth, bandHeight = config.bandHeight, channels = strip.channels
        let columns = Resampler.Taps(sourceCount: strip.width, outputCount: width, clampsWeights: true)
        let lines = Resampler.Taps(sourceCount: strip.height, outputCount: config.resizedHeight, clampsWeights: false)
        let threshold = Int32(config.greyThreshold)
        var features = [UInt8](repeating: 0, count: config.featureCount)
        var whiteCounts = [Int32](repeating: 0, count: width)
        var upper = [Int16](repeating: 0, count: width * channels), lower = upper
        for (slot, band) in (config.firstStackedBand...config.lastStackedBand).enumerated() {
            let rows = band * bandHeight..<(band + 1) * bandHeight
            let white = provablyWhite(strip, sourceRows: lines.first[rows.lowerBound]...lines.second[rows.upperBound - 1],
                                      columns: columns)
            let runs = Self.runs(where: { !white[$0] }, count: width)
            var (upperRow, lowerRow) = (-1, -1)
            for run in runs { for x in run { whiteCounts[x] = 0 } }
            for y in rows {
                let (first, second) = (lines.first[y], lines.second[y])
                if first == lowerRow {
                    swap(&upper, &lower)
                    (upperRow, lowerRow) = (lowerRow, -1)
                }
                if first != upperRow { Self.resize(row: first, of: strip, runs: runs, columns: columns, into: &upper) }
                if second != lowerRow { Self.resize(row: second, of: strip, runs: runs, columns: columns, into: &lower) }
                (upperRow, lowerRow) = (first, second)
                let (w0, w1) = (Int16(lines.firstWeight[y]), Int16(lines.secondWeight[y]))
                upper.withUnsafeBufferPointer { upper in
                    lower.withUnsafeBufferPointer { lower in
                        whiteCounts.withUnsafeMutableBufferPointer { counts in
                            let (a, b, counts) = (upper.baseAddress!, lower.baseAddress!, counts.baseAddress!)
                            for run in runs {
                                if channels == 1 {
                                    for x in run {
                                        let grey = Resampler.verticalBlend(a[x], w0, b[x], w1)
                                        counts[x] &+= Int32(grey) > threshold ? 1 : 0
                                    }
                                } else {
                                    let (a1, b1, a2, b2) = (a + width, b + width, a + 2 * width, b + 2 * width)
                                    for x in run {
                                        let grey = GreyConverter.grey(Resampler.verticalBlend(a[x], w0, b[x], w1),
                                                                      Resampler.verticalBlend(a1[x], w0, b1[x], w1),
                                                                      Resampler.verticalBlend(a2[x], w0, b2[x], w1))
                                        counts[x] &+= Int32(grey) > threshold ? 1 : 0
                                    }
                                }
                            }
                        }
                    }
                }
            }
            // A band column is a 1 when more than `columnWhiteCount` of its pixels are white.
            for x in 0..<width where white[x] || Int(whiteCounts[x]) > config.columnWhiteCount {
                features[slot * width + x] = 1
            }
        }
        return features
    }

    /// The resized columns whose every pixel in a band, blended from `sourceRows` of `strip`, is
    /// certainly above the threshold. A horizontal then vertical blend of 8-bit values with weights
    /// summing to 2048 ± 1 comes out at least one level below the darkest of its four inputs (in each
    /// channel), hence its grey at least one level below the grey of those darkest values; two
    /// levels are allowed here.
    private func provablyWhite(_ strip: Image, sourceRows: ClosedRange<Int>, columns: Resampler.Taps) -> [Bool] {
        let channels = strip.channels, rowLength = strip.width * channels
        var darkest = [UInt8](repeating: 255, count: rowLength)
        strip.pixels.withUnsafeBufferPointer { pixels in
            darkest.withUnsafeMutableBufferPointer { darkest in
                for row in sourceRows {
                    let start = pixels.baseAddress! + row * rowLength
                    for i in 0..<rowLength { darkest[i] = min(darkest[i], start[i]) }
                }
            }
        }
        let margin = config.greyThreshold + 2
        return (0..<config.resizedWidth).map { x in
            let (left, right) = (columns.first[x] * channels, columns.second[x] * channels)
            func lowest(_ c: Int) -> UInt8 { min(darkest[left + c], darkest[right + c]) }
            let grey = channels == 1 ? lowest(0) : GreyConverter.grey(lowest(0), lowest(1), lowest(2))
            return Int(grey) > margin
        }
    }

    /// Source row `row` of `strip`, resized horizontally (channel planes) in the columns of `runs` only.
    private static func resize(row: Int, of strip: Image, runs: [Range<Int>], columns: Resampler.Taps,
                               into buffer: inout [Int16]) {
        let channels = strip.channels, width = buffer.count / channels
        strip.pixels.withUnsafeBufferPointer { pixels in
            buffer.withUnsafeMutableBufferPointer { buffer in
                let start = pixels.baseAddress! + row * strip.width * channels
                for run in runs {
                    for x in run {
                        let (left, right) = (start + columns.first[x] * channels, start + columns.second[x] * channels)
                        let (w0, w1) = (columns.firstWeight[x], columns.secondWeight[x])
                        for c in 0..<channels {
                            buffer[c * width + x] = Resampler.horizontalBlend(left[c], w0, right[c], w1)
                        }
                    }
                }
            }
        }
    }

    /// The maximal runs of `0..<count` where `isIncluded` holds.
    private static func runs(where isIncluded: (Int) -> Bool, count: Int) -> [Range<Int>] {
        var runs: [Range<Int>] = [], start: Int?
        for x in 0...count {
            let inside = x < count && isIncluded(x)
            if inside, start == nil { start = x }
            if !inside, let first = start { runs.append(first..<x); start = nil }
        }
        return runs
    }
}
