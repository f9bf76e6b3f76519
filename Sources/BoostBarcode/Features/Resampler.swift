/// Bilinear resize with OpenCV's `INTER_LINEAR` conventions for 8-bit images (DATA.md section 3,
/// step 2): pixel centres map as `src = (dst + 0.5) · scale − 0.5` (computed in `Float`), weights are
/// 11-bit fixed point, and the vertical pass rounds as OpenCV's SIMD path does. Checked bit for bit
/// against opencv-python's `cv2.resize` on random images, up- and downscaled.
/// Not reproduced: OpenCV switches to `INTER_AREA` for an exact 2× downscale in both axes.
public struct Resampler: Sendable {
    public let width: Int
    public let height: Int

    static let weightBits = 11
    static let weightScale = 1 << weightBits

    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    /// One axis of the resize: for each output index, two source indices and their weights.
    ///
    /// At the edges OpenCV treats the axes differently: across columns it moves the position onto the
    /// edge pixel (weights 1 and 0); across rows it keeps the weights and repeats the edge row, which
    /// rounds differently in fixed point. `clampsWeights` picks the column rule.
    struct Taps {
        var first: [Int] = []
        var second: [Int] = []
        var firstWeight: [Int] = []
        var secondWeight: [Int] = []

        init(sourceCount: Int, outputCount: Int, clampsWeights: Bool) {
            first.reserveCapacity(outputCount)
            second.reserveCapacity(outputCount)
            firstWeight.reserveCapacity(outputCount)
            secondWeight.reserveCapacity(outputCount)
            for output in 0..<outputCount {
                let tap = Self.tap(output, sourceCount: sourceCount, outputCount: outputCount, clampsWeights: clampsWeights)
                first.append(tap.first)
                second.append(tap.second)
                firstWeight.append(tap.firstWeight)
                secondWeight.append(tap.secondWeight)
            }
        }

        /// The two source indices and weights of one output index.
        static func tap(_ output: Int, sourceCount: Int, outputCount: Int, clampsWeights: Bool)
            -> (first: Int, second: Int, firstWeight: Int, secondWeight: Int) {
            let scale = Double(sourceCount) / Double(outputCount)
            var fraction = Float((Double(output) + 0.5) * scale - 0.5)
            var source = Int(fraction.rounded(.down))
            fraction -= Float(source)
            if clampsWeights {
                if source < 0 { (source, fraction) = (0, 0) }
                if source >= sourceCount - 1 { (source, fraction) = (sourceCount - 1, 0) }
            }
            // saturate_cast<short>(float) rounds half to even.
            return (min(max(source, 0), sourceCount - 1), min(max(source + 1, 0), sourceCount - 1),
                    Int(((1 - fraction) * Float(weightScale)).rounded(.toNearestOrEven)),
                    Int((fraction * Float(weightScale)).rounded(.toNearestOrEven)))
        }
    }

    /// The source rows that output rows `rows` read from an image `sourceHeight` rows high.
    public func sourceRows(for rows: Range<Int>, sourceHeight: Int) -> Range<Int> {
        let top = Taps.tap(rows.lowerBound, sourceCount: sourceHeight, outputCount: height, clampsWeights: false)
        let bottom = Taps.tap(rows.upperBound - 1, sourceCount: sourceHeight, outputCount: height, clampsWeights: false)
        return top.first..<bottom.second + 1
    }

    /// Resizes `image` to `width`×`height`, computing only the output rows in `rows`
    /// (the others stay 0): the features read only a few bands.
    public func resize(_ image: Image, rows: Range<Int>? = nil) -> Image {
        var output = Image(width: width, height: height, channels: image.channels)
        let channels = image.channels, rowLength = width * image.channels
        output.pixels.withUnsafeMutableBufferPointer { destination in
            forEachRow(of: image, rows: rows ?? 0..<height) { y, planes in
                let out = destination.baseAddress! + y * rowLength
                for c in 0..<channels {
                    for x in 0..<width { out[x * channels + c] = planes[c * width + x] }
                }
            }
        }
        return output
    }

    /// Computes the output rows in `rows` one at a time and hands each to `body` with its index, as
    /// channel planes (channel c's `width` values at `c * width`). The buffer is reused: no full-size
    /// image is made. Rows are 16-bit fixed point between the passes, as in OpenCV, so that the
    /// vertical pass vectorises (a 16×16-bit high multiply).
    public func forEachRow(of image: Image, rows: Range<Int>, _ body: (Int, UnsafeBufferPointer<UInt8>) -> Void) {
        let channels = image.channels
        let columns = Taps(sourceCount: image.width, outputCount: width, clampsWeights: true)
        let lines = Taps(sourceCount: image.height, outputCount: height, clampsWeights: false)
        let rowLength = width * channels
        var above = [Int16](repeating: 0, count: rowLength)
        var below = [Int16](repeating: 0, count: rowLength)
        var planes = [UInt8](repeating: 0, count: rowLength)
        image.pixels.withUnsafeBufferPointer { source in
            // Neighbouring output rows mostly read the same source rows: resize each source row once.
            var (aboveRow, belowRow) = (-1, -1)
            for y in rows {
                if lines.first[y] == belowRow {
                    swap(&above, &below)
                    (aboveRow, belowRow) = (belowRow, -1)
                }
                if lines.first[y] != aboveRow {
                    aboveRow = lines.first[y]
                    horizontalPass(source, row: aboveRow, sourceWidth: image.width, channels: channels,
                                   taps: columns, into: &above)
                }
                if lines.second[y] != belowRow {
                    belowRow = lines.second[y]
                    horizontalPass(source, row: belowRow, sourceWidth: image.width, channels: channels,
                                   taps: columns, into: &below)
                }
                let weightAbove = Int16(lines.firstWeight[y]), weightBelow = Int16(lines.secondWeight[y])
                planes.withUnsafeMutableBufferPointer { out in
                    above.withUnsafeBufferPointer { above in
                        below.withUnsafeBufferPointer { below in
                            let (out, above, below) = (out.baseAddress!, above.baseAddress!, below.baseAddress!)
                            for i in 0..<rowLength {
                                out[i] = Self.verticalBlend(above[i], weightAbove, below[i], weightBelow)
                            }
                        }
                    }
                    body(y, UnsafeBufferPointer(out))
                }
            }
        }
    }

    /// One source row, resized horizontally into 11-bit fixed point (value × 2048), then shifted
    /// right by 4 to the 16-bit range OpenCV's vertical SIMD step works in; stored as channel planes.
    private func horizontalPass(_ source: UnsafeBufferPointer<UInt8>, row: Int, sourceWidth: Int,
                                channels: Int, taps: Taps, into buffer: inout [Int16]) {
        let rowStart = row * sourceWidth * channels
        buffer.withUnsafeMutableBufferPointer { buffer in
            for x in 0..<width {
                let left = rowStart + taps.first[x] * channels
                let right = rowStart + taps.second[x] * channels
                let (w0, w1) = (taps.firstWeight[x], taps.secondWeight[x])
                for c in 0..<channels {
                    buffer[c * width + x] = Self.horizontalBlend(source[left + c], w0, source[right + c], w1)
                }
            }
        }
    }

    /// One horizontal step: two neighbours in 11-bit fixed point, shifted right by 4 to the 16-bit
    /// range the vertical step works in.
    @inline(__always)
    static func horizontalBlend(_ left: UInt8, _ leftWeight: Int, _ right: UInt8, _ rightWeight: Int) -> Int16 {
        Int16(truncatingIfNeeded: (Int(left) &* leftWeight &+ Int(right) &* rightWeight) >> 4)
    }

    /// OpenCV's SIMD vertical step: the high half of each 16×16-bit product, summed, then a rounding
    /// shift by 2; a rounded >> 22 but for the dropped low bits. (Inputs are at most 255 · 2048 >> 4,
    /// so nothing saturates.)
    @inline(__always)
    static func verticalBlend(_ above: Int16, _ weightAbove: Int16, _ below: Int16, _ weightBelow: Int16) -> UInt8 {
        let high = { (a: Int16, b: Int16) in Int16(truncatingIfNeeded: (Int32(a) &* Int32(b)) >> 16) }
        let sum = high(above, weightAbove) &+ high(below, weightBelow)
        return UInt8(truncatingIfNeeded: min(255, max(0, (sum &+ 2) >> 2)))
    }
}
