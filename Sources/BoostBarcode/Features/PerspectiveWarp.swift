/// The notebook's four-point transform (DATA.md section 3, step 1), reproducing OpenCV's
/// `warpPerspective` with bilinear interpolation and a black constant border, in OpenCV's own
/// fixed point: source positions are rounded to 1/32 pixel and the four weights are integers
/// summing to 2^15 (`INTER_BITS` = 5, `INTER_REMAP_COEF_BITS` = 15).
public enum PerspectiveWarp {
    static let subpixelBits = 5
    static let subpixelSteps = 1 << subpixelBits
    static let weightBits = 15

    /// Output size of the four-point transform: W from the longer of the top and bottom edges,
    /// H from the longer of the left and right edges, each truncated to an integer.
    public static func rectifiedSize(of quad: Quad) -> (width: Int, height: Int) {
        func truncated(_ value: Double) -> Int { value.isFinite && value < 1e9 ? Int(value) : Int(1e9) }
        let width = max(truncated(quad.bottomRight.distance(to: quad.bottomLeft)),
                        truncated(quad.topRight.distance(to: quad.topLeft)))
        let height = max(truncated(quad.topRight.distance(to: quad.bottomRight)),
                         truncated(quad.topLeft.distance(to: quad.bottomLeft)))
        return (width, height)
    }

    /// Warps the quad of `image` onto an upright W×H image. Throws when the quad is degenerate
    /// or would produce an absurdly large strip.
    public static func rectify(_ image: Image, quad: Quad, maximumPixels: Int = 1 << 26) throws -> Image {
        let (width, height) = rectifiedSize(of: quad)
        guard width >= 1, height >= 1, width * height <= maximumPixels else {
            throw BoostBarcodeError.invalidArgument("quad gives a \(width)×\(height) strip")
        }
        let target = [Point(x: 0, y: 0), Point(x: Double(width - 1), y: 0),
                      Point(x: Double(width - 1), y: Double(height - 1)), Point(x: 0, y: Double(height - 1))]
        guard let forward = Homography.mapping(from: quad.corners, to: target),
              let inverse = forward.inverse else {
            throw BoostBarcodeError.invalidArgument("quad corners are degenerate (three in a line or repeated)")
        }
        return warp(image, inverse: inverse, width: width, height: height)
    }

    /// Samples `image` at `inverse`(x, y) for every output pixel (x, y).
    public static func warp(_ image: Image, inverse: Homography, width: Int, height: Int) -> Image {
        var output = Image(width: width, height: height, channels: image.channels)
        let m = inverse.m
        let channels = image.channels
        let (sourceWidth, sourceHeight) = (image.width, image.height)
        let rowStride = sourceWidth * channels
        image.pixels.withUnsafeBufferPointer { source in
            output.pixels.withUnsafeMutableBufferPointer { destination in
                var out = 0
                for y in 0..<height {
                    let x0 = m[1] * Double(y) + m[2]
                    let y0 = m[4] * Double(y) + m[5]
                    let w0 = m[7] * Double(y) + m[8]
                    for x in 0..<width {
                        let (sx, sy, fx, fy) = fixedPointSource(x: Double(x), x0: x0, y0: y0, w0: w0, m: m)
                        let w00 = (subpixelSteps - fx) * (subpixelSteps - fy) * 32
                        let w01 = fx * (subpixelSteps - fy) * 32
                        let w10 = (subpixelSteps - fx) * fy * 32
                        let w11 = fx * fy * 32
                        // A neighbour outside the source reads as the black border value.
                        let inX0 = sx >= 0 && sx < sourceWidth, inX1 = sx + 1 >= 0 && sx + 1 < sourceWidth
                        let inY0 = sy >= 0 && sy < sourceHeight, inY1 = sy + 1 >= 0 && sy + 1 < sourceHeight
                        let base = sy * rowStride + sx * channels
                        for c in 0..<channels {
                            var sum = 0
                            if inY0 && inX0 { sum += Int(source[base + c]) * w00 }
                            if inY0 && inX1 { sum += Int(source[base + channels + c]) * w01 }
                            if inY1 && inX0 { sum += Int(source[base + rowStride + c]) * w10 }
                            if inY1 && inX1 { sum += Int(source[base + rowStride + channels + c]) * w11 }
                            destination[out + c] = UInt8(clamping: (sum + (1 << (weightBits - 1))) >> weightBits)
                        }
                        out += channels
                    }
                }
            }
        }
        return output
    }

    /// OpenCV's per-pixel source position: scaled by 32, rounded half-to-even (`cvRound`),
    /// split into integer pixel and 1/32 fraction.
    @inline(__always)
    private static func fixedPointSource(x: Double, x0: Double, y0: Double, w0: Double, m: [Double])
        -> (Int, Int, Int, Int) {
        var w = w0 + m[6] * x
        w = w != 0 ? Double(subpixelSteps) / w : 0
        let fX = max(Double(Int32.min), min(Double(Int32.max), (x0 + m[0] * x) * w))
        let fY = max(Double(Int32.min), min(Double(Int32.max), (y0 + m[3] * x) * w))
        let X = Int(fX.rounded(.toNearestOrEven)), Y = Int(fY.rounded(.toNearestOrEven))
        let sx = min(max(X >> subpixelBits, Int(Int16.min)), Int(Int16.max))
        let sy = min(max(Y >> subpixelBits, Int(Int16.min)), Int(Int16.max))
        return (sx, sy, X & (subpixelSteps - 1), Y & (subpixelSteps - 1))
    }
}
