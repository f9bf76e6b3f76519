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
    /// DCT-II basis, one row per frequency k: c(k) cos((2n + 1) k π / 16) for n = 0...7, orthonormal;
    /// and its transpose.
    private static let basis: [SIMD8<Float>] = (0..<8).map { k in
        let scale = k == 0 ? (1.0 / 8).squareRoot() : (2.0 / 8).squareRoot()
        var row = SIMD8<Float>()
        for n in 0..<8 { row[n] = Float(scale * cos(Double(2 * n + 1) * Double(k) * Double.pi / 16)) }
        return row
    }
    private static let transposedBasis: [SIMD8<Float>] = (0..<8).map { n in
        var row = SIMD8<Float>()
        for k in 0..<8 { row[k] = basis[k][n] }
        return row
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
        var block = [SIMD8<Float>](repeating: .zero, count: 8)
        var temporary = block
        let steps = (0..<8).map { row in SIMD8<Float>((0..<8).map { table[row * 8 + $0] }) }
        let (basis, transposed) = (BlockCompression.basis, BlockCompression.transposedBasis)
        // Adding and taking away 1.5 · 2²³ rounds a Float of magnitude below 2²² to the nearest integer.
        let rounding = SIMD8<Float>(repeating: 12_582_912)
        values.withUnsafeMutableBufferPointer { values in
            for blockY in stride(from: 0, to: height, by: 8) {
                for blockX in stride(from: 0, to: width, by: 8) {
                    for row in 0..<8 {
                        let y = min(height - 1, blockY + row)
                        for column in 0..<8 {
                            block[row][column] = values[offset + y * width + min(width - 1, blockX + column)] - level
                        }
                    }
                    // Coefficients B·X·Bᵀ, quantised, then back with Bᵀ·Y·B.
                    BlockCompression.multiply(block, transposed, into: &temporary)
                    BlockCompression.multiply(basis, temporary, into: &block)
                    for row in 0..<8 { block[row] = ((block[row] / steps[row] + rounding) - rounding) * steps[row] }
                    BlockCompression.multiply(block, basis, into: &temporary)
                    BlockCompression.multiply(transposed, temporary, into: &block)
                    for row in 0..<min(8, height - blockY) {
                        for column in 0..<min(8, width - blockX) {
                            values[offset + (blockY + row) * width + blockX + column] = block[row][column] + level
                        }
                    }
                }
            }
        }
    }

    /// `result` = `left` · `right`, 8 × 8 matrices held as rows.
    @inline(__always)
    private static func multiply(_ left: [SIMD8<Float>], _ right: [SIMD8<Float>], into result: inout [SIMD8<Float>]) {
        for i in 0..<8 {
            var sum = SIMD8<Float>.zero
            for n in 0..<8 { sum += left[i][n] * right[n] }
            result[i] = sum
        }
    }
}
