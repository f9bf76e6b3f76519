import Foundation

/// Lossy-compression damage as JPEG does it: YCbCr, optional 2 × 2 colour subsampling, 8 × 8
/// block DCT with the standard quantisation tables scaled by a quality, and back. Gives the block
/// edges, ringing and colour smear of a heavily compressed phone photo.
struct BlockCompression: Sendable {
    /// JPEG quality, 1...100.
    var quality: Int
    var subsamplesColour: Bool

    static func random(using random: inout SeededRandom) -> BlockCompression {
        BlockCompression(quality: random.integer(in: 15...92), subsamplesColour: random.chance(0.7))
    }

    /// The tables of the JPEG standard, Annex K, in row order.
    private static let luminanceTable: [Float] = [
        16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56,
        14, 17, 22, 29, 51, 87, 80, 62, 18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92,
        49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
    ]
    private static let chrominanceTable: [Float] = [
        17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99, 24, 26, 56, 99, 99, 99, 99, 99,
        47, 66, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
        99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
    ]
    /// DCT-II basis: `basis[k * 8 + n]` = c(k) cos((2n + 1) k π / 16), orthonormal.
    private static let basis: [Float] = (0..<64).map { entry in
        let (k, n) = (entry / 8, entry % 8)
        let scale = k == 0 ? (1.0 / 8).squareRoot() : (2.0 / 8).squareRoot()
        return Float(scale * cos(Double(2 * n + 1) * Double(k) * Double.pi / 16))
    }

    func apply(to planes: inout ColourPlanes) {
        let plane = planes.planeSize
        var ycc = [Float](repeating: 0, count: 3 * plane)
        planes.values.withUnsafeBufferPointer { rgb in
            for i in 0..<plane {
                let (r, g, b) = (rgb[i], rgb[plane + i], rgb[2 * plane + i])
                ycc[i] = 0.299 * r + 0.587 * g + 0.114 * b
                ycc[plane + i] = -0.168736 * r - 0.331264 * g + 0.5 * b
                ycc[2 * plane + i] = 0.5 * r - 0.418688 * g - 0.081312 * b
            }
        }
        if subsamplesColour {
            for channel in 1...2 { averagePairs(&ycc, offset: channel * plane, width: planes.width, height: planes.height) }
        }
        let scale = quality < 50 ? 50 / Float(quality) : (200 - 2 * Float(quality)) / 100
        let tables = [BlockCompression.luminanceTable, BlockCompression.chrominanceTable].map { table in
            table.map { max(1, min(255, ($0 * scale).rounded())) }
        }
        for channel in 0..<3 {
            quantise(&ycc, offset: channel * plane, width: planes.width, height: planes.height,
                     table: tables[channel == 0 ? 0 : 1], level: channel == 0 ? 128 : 0)
        }
        planes.values.withUnsafeMutableBufferPointer { rgb in
            for i in 0..<plane {
                let (y, cb, cr) = (ycc[i], ycc[plane + i], ycc[2 * plane + i])
                rgb[i] = y + 1.402 * cr
                rgb[plane + i] = y - 0.344136 * cb - 0.714136 * cr
                rgb[2 * plane + i] = y + 1.772 * cb
            }
        }
    }

    /// Replaces each 2 × 2 cell by its mean, as subsampling and upsampling would.
    private func averagePairs(_ values: inout [Float], offset: Int, width: Int, height: Int) {
        values.withUnsafeMutableBufferPointer { values in
            for y in stride(from: 0, to: height, by: 2) {
                let y1 = min(height - 1, y + 1)
                for x in stride(from: 0, to: width, by: 2) {
                    let x1 = min(width - 1, x + 1)
                    let cells = [offset + y * width + x, offset + y * width + x1, offset + y1 * width + x, offset + y1 * width + x1]
                    let mean = (values[cells[0]] + values[cells[1]] + values[cells[2]] + values[cells[3]]) / 4
                    for cell in cells { values[cell] = mean }
                }
            }
        }
    }

    /// DCT, quantise and invert every 8 × 8 block of one plane; edge blocks repeat their last pixels.
    private func quantise(_ values: inout [Float], offset: Int, width: Int, height: Int, table: [Float], level: Float) {
        var block = [Float](repeating: 0, count: 64)
        var temporary = [Float](repeating: 0, count: 64)
        values.withUnsafeMutableBufferPointer { values in
            block.withUnsafeMutableBufferPointer { block in
                temporary.withUnsafeMutableBufferPointer { temporary in
                    BlockCompression.basis.withUnsafeBufferPointer { basis in
                        table.withUnsafeBufferPointer { table in
                            for blockY in stride(from: 0, to: height, by: 8) {
                                for blockX in stride(from: 0, to: width, by: 8) {
                                    for row in 0..<8 {
                                        let y = min(height - 1, blockY + row)
                                        for column in 0..<8 {
                                            let x = min(width - 1, blockX + column)
                                            block[row * 8 + column] = values[offset + y * width + x] - level
                                        }
                                    }
                                    BlockCompression.transform(block, temporary, basis: basis, inverse: false)
                                    for k in 0..<64 { block[k] = (block[k] / table[k]).rounded() * table[k] }
                                    BlockCompression.transform(block, temporary, basis: basis, inverse: true)
                                    for row in 0..<min(8, height - blockY) {
                                        for column in 0..<min(8, width - blockX) {
                                            values[offset + (blockY + row) * width + blockX + column] = block[row * 8 + column] + level
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Two-dimensional DCT-II (or its inverse) of an 8 × 8 block in place, rows then columns.
    @inline(__always)
    private static func transform(_ block: UnsafeMutableBufferPointer<Float>, _ temporary: UnsafeMutableBufferPointer<Float>,
                                  basis: UnsafeBufferPointer<Float>, inverse: Bool) {
        // The inverse of an orthonormal transform is its transpose: swap the basis indices.
        let (kStride, nStride) = inverse ? (1, 8) : (8, 1)
        for row in 0..<8 {
            for k in 0..<8 {
                var sum: Float = 0
                for n in 0..<8 { sum += block[row * 8 + n] * basis[k * kStride + n * nStride] }
                temporary[row * 8 + k] = sum
            }
        }
        for column in 0..<8 {
            for k in 0..<8 {
                var sum: Float = 0
                for n in 0..<8 { sum += temporary[n * 8 + column] * basis[k * kStride + n * nStride] }
                block[k * 8 + column] = sum
            }
        }
    }
}
