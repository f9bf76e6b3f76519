import Foundation

/// A region of strong, coherent one-directional texture: where bars may be.
struct CandidateRegion: Sendable {
    /// In full-resolution pixel coordinates.
    var rectangle: OrientedRectangle
    /// Summed coherence-weighted gradient strength of its cells: how much bar-like texture it holds.
    var score: Double
}

/// Finds candidate regions in an orientation field: cells coherent and strong enough, joined to their
/// eight neighbours when their directions agree, each group measured as an oriented rectangle.
struct CandidateRegionFinder {
    var minimumCoherence: Float = 0.6
    /// Mean squared gradient (grey levels² per pixel) below which a cell is flat.
    var minimumEnergy: Float = 9
    /// Largest direction difference between joined cells.
    var maximumAngleStep: Float = 0.35
    var minimumCells = 3

    /// Regions ranked by score, best first. `scale` maps the field's plane to the photo: a plane pixel
    /// covers `scale` × `scale` photo pixels.
    func regions(in field: OrientationField, scale: Int) -> [CandidateRegion] {
        let count = field.columns * field.rows
        var weight = [Float](repeating: 0, count: count)
        var angle = [Float](repeating: 0, count: count)
        for cell in 0..<count {
            let coherence = field.coherence(cell), energy = field.energy(cell)
            guard coherence >= minimumCoherence, energy >= minimumEnergy else { continue }
            weight[cell] = coherence * coherence * energy.squareRoot()
            angle[cell] = field.angle(cell)
        }
        var label = [Int32](repeating: -1, count: count)
        var stack: [Int] = []
        var members: [Int] = []
        var regions: [CandidateRegion] = []
        var groupCount: Int32 = 0
        for seed in 0..<count where weight[seed] > 0 && label[seed] < 0 {
            label[seed] = groupCount
            groupCount += 1
            stack.append(seed)
            members.removeAll(keepingCapacity: true)
            while let cell = stack.popLast() {
                members.append(cell)
                let (row, column) = (cell / field.columns, cell % field.columns)
                for dy in -1...1 {
                    for dx in -1...1 where dx != 0 || dy != 0 {
                        let (r, c) = (row + dy, column + dx)
                        guard r >= 0, r < field.rows, c >= 0, c < field.columns else { continue }
                        let next = r * field.columns + c
                        guard label[next] < 0, weight[next] > 0,
                              Self.angleDifference(angle[cell], angle[next]) <= maximumAngleStep else { continue }
                        label[next] = label[seed]
                        stack.append(next)
                    }
                }
            }
            if members.count >= minimumCells { regions.append(measure(members, weight: weight, field: field, scale: scale)) }
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
        let centre = Point(x: planeCentre.x * s + (s - 1) / 2, y: planeCentre.y * s + (s - 1) / 2)
        let halfWidth = ((maximumAcross - minimumAcross) / 2 + cellSize / 2) * s
        let halfHeight = ((maximumAlong - minimumAlong) / 2 + cellSize / 2) * s
        return CandidateRegion(rectangle: OrientedRectangle(centre: centre, normal: normal, halfWidth: halfWidth,
                                                            halfHeight: halfHeight), score: score)
    }

    /// Difference of two line directions (defined modulo π), in 0 … π/2.
    static func angleDifference(_ a: Float, _ b: Float) -> Float {
        var d = abs(a - b).truncatingRemainder(dividingBy: .pi)
        if d > .pi / 2 { d = .pi - d }
        return d
    }
}
