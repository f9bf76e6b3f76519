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
    /// it blends (`provablyWhite`). Those are 1 without being resized. The others are resized row by
    /// row, turned grey, thresholded and counted at once, each only until it is settled: a column is 0
    /// from its `darkLimit`-th pixel that is not white (with the notebook's 99 of 100, its first), so
    /// the columns crossing a bar drop out after a row or two.
    public func features(ofRectified strip: Image) -> [UInt8] {
        let width = config.resizedWidth, bandHeight = config.bandHeight, channels = strip.channels
        let columns = Resampler.Taps(sourceCount: strip.width, outputCount: width, clampsWeights: true)
        let lines = Resampler.Taps(sourceCount: strip.height, outputCount: config.resizedHeight, clampsWeights: false)
        let rowWeights = zip(lines.firstWeight, lines.secondWeight).map { (Int16($0), Int16($1)) }
        let threshold = Int32(config.greyThreshold)
        let darkLimit = Int32(bandHeight - config.columnWhiteCount)
        var features = [UInt8](repeating: 0, count: config.featureCount)
        var darkCounts = [Int32](repeating: 0, count: width)
        var open: [Int] = []  // the band's unsettled columns, in order
        open.reserveCapacity(width)
        var upper = [Int16](repeating: 0, count: width * channels), lower = upper
        for (slot, band) in (config.firstStackedBand...config.lastStackedBand).enumerated() {
            let rows = band * bandHeight..<(band + 1) * bandHeight
            let white = provablyWhite(strip, sourceRows: lines.first[rows.lowerBound]...lines.second[rows.upperBound - 1],
                                      columns: columns)
            open.removeAll(keepingCapacity: true)
            for x in 0..<width {
                if white[x] { features[slot * width + x] = 1 } else { open.append(x); darkCounts[x] = 0 }
            }
            // The band's output rows in segments blending the same two source rows. Resized source rows
            // are kept while the next segment blends them; the open set only shrinks, so a kept row
            // covers every column still open.
            var (upperRow, lowerRow) = (-1, -1)
            var segmentStart = rows.lowerBound
            while segmentStart < rows.upperBound, !open.isEmpty {
                let (first, second) = (lines.first[segmentStart], lines.second[segmentStart])
                var segmentEnd = segmentStart + 1
                while segmentEnd < rows.upperBound, lines.first[segmentEnd] == first,
                      lines.second[segmentEnd] == second { segmentEnd += 1 }
                if first == lowerRow {
                    swap(&upper, &lower)
                    (upperRow, lowerRow) = (lowerRow, -1)
                }
                if first != upperRow { Self.resize(row: first, of: strip, columns: open, taps: columns, into: &upper) }
                if second != lowerRow { Self.resize(row: second, of: strip, columns: open, taps: columns, into: &lower) }
                (upperRow, lowerRow) = (first, second)
                upper.withUnsafeBufferPointer { upper in
                    lower.withUnsafeBufferPointer { lower in
                        darkCounts.withUnsafeMutableBufferPointer { counts in
                            let (a, b, counts) = (upper.baseAddress!, lower.baseAddress!, counts.baseAddress!)
                            let (a1, b1, a2, b2) = (a + width, b + width, a + 2 * width, b + 2 * width)
                            let kept = open.withUnsafeMutableBufferPointer { open in
                                var kept = 0
                                for i in open.indices {
                                    let x = open[i]
                                    // Every blend of the two rows is white when their darker values are
                                    // (see `blendsAtLeast`): the column's count does not change.
                                    let certainlyWhite = channels == 1
                                        ? Int32(Self.blendsAtLeast(a[x], b[x])) > threshold
                                        : Int32(GreyConverter.grey(Self.blendsAtLeast(a[x], b[x]),
                                                                   Self.blendsAtLeast(a1[x], b1[x]),
                                                                   Self.blendsAtLeast(a2[x], b2[x]))) > threshold
                                    if !certainlyWhite {
                                        for (w0, w1) in rowWeights[segmentStart..<segmentEnd] where counts[x] < darkLimit {
                                            let grey = channels == 1
                                                ? Resampler.verticalBlend(a[x], w0, b[x], w1)
                                                : GreyConverter.grey(Resampler.verticalBlend(a[x], w0, b[x], w1),
                                                                     Resampler.verticalBlend(a1[x], w0, b1[x], w1),
                                                                     Resampler.verticalBlend(a2[x], w0, b2[x], w1))
                                            counts[x] &+= Int32(grey) > threshold ? 0 : 1
                                        }
                                    }
                                    open[kept] = x
                                    kept += counts[x] < darkLimit ? 1 : 0
                                }
                                return kept
                            }
                            open.removeLast(open.count - kept)
                        }
                    }
                }
                segmentStart = segmentEnd
            }
            for x in open { features[slot * width + x] = 1 }
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

    /// A level no vertical blend of the horizontally resized values `above` and `below` falls below.
    /// With weights w₀ + w₁ = 2048 ± 1 the two products' high halves lose less than 2.5 units of the
    /// blend's 1/32 scale, and the rounding shift takes them to levels: the blend is at least
    /// ⌊min/128⌋ − 1.
    @inline(__always)
    private static func blendsAtLeast(_ above: Int16, _ below: Int16) -> UInt8 {
        UInt8(truncatingIfNeeded: max(0, Int(min(above, below)) >> 7 - 1))
    }

    /// Source row `row` of `strip`, resized horizontally (channel planes) in `columns` only.
    private static func resize(row: Int, of strip: Image, columns: [Int], taps: Resampler.Taps,
                               into buffer: inout [Int16]) {
        let channels = strip.channels, width = buffer.count / channels
        strip.pixels.withUnsafeBufferPointer { pixels in
            buffer.withUnsafeMutableBufferPointer { buffer in
                let start = pixels.baseAddress! + row * strip.width * channels
                for x in columns {
                    let (left, right) = (start + taps.first[x] * channels, start + taps.second[x] * channels)
                    let (w0, w1) = (taps.firstWeight[x], taps.secondWeight[x])
                    for c in 0..<channels {
                        buffer[c * width + x] = Resampler.horizontalBlend(left[c], w0, right[c], w1)
                    }
                }
            }
        }
    }
}
