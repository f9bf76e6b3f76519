/// A grey copy of a photo as `Float` levels (0...255), row-major: what the localizer measures.
/// Colour photos go through the project's grey weights (`GreyConverter`).
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
        var values = [Float](repeating: 0, count: image.width * image.height)
        image.pixels.withUnsafeBufferPointer { source in
            values.withUnsafeMutableBufferPointer { grey in
                if image.isGrey {
                    for i in 0..<grey.count { grey[i] = Float(source[i]) }
                } else {
                    for i in 0..<grey.count {
                        grey[i] = Float(GreyConverter.grey(source[3 * i], source[3 * i + 1], source[3 * i + 2]))
                    }
                }
            }
        }
        self.init(width: image.width, height: image.height, values: values)
    }

    /// The mean of each `factor` × `factor` block (the last, partial blocks of a row or column included).
    public func downscaled(by factor: Int) -> GreyPlane {
        precondition(factor >= 1)
        if factor == 1 { return self }
        let (outWidth, outHeight) = ((width + factor - 1) / factor, (height + factor - 1) / factor)
        var sums = [Float](repeating: 0, count: outWidth * outHeight)
        var counts = [Float](repeating: 0, count: outWidth * outHeight)
        values.withUnsafeBufferPointer { source in
            sums.withUnsafeMutableBufferPointer { sums in
                counts.withUnsafeMutableBufferPointer { counts in
                    for y in 0..<height {
                        let outRow = (y / factor) * outWidth
                        for x in 0..<width {
                            sums[outRow + x / factor] += source[y * width + x]
                            counts[outRow + x / factor] += 1
                        }
                    }
                }
            }
        }
        for i in sums.indices { sums[i] /= counts[i] }
        return GreyPlane(width: outWidth, height: outHeight, values: sums)
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
