import CGreyLevels

/// A grey copy of a photo as `Float` levels (0...255), row-major: what the localizer measures.
/// Colour photos go through the project's grey weights (`GreyConverter`), converted in C (`CGreyLevels`).
public struct GreyPlane: Sendable {
    public let width: Int
    public let height: Int
    public var values: [Float]

    public init(width: Int, height: Int, values: [Float]) {
        precondition(values.count == width * height)
        self.width = width
        self.height = height
        self.values = values
    }

    public init(_ image: Image) {
        let count = image.width * image.height
        let values = [Float](unsafeUninitializedCapacity: count) { grey, initialised in
            image.pixels.withUnsafeBufferPointer { source in
                if image.isGrey {
                    for i in 0..<count { grey[i] = Float(source[i]) }
                } else {
                    bb_grey_levels_from_rgb(source.baseAddress, count, grey.baseAddress)
                }
            }
            initialised = count
        }
        self.init(width: image.width, height: image.height, values: values)
    }

    /// The mean of each `factor` × `factor` block; a last, partial row or column of blocks is left out.
    public func downscaled(by factor: Int) -> GreyPlane {
        precondition(factor >= 1)
        if factor == 1 { return self }
        let (outWidth, outHeight) = (width / factor, height / factor)
        guard outWidth > 0, outHeight > 0 else { return self }
        var sums = [Float](repeating: 0, count: outWidth * outHeight)
        let (width, scale) = (width, 1 / Float(factor * factor))
        values.withUnsafeBufferPointer { source in
            sums.withUnsafeMutableBufferPointer { sums in
                for y in 0..<outHeight * factor {
                    let (row, outRow) = (y * width, (y / factor) * outWidth)
                    if factor == 2 {
                        // The common halving written out (the same sums: 0 + a is a), which the
                        // compiler can vectorise; a loop of run-time length per block it cannot.
                        for x in 0..<outWidth { sums[outRow + x] += source[row + 2 * x] + source[row + 2 * x + 1] }
                        continue
                    }
                    for x in 0..<outWidth {
                        var sum: Float = 0
                        for k in 0..<factor { sum += source[row + x * factor + k] }
                        sums[outRow + x] += sum
                    }
                }
                for i in 0..<sums.count { sums[i] *= scale }
            }
        }
        return GreyPlane(width: outWidth, height: outHeight, values: sums)
    }

    /// The levels stretched to the same local contrast everywhere: each pixel's difference from the mean
    /// of the `window` × `window` pixels around it (fewer at the border), over their standard deviation
    /// (plus 4 levels, so that flat paper's noise is not blown up), as 128 ± 40 per deviation, clamped
    /// to 0...255.
    public func contrastStretched(window: Int) -> GreyPlane {
        precondition(window >= 1)
        // Sums over every rectangle from the origin (one row and column of zeros first), in Double:
        // a Float sum of squares over a big photo loses the levels' last digits.
        let (stride, radius) = (width + 1, window / 2)
        var sums = [Double](repeating: 0, count: stride * (height + 1))
        var squares = sums
        for y in 0..<height {
            var (row, rowSquares) = (0.0, 0.0)
            for x in 0..<width {
                let v = Double(values[y * width + x])
                row += v
                rowSquares += v * v
                sums[(y + 1) * stride + x + 1] = sums[y * stride + x + 1] + row
                squares[(y + 1) * stride + x + 1] = squares[y * stride + x + 1] + rowSquares
            }
        }
        var stretched = [Float](repeating: 0, count: values.count)
        for y in 0..<height {
            let (top, bottom) = (max(0, y - radius), min(height, y + radius + 1))
            for x in 0..<width {
                let (left, right) = (max(0, x - radius), min(width, x + radius + 1))
                func total(_ t: [Double]) -> Double {
                    t[bottom * stride + right] - t[top * stride + right] - t[bottom * stride + left] + t[top * stride + left]
                }
                let count = Double((bottom - top) * (right - left))
                let mean = total(sums) / count
                let deviation = max(0, total(squares) / count - mean * mean).squareRoot()
                let value = 128 + 40 * (Double(values[y * width + x]) - mean) / (deviation + 4)
                stretched[y * width + x] = Float(min(max(value, 0), 255))
            }
        }
        return GreyPlane(width: width, height: height, values: stretched)
    }

    /// Bilinear sample at (x, y) in pixel-centre coordinates; positions outside take the nearest edge pixel.
    public func sample(x: Double, y: Double) -> Float {
        values.withUnsafeBufferPointer { Self.sample($0, width: width, height: height, x: x, y: y) }
    }

    /// Adds `weight` × the bilinear samples at `start + i · step`, i = 0 ..< `buffer.count`, to `buffer`.
    func accumulateLine(from start: Point, step: Point, weight: Float = 1, into buffer: inout [Float]) {
        let (width, height) = (width, height)
        values.withUnsafeBufferPointer { v in
            buffer.withUnsafeMutableBufferPointer { out in
                for i in 0..<out.count {
                    let t = Double(i)
                    out[i] += weight * Self.sample(v, width: width, height: height, x: start.x + t * step.x, y: start.y + t * step.y)
                }
            }
        }
    }

    @inline(__always)
    private static func sample(_ v: UnsafeBufferPointer<Float>, width: Int, height: Int, x: Double, y: Double) -> Float {
        let cx = min(max(x, 0), Double(width - 1)), cy = min(max(y, 0), Double(height - 1))
        let x0 = min(Int(cx), max(0, width - 2)), y0 = min(Int(cy), max(0, height - 2))
        let x1 = min(x0 + 1, width - 1), y1 = min(y0 + 1, height - 1)
        let fx = Float(cx - Double(x0)), fy = Float(cy - Double(y0))
        let (a, b) = (v[y0 * width + x0], v[y0 * width + x1])
        let (c, d) = (v[y1 * width + x0], v[y1 * width + x1])
        let top = a + (b - a) * fx, bottom = c + (d - c) * fx
        return top + (bottom - top) * fy
    }

    /// Whether (x, y) lies on the plane (pixel centres from 0 to size − 1).
    public func contains(_ point: Point) -> Bool {
        point.x >= 0 && point.y >= 0 && point.x <= Double(width - 1) && point.y <= Double(height - 1)
    }
}
