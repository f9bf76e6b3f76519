import Foundation

/// Gaussian blur, separable, edges repeated: an out-of-focus lens, and the smoothing behind sharpening.
struct GaussianBlur: Sendable {
    /// Standard deviation in pixels.
    var sigma: Double

    func apply(to planes: inout ColourPlanes) {
        guard sigma > 0.05 else { return }
        let radius = max(1, Int((3 * sigma).rounded(.up)))
        var kernel = (-radius...radius).map { Float(exp(-Double($0 * $0) / (2 * sigma * sigma))) }
        let total = kernel.reduce(0, +)
        kernel = kernel.map { $0 / total }
        let (width, height, plane) = (planes.width, planes.height, planes.planeSize)
        var padded = [Float](repeating: 0, count: width + 2 * radius)
        var column = [Float](repeating: 0, count: plane)
        planes.values.withUnsafeMutableBufferPointer { values in
            kernel.withUnsafeBufferPointer { kernel in
                for channel in 0..<3 {
                    let base = channel * plane
                    // Rows: copy each row with repeated ends, then convolve back into place.
                    padded.withUnsafeMutableBufferPointer { padded in
                        for y in 0..<height {
                            let row = base + y * width
                            for x in 0..<padded.count { padded[x] = values[row + min(width - 1, max(0, x - radius))] }
                            for x in 0..<width { values[row + x] = 0 }
                            // One tap across the whole row at a time, which the compiler vectorises.
                            for k in 0..<kernel.count {
                                let weight = kernel[k]
                                for x in 0..<width { values[row + x] += weight * padded[x + k] }
                            }
                        }
                    }
                    // Columns: whole rows at a time, which keeps memory access sequential.
                    column.withUnsafeMutableBufferPointer { out in
                        for y in 0..<height {
                            for x in 0..<width { out[y * width + x] = 0 }
                            for k in 0..<kernel.count {
                                let source = base + min(height - 1, max(0, y + k - radius)) * width
                                let weight = kernel[k]
                                for x in 0..<width { out[y * width + x] += weight * values[source + x] }
                            }
                        }
                        for index in 0..<plane { values[base + index] = out[index] }
                    }
                }
            }
        }
    }
}

/// Camera shake: the picture averaged along a short straight path.
struct MotionBlur: Sendable {
    /// Path length in pixels, and its direction in radians.
    var length: Double
    var angle: Double

    func apply(to planes: inout ColourPlanes) {
        let steps = max(2, Int(length.rounded(.up)) + 1)
        let source = planes.values
        let (width, height, plane) = (planes.width, planes.height, planes.planeSize)
        let weight = Float(1) / Float(steps)
        planes.values.withUnsafeMutableBufferPointer { values in
            for index in values.indices { values[index] = 0 }
            source.withUnsafeBufferPointer { source in
                for step in 0..<steps {
                    let t = (Double(step) / Double(steps - 1) - 0.5) * length
                    let (shiftX, shiftY) = (t * cos(angle), t * sin(angle))
                    let (baseX, baseY) = (Int(shiftX.rounded(.down)), Int(shiftY.rounded(.down)))
                    let (fx, fy) = (Float(shiftX - Double(baseX)), Float(shiftY - Double(baseY)))
                    let corners: [(Int, Int, Float)] = [(0, 0, (1 - fx) * (1 - fy)), (1, 0, fx * (1 - fy)),
                                                        (0, 1, (1 - fx) * fy), (1, 1, fx * fy)]
                    for (offsetX, offsetY, share) in corners where share > 0 {
                        let w = weight * share
                        for y in 0..<height {
                            let sourceRow = min(height - 1, max(0, y + baseY + offsetY)) * width
                            for x in 0..<width {
                                let sourceX = min(width - 1, max(0, x + baseX + offsetX))
                                for channel in 0..<3 {
                                    values[channel * plane + y * width + x] += w * source[channel * plane + sourceRow + sourceX]
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The phone's sharpening (unsharp mask): edges pushed apart, with light and dark halos.
struct Sharpening: Sendable {
    var amount: Float
    var sigma: Double

    func apply(to planes: inout ColourPlanes) {
        var blurred = planes
        GaussianBlur(sigma: sigma).apply(to: &blurred)
        let amount = self.amount
        planes.values.withUnsafeMutableBufferPointer { values in
            blurred.values.withUnsafeBufferPointer { blurred in
                for index in values.indices { values[index] += amount * (values[index] - blurred[index]) }
            }
        }
    }
}

/// A lens out of focus: every point spread evenly over a disc. Real defocused photos show this shape
/// (on the defocused books a disc fits where no Gaussian does, docs/DETECT.md), and unlike a Gaussian
/// of the same width it keeps some contrast at the finest bars.
struct DiscBlur: Sendable {
    /// The disc's radius in pixels.
    var radius: Double

    /// One row of the kernel: the run of pixels wholly inside the disc, `-inner...inner` (none when
    /// `inner` < 0), and the rim's partly covered pixels with their shares.
    private struct KernelRow {
        var offset: Int
        var inner: Int
        var rim: [(offset: Int, weight: Double)]
    }

    /// The kernel's rows, each pixel's share of the disc from 8 × 8 points in it; their sum; and how
    /// far the kernel reaches from its centre, in whole pixels.
    private func kernel() -> (rows: [KernelRow], total: Double, reach: Int) {
        let reach = Int((radius + 0.5).rounded(.up))
        var rows: [KernelRow] = []
        var total = 0.0
        for dy in -reach...reach {
            let shares = (-reach...reach).map { dx in
                var inside = 0
                for i in 0..<8 { for j in 0..<8 {
                    let x = Double(dx) + (Double(i) + 0.5) / 8 - 0.5, y = Double(dy) + (Double(j) + 0.5) / 8 - 0.5
                    if x * x + y * y <= radius * radius { inside += 1 }
                } }
                return Double(inside) / 64
            }
            total += shares.reduce(0, +)
            var inner = -1
            while inner < reach && shares[reach + inner + 1] == 1 { inner += 1 }
            let rim = zip(-reach...reach, shares).filter { $0.1 > 0 && $0.1 < 1 }.map { (offset: $0.0, weight: $0.1) }
            if inner >= 0 || !rim.isEmpty { rows.append(KernelRow(offset: dy, inner: inner, rim: rim)) }
        }
        return (rows, total, reach)
    }

    /// Each kernel row's whole pixels come from the source row's running sums (two reads whatever the
    /// radius), the rim's one by one; edges repeated.
    func apply(to planes: inout ColourPlanes) {
        guard radius > 0.05 else { return }
        let (rows, total, reach) = kernel()
        let (width, height, plane) = (planes.width, planes.height, planes.planeSize)
        let paddedWidth = width + 2 * reach
        var padded = [Double](repeating: 0, count: height * paddedWidth)
        var sums = [Double](repeating: 0, count: height * (paddedWidth + 1))
        var output = [Double](repeating: 0, count: width)
        let scale = 1 / total
        for channel in 0..<3 {
            let base = channel * plane
            for y in 0..<height {
                var running = 0.0
                for x in 0..<paddedWidth {
                    let value = Double(planes.values[base + y * width + min(width - 1, max(0, x - reach))])
                    padded[y * paddedWidth + x] = value
                    sums[y * (paddedWidth + 1) + x] = running
                    running += value
                }
                sums[y * (paddedWidth + 1) + paddedWidth] = running
            }
            padded.withUnsafeBufferPointer { padded in
                sums.withUnsafeBufferPointer { sums in
                    for y in 0..<height {
                        for x in 0..<width { output[x] = 0 }
                        for row in rows {
                            let source = min(height - 1, max(0, y + row.offset))
                            let rowSums = source * (paddedWidth + 1), rowValues = source * paddedWidth
                            if row.inner >= 0 {
                                for x in 0..<width {
                                    output[x] += sums[rowSums + x + reach + row.inner + 1] - sums[rowSums + x + reach - row.inner]
                                }
                            }
                            for (offset, weight) in row.rim {
                                for x in 0..<width { output[x] += weight * padded[rowValues + x + reach + offset] }
                            }
                        }
                        for x in 0..<width { planes.values[base + y * width + x] = Float(output[x] * scale) }
                    }
                }
            }
        }
    }
}
