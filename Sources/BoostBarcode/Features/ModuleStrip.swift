import Foundation

/// The grey levels of a symbol sampled in module units: the quad's left edge is module 0, its right
/// edge module 95, and the strip reaches `marginModules` beyond both, so that a guard bar which an
/// imperfect quad cuts off is still there to be found. Rows run across the bars from 5 % to 95 % of
/// the quad's height (a quad a little too tall or too short still reads bars).
struct ModuleStrip {
    static let samplesPerModule = 4
    static let marginModules = 8
    static let rowCount = 24
    static let columnCount = (EAN13Symbology.moduleCount + 2 * marginModules) * samplesPerModule

    /// `values[row * columnCount + column]`, grey levels 0...255.
    var values: [Float]

    /// Strip column (fractional) of module position `module` (0 = the quad's left edge).
    static func column(ofModule module: Double) -> Double {
        (module + Double(marginModules)) * Double(samplesPerModule) - 0.5
    }

    /// Each column's sum over the rows: the strip's profile across the bars.
    var columnSums: [Float] {
        let columns = Self.columnCount
        var sums = [Float](repeating: 0, count: columns)
        for row in 0..<Self.rowCount { for c in 0..<columns { sums[c] += values[row * columns + c] } }
        return sums
    }

    /// Samples `image` inside and around `quad`, its modules spaced as `bend` puts them (flat: evenly).
    /// Throws when the quad's corners are degenerate.
    init(image: Image, quad: Quad, bend: CylinderBend = .flat) throws {
        guard let toImage = Homography.fromUnitSquare(to: quad) else {
            throw BoostBarcodeError.invalidArgument("quad corners are degenerate (three in a line or repeated)")
        }
        let columns = Self.columnCount, moduleCount = Double(EAN13Symbology.moduleCount)
        values = [Float](repeating: 0, count: Self.rowCount * columns)
        // Neighbouring columns may lie several source pixels apart on a big photo: average a few taps
        // across each column's footprint so that thin bars are not skipped.
        let centre = toImage.apply(Point(x: 0.5, y: 0.5))
        let step = toImage.apply(Point(x: 0.5 + 1 / (moduleCount * Double(Self.samplesPerModule)), y: 0.5))
        let spacing = ((step.x - centre.x) * (step.x - centre.x) + (step.y - centre.y) * (step.y - centre.y)).squareRoot()
        let taps = max(1, min(4, Int(spacing.rounded(.up))))
        let m = toImage.m
        // Where each block of eight columns' taps lies across the quad: the same on every row (and, bent,
        // the dearest part of a sample).
        let blocks = stride(from: 0, to: columns, by: 8).map { $0 }
        let quadFractions: [SIMD8<Double>] = blocks.flatMap { first in
            var column = SIMD8<Double>()
            for lane in 0..<8 { column[lane] = Double(first + lane) }
            return (0..<taps).map { tap in
                let module = (column + (Double(tap) + 0.5) / Double(taps)) / Double(Self.samplesPerModule)
                    - Double(Self.marginModules)
                var u = module / moduleCount
                if bend != .flat { for lane in 0..<8 { u[lane] = bend.quadFraction(ofSymbolFraction: u[lane]) } }
                return u
            }
        }
        values.withUnsafeMutableBufferPointer { out in
            BilinearGreySampler.sampling(image) { sampler in
                for row in 0..<Self.rowCount {
                    let v = 0.05 + 0.9 * (Double(row) + 0.5) / Double(Self.rowCount)
                    // Eight columns at a time, each lane with the arithmetic of `Homography.apply` and
                    // `BilinearGreySampler.grey` (the values are the same as one at a time).
                    let (wRow, xRow, yRow) = (m[7] * v, m[1] * v, m[4] * v)
                    for (block, first) in blocks.enumerated() {
                        var sum = SIMD8<Float>(repeating: 0)
                        for tap in 0..<taps {
                            let u = quadFractions[block * taps + tap]
                            let w = m[6] * u + wRow + m[8]
                            sum += sampler.grey(x: (m[0] * u + xRow + m[2]) / w, y: (m[3] * u + yRow + m[5]) / w)
                        }
                        let samples = sum / Float(taps)
                        for lane in 0..<min(8, columns - first) { out[row * columns + first + lane] = samples[lane] }
                    }
                }
            }
        }
    }
}

/// Where a symbol's modules lie across its quad when the label is wrapped round a cylinder whose axis
/// runs along the bars (a can, a bottle): seen from in front, a module at angle θ round the axis from
/// the line nearest the camera is cos θ as wide, which no quad's straight perspective follows. The
/// symbol spans `halfAngle` (radians) either side of its middle, which lies `turn` (radians) round
/// from that nearest line (0: the middle faces the camera); flat is a half angle of 0.
public struct CylinderBend: Sendable, Equatable {
    public var halfAngle: Double
    public var turn: Double

    public static let flat = CylinderBend(halfAngle: 0)

    public init(halfAngle: Double, turn: Double = 0) {
        self.halfAngle = halfAngle
        self.turn = turn
    }

    /// The fraction (0 at the quad's left edge, 1 at its right) across the quad, seen flat, where the
    /// symbol's `fraction` of its width along the surface lies. Beyond the symbol the surface goes on
    /// at the slope of its ends (the quiet zones are only a few modules).
    func quadFraction(ofSymbolFraction fraction: Double) -> Double {
        guard halfAngle > 1e-6 else { return fraction }
        let first = turn - halfAngle
        let span = sin(turn + halfAngle) - sin(first)
        let t = min(max(fraction, 0), 1)
        let inside = (sin(first + 2 * halfAngle * t) - sin(first)) / span
        let slope = 2 * halfAngle * cos(first + 2 * halfAngle * t) / span
        return inside + (fraction - t) * slope
    }
}

/// Grey level of an image at any real position: bilinear, edges clamped (the border repeats, so a
/// strip reaching past the picture reads paper or background rather than black).
struct BilinearGreySampler {
    private let pixels: UnsafeBufferPointer<UInt8>
    private let width: Int
    private let height: Int
    private let channels: Int

    /// Runs `body` with a sampler of `image` (its pixels are borrowed for the call).
    static func sampling<Result>(_ image: Image, _ body: (BilinearGreySampler) throws -> Result) rethrows -> Result {
        try image.pixels.withUnsafeBufferPointer { pixels in
            try body(BilinearGreySampler(pixels: pixels, width: image.width, height: image.height, channels: image.channels))
        }
    }

    private init(pixels: UnsafeBufferPointer<UInt8>, width: Int, height: Int, channels: Int) {
        (self.pixels, self.width, self.height, self.channels) = (pixels, width, height, channels)
    }

    func grey(x: Double, y: Double) -> Float {
        guard x.isFinite, y.isFinite else { return 0 }
        let maxX = Double(width - 1), maxY = Double(height - 1)
        let cx = min(max(x, 0), maxX), cy = min(max(y, 0), maxY)
        let x0 = Int(cx), y0 = Int(cy)
        let x1 = min(x0 + 1, width - 1), y1 = min(y0 + 1, height - 1)
        let ax = Float(cx - Double(x0)), ay = Float(cy - Double(y0))
        let top = lerp(level(x0, y0), level(x1, y0), ax)
        let bottom = lerp(level(x0, y1), level(x1, y1), ax)
        return lerp(top, bottom, ay)
    }

    /// `grey(x:y:)` at eight positions, lane by lane the same arithmetic: each lane's corners are
    /// gathered one by one as integers, converted, and their luma and the blends taken eight at a time.
    func grey(x: SIMD8<Double>, y: SIMD8<Double>) -> SIMD8<Float> {
        let maxX = Double(width - 1), maxY = Double(height - 1)
        // Rows of eight lanes: 0..<12 the four corners' channels (corner by corner; one row each when
        // grey); the fractions across and down apart.
        var (ax, ay) = (SIMD8<Float>(), SIMD8<Float>())
        return withUnsafeTemporaryAllocation(of: Int32.self, capacity: 12 * 8) { scratch in
            let rows = scratch.baseAddress!
            let perCorner = channels == 1 ? 1 : 3
            for lane in 0..<8 {
                let (px, py) = (x[lane], y[lane])
                guard px.isFinite, py.isFinite else {
                    // The scalar sampler's 0: every corner 0.
                    for row in 0..<12 { rows[8 * row + lane] = 0 }
                    continue
                }
                let cx = min(max(px, 0), maxX), cy = min(max(py, 0), maxY)
                let x0 = Int(cx), y0 = Int(cy)
                let x1 = min(x0 + 1, width - 1), y1 = min(y0 + 1, height - 1)
                ax[lane] = Float(cx - Double(x0))
                ay[lane] = Float(cy - Double(y0))
                let corners = SIMD4<Int>(y0 * width + x0, y0 * width + x1, y1 * width + x0, y1 * width + x1) &* channels
                for corner in 0..<4 {
                    for channel in 0..<perCorner {
                        rows[8 * (perCorner * corner + channel) + lane] = Int32(pixels[corners[corner] + channel])
                    }
                }
            }
            // Levels 0...255 convert exactly, eight at a time as one at a time.
            func row(_ index: Int) -> SIMD8<Float> {
                SIMD8<Float>(UnsafeRawPointer(rows + 8 * index).loadUnaligned(as: SIMD8<Int32>.self))
            }
            func level(_ corner: Int) -> SIMD8<Float> {
                perCorner == 1 ? row(corner) : 0.299 * row(3 * corner) + 0.587 * row(3 * corner + 1) + 0.114 * row(3 * corner + 2)
            }
            let upper = level(0) + (level(1) - level(0)) * ax
            let lower = level(2) + (level(3) - level(2)) * ax
            return upper + (lower - upper) * ay
        }
    }

    @inline(__always)
    private func lerp(_ a: Float, _ b: Float, _ t: Float) -> Float { a + (b - a) * t }

    /// Luma (BT.601) of one pixel.
    @inline(__always)
    private func level(_ x: Int, _ y: Int) -> Float {
        let offset = (y * width + x) * channels
        if channels == 1 { return Float(pixels[offset]) }
        return 0.299 * Float(pixels[offset]) + 0.587 * Float(pixels[offset + 1]) + 0.114 * Float(pixels[offset + 2])
    }
}
