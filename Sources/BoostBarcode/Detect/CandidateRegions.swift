import Foundation

/// A region of strong, coherent one-directional texture: where bars may be.
struct CandidateRegion: Sendable {
    /// In full-resolution pixel coordinates.
    var rectangle: OrientedRectangle
    /// Summed coherence-weighted gradient strength of its cells, times the plane's scale (so that it
    /// compares between scales: a coarser cell covers more photo, and sees a gradient as much steeper):
    /// how much bar-like texture the region holds.
    var score: Double
}

/// Finds candidate regions in an orientation field: cells coherent and strong enough, grown from the
/// strongest over neighbours of about the same direction, each group measured as an oriented rectangle.
struct CandidateRegionFinder {
    var minimumCoherence: Float = 0.6
    /// Mean squared gradient (grey levels² per pixel) below which a cell is flat.
    var minimumEnergy: Float = 9
    /// Largest direction difference between a region's cells and its seed (radians).
    var maximumAngleDifference: Float = 0.3
    /// A region's cells carry at least this share of its seed's weight.
    var relativeWeight: Float = 0.2
    var minimumCells = 3

    /// Regions ranked by score, best first. `scale` maps the field's plane to the photo: a plane pixel
    /// covers `scale` × `scale` photo pixels.
    func regions(in field: OrientationField, scale: Int) -> [CandidateRegion] {
        let count = field.columns * field.rows
        var weight = [Float](repeating: 0, count: count)
        // Each cell's direction as the unit vector at twice its angle, so that directions a half turn
        // apart coincide and comparing two is a dot product.
        var doubled = [(Float, Float)](repeating: (0, 0), count: count)
        for cell in 0..<count {
            let energy = field.energy(cell)
            guard energy >= minimumEnergy else { continue }
            let (c, s) = (field.xx[cell] - field.yy[cell], 2 * field.xy[cell])
            let length = (c * c + s * s).squareRoot()
            let coherence = length / energy
            guard coherence >= minimumCoherence else { continue }
            weight[cell] = coherence * coherence * energy.squareRoot()
            doubled[cell] = (c / length, s / length)
        }
        let closest = cos(2 * maximumAngleDifference)
        var label = [Bool](repeating: false, count: count)
        var stack: [Int] = []
        var members: [Int] = []
        var regions: [CandidateRegion] = []
        // Strongest cells seed first; a region takes in neighbours whose direction is near the seed's
        // (not just near their neighbour's, which would let it wander into curved textures) and that are
        // not much weaker (so that bars do not merge with faint background texture).
        // Cells under a tenth of the strongest would only seed regions too weak to keep.
        let strongest = weight.max() ?? 0
        // Sorted as integer keys: a positive Float's bit pattern orders as the Float does.
        var keys: [UInt64] = []
        for cell in 0..<count where weight[cell] > 0 && weight[cell] >= 0.1 * strongest {
            keys.append(UInt64(weight[cell].bitPattern) << 32 | UInt64(cell))
        }
        // Ascending, then read from the end.
        keys.radixSort()
        let seeds = keys.reversed().map { Int($0 & 0xFFFF_FFFF) }
        let (columns, rows) = (field.columns, field.rows)
        weight.withUnsafeBufferPointer { weights in
            doubled.withUnsafeBufferPointer { doubled in
                label.withUnsafeMutableBufferPointer { label in
                    for seed in seeds where !label[seed] {
                        label[seed] = true
                        stack.append(seed)
                        members.removeAll(keepingCapacity: true)
                        let (seedDirection, weakest) = (doubled[seed], relativeWeight * weights[seed])
                        while let cell = stack.popLast() {
                            members.append(cell)
                            let (row, column) = (cell / columns, cell % columns)
                            for dy in -1...1 {
                                let r = row &+ dy
                                guard r >= 0, r < rows else { continue }
                                for dx in -1...1 where dx != 0 || dy != 0 {
                                    let c = column &+ dx
                                    guard c >= 0, c < columns else { continue }
                                    let next = r &* columns &+ c
                                    guard !label[next], weights[next] >= weakest, weights[next] > 0,
                                          seedDirection.0 * doubled[next].0 + seedDirection.1 * doubled[next].1 >= closest
                                    else { continue }
                                    label[next] = true
                                    stack.append(next)
                                }
                            }
                        }
                        if members.count >= minimumCells { regions.append(measure(members, weight: weight, field: field, scale: scale)) }
                    }
                }
            }
        }
        return regions.sorted { $0.score > $1.score }
    }

    /// The group's direction from its summed tensor, and its extent along and across it.
    private func measure(_ cells: [Int], weight: [Float], field: OrientationField, scale: Int) -> CandidateRegion {
        var (sxx, syy, sxy, score): (Double, Double, Double, Double) = (0, 0, 0, 0)
        for cell in cells {
            let w = Double(weight[cell])
            let energy = Double(field.energy(cell))
            guard energy > 0 else { continue }
            // Each cell's tensor scaled to its weight, so that strong cells do not drown the direction.
            sxx += w * Double(field.xx[cell]) / energy
            syy += w * Double(field.yy[cell]) / energy
            sxy += w * Double(field.xy[cell]) / energy
            score += w
        }
        let theta = 0.5 * atan2(2 * sxy, sxx - syy)
        let normal = Point(x: cos(theta), y: sin(theta))
        let bars = Point(x: -normal.y, y: normal.x)
        let cellSize = Double(field.cellSize)
        var (minimumAcross, maximumAcross) = (Double.infinity, -Double.infinity)
        var (minimumAlong, maximumAlong) = (Double.infinity, -Double.infinity)
        for cell in cells {
            let x = (Double(cell % field.columns) + 0.5) * cellSize + 0.5
            let y = (Double(cell / field.columns) + 0.5) * cellSize + 0.5
            let across = x * normal.x + y * normal.y, along = x * bars.x + y * bars.y
            minimumAcross = min(minimumAcross, across); maximumAcross = max(maximumAcross, across)
            minimumAlong = min(minimumAlong, along); maximumAlong = max(maximumAlong, along)
        }
        let (centreAcross, centreAlong) = ((minimumAcross + maximumAcross) / 2, (minimumAlong + maximumAlong) / 2)
        let planeCentre = Point(x: centreAcross * normal.x + centreAlong * bars.x,
                                y: centreAcross * normal.y + centreAlong * bars.y)
        // A plane pixel i covers photo pixels i·s … i·s + s − 1: its centre is at i·s + (s − 1)/2.
        let s = Double(scale)
        let centre = planeCentre.scaled(by: s)
        let halfWidth = ((maximumAcross - minimumAcross) / 2 + cellSize / 2) * s
        let halfHeight = ((maximumAlong - minimumAlong) / 2 + cellSize / 2) * s
        return CandidateRegion(rectangle: OrientedRectangle(centre: centre, normal: normal, halfWidth: halfWidth,
                                                            halfHeight: halfHeight), score: score * s)
    }
}
