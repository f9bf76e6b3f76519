import Foundation

/// The gradient structure tensor of a grey plane, summed over square cells and then smoothed over a
/// window of neighbouring cells. Bars give cells of strong gradient that all point one way (high
/// coherence); text, corners and flat paper do not.
struct OrientationField {
    /// Cells across and down.
    let columns: Int
    let rows: Int
    /// Plane pixels per cell side.
    let cellSize: Int
    /// Per cell, smoothed: Σgx², Σgy², Σgx·gy over the window, divided by its pixel count.
    private(set) var xx: [Float]
    private(set) var yy: [Float]
    private(set) var xy: [Float]

    /// `smoothingRadius` cells on each side are added into each cell's window.
    init(_ plane: GreyPlane, cellSize: Int, smoothingRadius: Int) {
        precondition(cellSize >= 2 && smoothingRadius >= 0)
        self.cellSize = cellSize
        columns = max(1, (plane.width - 1) / cellSize)
        rows = max(1, (plane.height - 1) / cellSize)
        let cellCount = columns * rows
        var xx = [Float](repeating: 0, count: cellCount)
        var yy = xx, xy = xx
        let (width, columns, rows) = (plane.width, columns, rows)
        // The gradient of each 2 × 2 block, at its centre: a one-pixel baseline still sees bars of about
        // one pixel, which a central difference (two pixels) would average away.
        plane.values.withUnsafeBufferPointer { v in
            xx.withUnsafeMutableBufferPointer { sxx in
                yy.withUnsafeMutableBufferPointer { syy in
                    xy.withUnsafeMutableBufferPointer { sxy in
                        for y in 0..<min(plane.height - 1, rows * cellSize) {
                            let cellRow = (y / cellSize) * columns
                            let (top, bottom) = (y * width, (y + 1) * width)
                            for cellColumn in 0..<columns {
                                var (axx, ayy, axy): (Float, Float, Float) = (0, 0, 0)
                                let start = cellColumn * cellSize
                                for x in start..<start + cellSize {
                                    let a = v[top + x], b = v[top + x + 1], c = v[bottom + x], d = v[bottom + x + 1]
                                    let gx = (b - a) + (d - c), gy = (c - a) + (d - b)
                                    axx += gx * gx; ayy += gy * gy; axy += gx * gy
                                }
                                sxx[cellRow + cellColumn] += axx
                                syy[cellRow + cellColumn] += ayy
                                sxy[cellRow + cellColumn] += axy
                            }
                        }
                    }
                }
            }
        }
        let normaliser = 1 / Float(4 * cellSize * cellSize * (2 * smoothingRadius + 1) * (2 * smoothingRadius + 1))
        for i in 0..<cellCount { xx[i] *= normaliser; yy[i] *= normaliser; xy[i] *= normaliser }
        self.xx = Self.boxSmoothed(xx, columns: columns, rows: rows, radius: smoothingRadius)
        self.yy = Self.boxSmoothed(yy, columns: columns, rows: rows, radius: smoothingRadius)
        self.xy = Self.boxSmoothed(xy, columns: columns, rows: rows, radius: smoothingRadius)
    }

    /// Mean squared gradient in the cell's window (grey levels² per pixel).
    @inline(__always) func energy(_ cell: Int) -> Float { xx[cell] + yy[cell] }

    /// 0 (no preferred direction) … 1 (every gradient along one line).
    @inline(__always) func coherence(_ cell: Int) -> Float {
        let trace = xx[cell] + yy[cell]
        guard trace > 0 else { return 0 }
        let difference = xx[cell] - yy[cell]
        return (difference * difference + 4 * xy[cell] * xy[cell]).squareRoot() / trace
    }

    /// The dominant gradient direction (across the bars), in radians, in −π/2 … π/2.
    @inline(__always) func angle(_ cell: Int) -> Float {
        0.5 * atan2(2 * xy[cell], xx[cell] - yy[cell])
    }

    /// Sums over (2r + 1)² cells, clipped at the grid's border (separable: rows, then columns).
    private static func boxSmoothed(_ values: [Float], columns: Int, rows: Int, radius: Int) -> [Float] {
        guard radius > 0 else { return values }
        var across = [Float](repeating: 0, count: values.count)
        for row in 0..<rows {
            let base = row * columns
            for column in 0..<columns {
                var sum: Float = 0
                for k in max(0, column - radius)...min(columns - 1, column + radius) { sum += values[base + k] }
                across[base + column] = sum
            }
        }
        var result = [Float](repeating: 0, count: values.count)
        for row in 0..<rows {
            for column in 0..<columns {
                var sum: Float = 0
                for k in max(0, row - radius)...min(rows - 1, row + radius) { sum += across[k * columns + column] }
                result[row * columns + column] = sum
            }
        }
        return result
    }
}
