/// Value noise: random values on a coarse grid, smoothly interpolated; several octaves summed.
/// Used for textures, uneven light and paper tone. Values lie in about -1...1.
enum SmoothNoise {
    static func field(width: Int, height: Int, cellSize: Double, octaves: Int,
                      using random: inout SeededRandom) -> [Float] {
        var field = [Float](repeating: 0, count: width * height)
        var (cell, amplitude, total) = (max(cellSize, 1.5), Float(1), Float(0))
        for _ in 0..<octaves {
            addOctave(to: &field, width: width, height: height, cellSize: cell, amplitude: amplitude, using: &random)
            total += amplitude
            cell = max(1.5, cell / 2)
            amplitude /= 2
        }
        let scale = 1 / total
        for index in field.indices { field[index] *= scale }
        return field
    }

    private static func addOctave(to field: inout [Float], width: Int, height: Int, cellSize: Double,
                                  amplitude: Float, using random: inout SeededRandom) {
        let columns = Int(Double(width) / cellSize) + 2, rows = Int(Double(height) / cellSize) + 2
        let grid = (0..<(columns * rows)).map { _ in Float(random.uniform(-1...1)) }
        let step = Float(1 / cellSize)
        grid.withUnsafeBufferPointer { grid in
            field.withUnsafeMutableBufferPointer { field in
                for y in 0..<height {
                    let gy = Float(y) * step
                    let row = Int(gy)
                    let ty = smooth(gy - Float(row))
                    for x in 0..<width {
                        let gx = Float(x) * step
                        let column = Int(gx)
                        let tx = smooth(gx - Float(column))
                        let top = grid[row * columns + column] + (grid[row * columns + column + 1] - grid[row * columns + column]) * tx
                        let lowerRow = (row + 1) * columns + column
                        let bottom = grid[lowerRow] + (grid[lowerRow + 1] - grid[lowerRow]) * tx
                        field[y * width + x] += (top + (bottom - top) * ty) * amplitude
                    }
                }
            }
        }
    }

    @inline(__always)
    private static func smooth(_ t: Float) -> Float { t * t * (3 - 2 * t) }
}
