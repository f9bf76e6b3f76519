/// The notebook's four-point transform (DATA.md section 3, step 1), reproducing OpenCV's
/// `warpPerspective` with bilinear interpolation and a black constant border as OpenCV 4.11+ and 5
/// compute it: the inverse matrix in `Float`, source positions by fused multiply-add and one division,
/// then two linear blends, rounded half to even. Against opencv-python 5.0 this matches all but a few
/// pixels in 10 000 (OpenCV's non-vector tail at the right edge of each row rounds slightly differently).
/// The blends multiply, then add, where OpenCV's vector code fuses the two: they differ only when that
/// one rounding decides a byte's half-way case (no feature bit of the 1 000 Test photos changed).
public enum PerspectiveWarp {
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
    /// or would produce an absurdly large strip. `rows`, given H, names the only output rows needed
    /// (the others stay 0).
    public static func rectify(_ image: Image, quad: Quad, maximumPixels: Int = 1 << 26,
                               rows: ((_ height: Int) -> Range<Int>)? = nil) throws -> Image {
        let (inverse, width, height) = try mapping(of: quad, maximumPixels: maximumPixels)
        return warp(image, inverse: inverse, width: width, height: height, rows: rows?(height))
    }

    /// How many rows from the top of the picture `rectify` reads for the output rows `rows` (given H)
    /// of `quad`: the rows below it never matter. Nil when the quad cannot be rectified.
    public static func sourceRowsRead(quad: Quad, rows: (_ height: Int) -> Range<Int>) -> Int? {
        guard let (inverse, width, height) = try? mapping(of: quad, maximumPixels: 1 << 26) else { return nil }
        let needed = rows(height).clamped(to: 0..<height)
        guard !needed.isEmpty else { return 0 }
        // The source y of a homography is a ratio of two linear functions, so over the rectangle of
        // needed output pixels it is largest at a corner (while the denominator keeps its sign, which
        // it does over the rectangle when it has that sign at every corner).
        let m = inverse.m.map { Float($0) }
        var lowest = -Float.infinity
        var signs = Set<Bool>()
        for y in [needed.lowerBound, needed.upperBound - 1] {
            for x in [0, width - 1] {
                let (x, y) = (Float(x), Float(y))
                let w = fusedMultiplyAdd(m[6], x, m[7] * y + m[8])
                let sy = fusedMultiplyAdd(m[3], x, m[4] * y + m[5]) / w
                guard w != 0, sy.isFinite else { return nil }
                signs.insert(w > 0)
                lowest = max(lowest, sy)
            }
        }
        guard signs.count == 1, lowest < Float(1 << 24) else { return nil }
        // The row below the lowest position is blended in; one more for rounding.
        return max(0, Int(lowest.rounded(.down)) + 3)
    }

    /// The inverse mapping (output to source) and the output size of the four-point transform of `quad`.
    private static func mapping(of quad: Quad, maximumPixels: Int) throws -> (inverse: Homography, width: Int, height: Int) {
        // OpenCV takes the corners as 32-bit floats (`Point2f`).
        let quad = quad.roundedToFloat
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
        return (inverse, width, height)
    }

    /// Samples `image` at `inverse`(x, y) for every output pixel (x, y) in `rows` (all by default).
    public static func warp(_ image: Image, inverse: Homography, width: Int, height: Int, rows: Range<Int>? = nil) -> Image {
        var output = Image(width: width, height: height, channels: image.channels)
        let m = inverse.m.map { Float($0) }
        let (m0, m3, m6) = (m[0], m[3], m[6])
        let channels = image.channels
        let (sourceWidth, sourceHeight) = (image.width, image.height)
        let rowStride = sourceWidth * channels
        // Beyond this a position is far outside any image; it also keeps Int conversion safe.
        let limit = Float(1 << 24)
        // A row's source positions first, in a loop of its own that vectorises; then the sampling.
        var sourceX = [Float](repeating: 0, count: width), sourceY = sourceX
        image.pixels.withUnsafeBufferPointer { source in
            output.pixels.withUnsafeMutableBufferPointer { destination in
                let rows = (rows ?? 0..<height).clamped(to: 0..<height)
                var out = rows.lowerBound * width * channels
                for y in rows {
                    let rowX = m[1] * Float(y) + m[2], rowY = m[4] * Float(y) + m[5], rowW = m[7] * Float(y) + m[8]
                    sourceX.withUnsafeMutableBufferPointer { sourceX in
                        sourceY.withUnsafeMutableBufferPointer { sourceY in
                            for x in 0..<Int32(width) {
                                let w = fusedMultiplyAdd(m6, Float(x), rowW)
                                sourceX[Int(x)] = fusedMultiplyAdd(m0, Float(x), rowX) / w
                                sourceY[Int(x)] = fusedMultiplyAdd(m3, Float(x), rowY) / w
                            }
                        }
                    }
                    for x in 0..<width {
                        let (sx, sy) = (sourceX[x], sourceY[x])
                        guard abs(sx) < limit, abs(sy) < limit else {
                            out += channels
                            continue
                        }
                        let left = roundedDown(sx), top = roundedDown(sy)
                        let (alpha, beta) = (sx - left, sy - top)
                        let (ix, iy) = (Int(left), Int(top))
                        @inline(__always) func blend(_ v00: Float, _ v01: Float, _ v10: Float, _ v11: Float) -> UInt8 {
                            let upper = alpha * (v01 - v00) + v00
                            let lower = alpha * (v11 - v10) + v10
                            return roundedToByte(beta * (lower - upper) + upper)
                        }
                        if ix >= 0, ix < sourceWidth - 1, iy >= 0, iy < sourceHeight - 1 {
                            // All four neighbours inside: the common case, without the border tests.
                            let topLeft = source.baseAddress! + iy * rowStride + ix * channels
                            let bottomLeft = topLeft + rowStride
                            if channels == 3 {
                                // The three channels at once, lane by lane the same arithmetic.
                                @inline(__always) func rgb(_ p: UnsafePointer<UInt8>) -> SIMD4<Float> {
                                    SIMD4(Float(p[0]), Float(p[1]), Float(p[2]), 0)
                                }
                                let (v00, v01) = (rgb(topLeft), rgb(topLeft + 3))
                                let (v10, v11) = (rgb(bottomLeft), rgb(bottomLeft + 3))
                                let upper = alpha * (v01 - v00) + v00
                                let lower = alpha * (v11 - v10) + v10
                                let blended = beta * (lower - upper) + upper
                                for c in 0..<3 { destination[out + c] = roundedToByte(blended[c]) }
                                out += 3
                                continue
                            }
                            for c in 0..<channels {
                                destination[out + c] = blend(Float(topLeft[c]), Float(topLeft[channels + c]),
                                                             Float(bottomLeft[c]), Float(bottomLeft[channels + c]))
                            }
                            out += channels
                            continue
                        }
                        let inX0 = ix >= 0 && ix < sourceWidth, inX1 = ix + 1 >= 0 && ix + 1 < sourceWidth
                        let inY0 = iy >= 0 && iy < sourceHeight, inY1 = iy + 1 >= 0 && iy + 1 < sourceHeight
                        let base = iy * rowStride + ix * channels
                        for c in 0..<channels {
                            // A neighbour outside the source reads as the black border.
                            let v00: Float = inY0 && inX0 ? Float(source[base + c]) : 0
                            let v01: Float = inY0 && inX1 ? Float(source[base + channels + c]) : 0
                            let v10: Float = inY1 && inX0 ? Float(source[base + rowStride + c]) : 0
                            let v11: Float = inY1 && inX1 ? Float(source[base + rowStride + channels + c]) : 0
                            destination[out + c] = blend(v00, v01, v10, v11)
                        }
                        out += channels
                    }
                }
            }
        }
        return output
    }
}

/// a · b + c with one rounding, as OpenCV's vector code computes it. The product of two floats is
/// exact in a double, so this needs no FMA instruction (x86-64's baseline has none, and the library
/// call Swift falls back to is slow); the double then rounds to float, which agrees with a true
/// fused multiply-add except in rare double-rounding ties.
@inline(__always)
func fusedMultiplyAdd(_ a: Float, _ b: Float, _ c: Float) -> Float {
    Float(Double(a) * Double(b) + Double(c))
}

/// `value` (below 2²⁴ in magnitude) rounded towards −∞; `rounded(.down)` is a library call on
/// x86-64's baseline.
@inline(__always)
func roundedDown(_ value: Float) -> Float {
    let truncated = Float(Int32(value))
    return truncated > value ? truncated - 1 : truncated
}

/// `value` (within 0…255 give or take rounding) rounded half to even and clamped to a byte.
/// Adding 1.5 · 2²³ leaves the rounded value in the low bits of the sum; `rounded(.toNearestOrEven)`
/// is a library call on x86-64's baseline.
@inline(__always)
func roundedToByte(_ value: Float) -> UInt8 {
    let rounded = Int32(bitPattern: (value + 12_582_912).bitPattern) &- 0x4B40_0000
    return UInt8(truncatingIfNeeded: min(255, max(0, rounded)))
}

extension Quad {
    /// The quad with each coordinate rounded to the nearest `Float`.
    var roundedToFloat: Quad {
        func round(_ p: Point) -> Point { Point(x: Double(Float(p.x)), y: Double(Float(p.y))) }
        return Quad(topLeft: round(topLeft), topRight: round(topRight),
                    bottomRight: round(bottomRight), bottomLeft: round(bottomLeft))
    }
}
