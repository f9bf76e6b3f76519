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
