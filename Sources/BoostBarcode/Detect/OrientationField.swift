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
        // Whole cells only, each with the row and column after it for the 2 × 2 gradients: a plane
        // smaller than one cell (the coarse copy of a photo under 10 pixels) has none. (One cell at
        // least, as before, read past the plane's end; found by fuzzing the localizer.)
        columns = max(0, (plane.width - 1) / cellSize)
        rows = max(0, (plane.height - 1) / cellSize)
        let cellCount = columns * rows
        var xx = [Float](repeating: 0, count: cellCount)
        var yy = xx, xy = xx
        let (width, columns, rows) = (plane.width, columns, rows)
        // The gradient of each 2 × 2 block, at its centre: a one-pixel baseline still sees bars of about
        // one pixel, which a central difference (two pixels) would average away. Products are summed
        // down each column over a cell's rows, then across each cell's columns.
        var columnXX = [Float](repeating: 0, count: width), columnYY = columnXX, columnXY = columnXX
        plane.values.withUnsafeBufferPointer { v in
            for cellRow in 0..<rows {
                for i in 0..<width { columnXX[i] = 0; columnYY[i] = 0; columnXY[i] = 0 }
                columnXX.withUnsafeMutableBufferPointer { cxx in
                    columnYY.withUnsafeMutableBufferPointer { cyy in
                        columnXY.withUnsafeMutableBufferPointer { cxy in
                            for y in cellRow * cellSize..<(cellRow + 1) * cellSize {
                                let (top, bottom) = (y * width, (y + 1) * width)
                                // Eight columns at a time (the same arithmetic as one at a time), then the rest.
                                let end = columns * cellSize
                                var x = 0
                                let pixels = UnsafeRawPointer(v.baseAddress!)
                                let (sums, lane) = ((cxx.baseAddress!, cyy.baseAddress!, cxy.baseAddress!), MemoryLayout<Float>.stride)
                                while x + 8 <= end {
                                    func load(_ index: Int) -> SIMD8<Float> {
                                        pixels.loadUnaligned(fromByteOffset: index * lane, as: SIMD8<Float>.self)
                                    }
                                    func add(_ value: SIMD8<Float>, to sum: UnsafeMutablePointer<Float>) {
                                        let raw = UnsafeMutableRawPointer(sum + x)
                                        raw.storeBytes(of: raw.loadUnaligned(as: SIMD8<Float>.self) + value, as: SIMD8<Float>.self)
                                    }
                                    let a = load(top + x), b = load(top + x + 1), c = load(bottom + x), d = load(bottom + x + 1)
                                    let gx = (b - a) + (d - c), gy = (c - a) + (d - b)
                                    add(gx * gx, to: sums.0); add(gy * gy, to: sums.1); add(gx * gy, to: sums.2)
                                    x += 8
                                }
                                while x < end {
                                    let a = v[top + x], b = v[top + x + 1], c = v[bottom + x], d = v[bottom + x + 1]
                                    let gx = (b - a) + (d - c), gy = (c - a) + (d - b)
                                    cxx[x] += gx * gx; cyy[x] += gy * gy; cxy[x] += gx * gy
                                    x += 1
                                }
                            }
                            for cellColumn in 0..<columns {
                                var (sxx, syy, sxy): (Float, Float, Float) = (0, 0, 0)
                                for x in cellColumn &* cellSize..<(cellColumn &+ 1) &* cellSize {
                                    sxx += cxx[x]; syy += cyy[x]; sxy += cxy[x]
                                }
                                let cell = cellRow &* columns &+ cellColumn
                                xx[cell] = sxx; yy[cell] = syy; xy[cell] = sxy
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

    /// Sums over (2r + 1)² cells, clipped at the grid's border (separable running sums: rows, then columns).
    private static func boxSmoothed(_ values: [Float], columns: Int, rows: Int, radius: Int) -> [Float] {
        guard radius > 0 else { return values }
        /// Running sums along `lineCount` lines of `count` values each, value i of line l at
        /// `l * lineStride + i * stride`, written to the same places. Each line's sum is one chain of
        /// dependent additions; stepping every line at once lets those chains run side by side (the
        /// same additions in the same order as one line at a time).
        func runningSums(_ source: UnsafeBufferPointer<Float>, _ target: UnsafeMutableBufferPointer<Float>,
                         lineCount: Int, lineStride: Int, count: Int, stride: Int) {
            var sums = [Float](repeating: 0, count: lineCount)
            sums.withUnsafeMutableBufferPointer { sums in
                for k in 0..<min(radius, count) {
                    for line in 0..<lineCount { sums[line] += source[line &* lineStride &+ k &* stride] }
                }
                for i in 0..<count {
                    if i + radius < count {
                        for line in 0..<lineCount { sums[line] += source[line &* lineStride &+ (i &+ radius) &* stride] }
                    }
                    if i - radius - 1 >= 0 {
                        for line in 0..<lineCount { sums[line] -= source[line &* lineStride &+ (i &- radius &- 1) &* stride] }
                    }
                    for line in 0..<lineCount { target[line &* lineStride &+ i &* stride] = sums[line] }
                }
            }
        }
        var across = [Float](repeating: 0, count: values.count)
        var result = across
        values.withUnsafeBufferPointer { values in
            across.withUnsafeMutableBufferPointer { across in
                runningSums(values, across, lineCount: rows, lineStride: columns, count: columns, stride: 1)
            }
        }
        across.withUnsafeBufferPointer { across in
            result.withUnsafeMutableBufferPointer { result in
                runningSums(across, result, lineCount: columns, lineStride: 1, count: rows, stride: columns)
            }
        }
        return result
    }
}
