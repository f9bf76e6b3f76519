import Foundation

/// Other quads to read when the localizer's quad reads badly: the same region with its left and right
/// edges put where the symbol's fixed modules fit best over a wide range (`refitted`), the quad
/// turned a little about its vertical axis (`yawed`), the parallelograms through three of its
/// corners, its upper and lower parts alone (glare or a fold over one part of the bars spoils a
/// read of the whole), and a parallelogram squared along the bars (`barAligned`).
/// Positions are taken along the quad's own axes (its homography), so perspective is kept.
struct QuadVariants {
    let quad: Quad
    private let toImage: Homography

    init?(_ quad: Quad) {
        guard let toImage = Homography.fromUnitSquare(to: quad) else { return nil }
        self.quad = quad
        self.toImage = toImage
    }

    /// The part of the quad between `u` (across the bars, 0 = left edge, 1 = right edge) and `v`
    /// (along them, 0 = top, 1 = bottom).
    func part(u: ClosedRange<Double>, v: ClosedRange<Double>) -> Quad {
        Quad(topLeft: toImage.apply(Point(x: u.lowerBound, y: v.lowerBound)),
             topRight: toImage.apply(Point(x: u.upperBound, y: v.lowerBound)),
             bottomRight: toImage.apply(Point(x: u.upperBound, y: v.upperBound)),
             bottomLeft: toImage.apply(Point(x: u.lowerBound, y: v.upperBound)))
    }

    /// The four parallelograms through three of the quad's corners, each replacing one corner: where
    /// the localizer misplaced one corner along the bars, the wrong perspective it implies shifts the
    /// modules of a small symbol by more than the guard alignment absorbs.
    var parallelograms: [Quad] {
        let (a, b, c, d) = (quad.topLeft, quad.topRight, quad.bottomRight, quad.bottomLeft)
        func point(_ p: Point, _ q: Point, _ r: Point) -> Point { Point(x: p.x + q.x - r.x, y: p.y + q.y - r.y) }
        return [Quad(topLeft: point(b, d, c), topRight: b, bottomRight: c, bottomLeft: d),
                Quad(topLeft: a, topRight: point(a, c, d), bottomRight: c, bottomLeft: d),
                Quad(topLeft: a, topRight: b, bottomRight: point(b, d, a), bottomLeft: d),
                Quad(topLeft: a, topRight: b, bottomRight: c, bottomLeft: point(a, c, b))]
    }

    /// The quad turned a little about its vertical axis: the left edge shortened by `fraction` of its
    /// length at both ends and the right edge lengthened as much (negative: the other way). The
    /// localizer places the ends of the bars to a few pixels, and the perspective that two such ends
    /// imply along the bars decides the module spacing along the rows: on the synthetic Test split,
    /// of the 42 photos whose top candidate is right but unreadable, 21 read surely through ±4 %.
    func yawed(by fraction: Double) -> Quad {
        func moved(_ p: Point, towards q: Point, _ t: Double) -> Point {
            Point(x: p.x + (q.x - p.x) * t, y: p.y + (q.y - p.y) * t)
        }
        return Quad(topLeft: moved(quad.topLeft, towards: quad.bottomLeft, fraction),
                    topRight: moved(quad.topRight, towards: quad.bottomRight, -fraction),
                    bottomRight: moved(quad.bottomRight, towards: quad.topRight, -fraction),
                    bottomLeft: moved(quad.bottomLeft, towards: quad.topLeft, fraction))
    }

    /// `barAligned`'s height, a share of the quad's: inside the bars when its top or bottom edge reaches into the digits.
    static let heightShare = 0.8

    /// The quad redrawn as a parallelogram about its middle line, its sides along the bars and its
    /// height `heightShare` of the quad's, then refitted (`refitted(in:)`): where the localizer's top or
    /// bottom edge is skewed against the bars or reaches into the digits, the perspective its quad
    /// implies shifts the modules along the rows. The bars' direction is the structure tensor's
    /// (`BarFrame`) turned to where the mean of rows along it is sharpest: central differences of
    /// fine bars bend the tensor's direction away from the photo's axes (2.3° on bars of 3 pixels
    /// turned by 0.2 rad). On the synthetic Test split, of the 31 localizer's quads that overlap the
    /// truth by 0.7 or more but read nothing, 3 read through the quad itself and 9 through such a
    /// parallelogram with the truth's own bar direction.
    func barAligned(in image: Image, plane: GreyPlane) -> Quad? {
        guard var frame = BarFrame(plane, around: quad, through: toImage) else { return nil }
        frame.along = Self.sharpestDirection(plane, left: frame.left, across: frame.across, along: frame.along)
        let margin = (1 - Self.heightShare) / 2
        let aligned = Quad(topLeft: frame.point(t: 0, v: margin), topRight: frame.point(t: 1, v: margin),
                           bottomRight: frame.point(t: 1, v: 1 - margin), bottomLeft: frame.point(t: 0, v: 1 - margin))
        return QuadVariants(aligned)?.refitted(in: image) ?? aligned
    }

    /// `along` turned by up to 0.08 rad to where the mean of five rows along it, across the symbol from
    /// `left` over `across`, varies most.
    private static func sharpestDirection(_ plane: GreyPlane, left: Point, across: Point, along: Point) -> Point {
        let samples = EAN13Symbology.moduleCount * 3
        var best = (variance: -Float.infinity, along: along)
        for turn in stride(from: -0.08, through: 0.0801, by: 0.004) {
            let (c, s) = (cos(turn), sin(turn))
            let turned = Point(x: along.x * c - along.y * s, y: along.x * s + along.y * c)
            var profile = [Float](repeating: 0, count: samples)
            for v in [-0.3, -0.15, 0, 0.15, 0.3] {
                let start = Point(x: left.x + v * turned.x, y: left.y + v * turned.y)
                plane.accumulateLine(from: start, step: Point(x: across.x / Double(samples), y: across.y / Double(samples)), into: &profile)
            }
            let mean = profile.reduce(0, +) / Float(samples)
            let variance = profile.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
            if variance > best.variance { best = (variance, turned) }
        }
        return best.along
    }

    /// The quad doubled across the bars towards either side, each refitted (`refitted(in:)`): where
    /// glare or a faint print hides one half of a symbol, the localizer's quad covers the other half
    /// only. On the synthetic Test split it reads 3 more photos end to end, none wrong.
    func wholesFromHalf(in image: Image) -> [Quad] {
        [part(u: 0...2, v: 0...1), part(u: -1...1, v: 0...1)].map { QuadVariants($0)?.refitted(in: image) ?? $0 }
    }

    /// Samples per module of the quad's own width in the wide profile.
    static let samplesPerModule = 2
    /// The wide profile reaches this share of the quad's width beyond each edge.
    static let reach = 0.35
    /// The refitted symbol is this share of the quad's width at least and at most (a quad whose end
    /// stopped 14 modules into the symbol covers 1 / 1.17 of it).
    static let widthRange = 0.6...1.3

    /// The quad whose left and right edges put light on the symbol's fixed spaces and dark on its fixed
    /// bars (the guards, each digit's first and last module, the quiet zones; `GuardAligner`'s known
    /// modules) best, over the middle rows of the quad; nil when the quad cannot be sampled.
    func refitted(in image: Image) -> Quad? {
        wideLevels(image).map { fittedEnds($0, bend: .flat).quad }
    }

    /// The wide profile (`wideProfile`), its levels normalised; nil when the quad cannot be sampled.
    func wideLevels(_ image: Image) -> [Float]? {
        let profile = wideProfile(image)
        return profile.isEmpty ? nil : LevelNormaliser(profile).apply(profile)
    }

    /// `refitted`'s search over the wide profile's `levels`, the modules spaced as `bend` spaces them
    /// across the quad: the quad between the best ends, and their score.
    func fittedEnds(_ levels: [Float], bend: CylinderBend) -> (quad: Quad, score: Float) {
        let perWidth = Double(EAN13Symbology.moduleCount * Self.samplesPerModule)
        let origin = Self.reach * perWidth
        // Where each known module's centre lies across the quad, in modules of its width (flat: the
        // centres themselves, not mapped there and back, so the flat refit's arithmetic is unchanged).
        let modules = Double(EAN13Symbology.moduleCount)
        let centres = bend == .flat ? GuardAligner.knownCentres
            : GuardAligner.knownCentres.map { bend.quadFraction(ofSymbolFraction: $0 / modules) * modules }
        // Coarse, then fine, over the left edge and the width, both in profile samples.
        var best = (score: -Float.infinity, left: origin, width: perWidth)
        func consider(_ left: Double, _ width: Double) {
            let score = Self.score(levels, centres: centres, left: left, width: width)
            if score > best.score { best = (score, left, width) }
        }
        let widths = stride(from: Self.widthRange.lowerBound * perWidth, through: Self.widthRange.upperBound * perWidth, by: 1)
        for width in widths {
            for left in stride(from: 0, through: Double(levels.count) - width, by: 1) { consider(left, width) }
        }
        let coarse = best
        for width in stride(from: coarse.width - 1, through: coarse.width + 1, by: 0.25) {
            for left in stride(from: coarse.left - 1, through: coarse.left + 1, by: 0.25) { consider(left, width) }
        }
        let u = (best.left - origin) / perWidth
        return (part(u: u...(u + best.width / perWidth), v: 0...1), best.score)
    }

    /// The mean of five rows in the middle of the quad, from `reach` before its left edge to `reach`
    /// past its right edge.
    private func wideProfile(_ image: Image) -> [Float] {
        let perWidth = Double(EAN13Symbology.moduleCount * Self.samplesPerModule)
        let count = Int(((1 + 2 * Self.reach) * perWidth).rounded())
        var profile = [Float](repeating: 0, count: count)
        let rows = [0.3, 0.4, 0.5, 0.6, 0.7]
        BilinearGreySampler.sampling(image) { sampler in
            for v in rows {
                for i in 0..<count {
                    let p = toImage.apply(Point(x: (Double(i) + 0.5) / perWidth - Self.reach, y: v))
                    profile[i] += sampler.grey(x: p.x, y: p.y) / Float(rows.count)
                }
            }
        }
        return profile
    }

    /// Sum of the known modules' levels, spaces up and bars down, for a symbol from `left` over `width`
    /// samples whose known modules' centres lie at `centres` (in modules of the width).
    private static func score(_ levels: [Float], centres: [Double], left: Double, width: Double) -> Float {
        let step = width / Double(EAN13Symbology.moduleCount)
        var total: Float = 0
        for k in centres.indices {
            total += GuardAligner.knownSigns[k] * LinearProfile.value(levels, at: left + centres[k] * step - 0.5)
        }
        return total
    }
}
