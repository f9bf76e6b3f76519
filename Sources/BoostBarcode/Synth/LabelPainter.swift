/// Paints a label into a picture through its placement: cast shadow, paper, bars (box-filtered,
/// so anti-aliased at any scale and angle), digits and text; bent round a cylinder and with print
/// defects when the recipe has them.
struct LabelPainter {
    let layout: SymbolLayout
    let design: LabelDesign
    let placement: LabelPlacement
    var bend: LabelBend? = nil
    var defects: PrintDefects? = nil

    /// The picture point of a label point, through the bend.
    func imagePoint(_ labelPoint: Point) -> Point { placement.imagePoint(bend?.bent(labelPoint) ?? labelPoint) }

    func paint(into planes: inout ColourPlanes) {
        paintShadow(into: &planes)
        paintPaperAndBars(into: &planes)
        let scale = placement.pixelsPerModule(at: Point(x: SymbolLayout.moduleCount / 2, y: layout.barHeight))
        paintStrokes(layout.digitStrokes, radius: layout.digitStrokeRadius * scale, into: &planes)
        if !design.text.isEmpty {
            paintStrokes(design.text, radius: (design.textRadius + layout.inkSpread / 2) * scale, into: &planes)
        }
    }

    private func paintShadow(into planes: inout ColourPlanes) {
        guard design.shadowStrength > 0 else { return }
        let corners = design.paperCorners.map { corner in
            let p = imagePoint(corner)
            return Point(x: p.x + design.shadowOffset.x, y: p.y + design.shadowOffset.y)
        }
        let mask = CoverageMask.convexPolygon(corners, softness: design.shadowSoftness,
                                              pictureWidth: planes.width, pictureHeight: planes.height)
        planes.blend(Colour(grey: 0), through: mask, opacity: design.shadowStrength)
    }

    private func paintStrokes(_ strokes: [[Point]], radius: Double, into planes: inout ColourPlanes) {
        // Only the strokes wholly on the paper: a trimmed label lost the others.
        let mapped = strokes.filter { $0.allSatisfy(design.isOnPaper) }.map { $0.map(imagePoint) }
        let mask = CoverageMask.strokes(mapped, radius: max(0.3, radius),
                                        pictureWidth: planes.width, pictureHeight: planes.height)
        planes.blend(design.inkColour, through: mask, opacity: design.inkDensity)
    }

    /// For each pixel: its footprint on the label (from the inverse map's derivatives), the share
    /// of it on paper, and the share of that inked by bars.
    private func paintPaperAndBars(into planes: inout ColourPlanes) {
        let region = CoverageMask(bounds: CoverageMask.boundingBox(of: paperOutline.map(imagePoint)), margin: 2,
                                  pictureWidth: planes.width, pictureHeight: planes.height)
        let profile = BarProfile(layout: layout)
        let m = placement.inverse.m
        let (a, b, c, d, e, f, g, h, i) = (m[0], m[1], m[2], m[3], m[4], m[5], m[6], m[7], m[8])
        let paper = design.paper
        let (barTop, dataBottom, guardBottom) = (0.0, layout.barHeight, layout.barHeight + layout.guardExtension)
        let (paperColour, inkColour, density) = (design.paperColour, design.inkColour, design.inkDensity)
        let (plane, width) = (planes.planeSize, planes.width)
        let (bend, defects) = (self.bend, self.defects)

        planes.values.withUnsafeMutableBufferPointer { values in
            profile.allBars.withUnsafeBufferPointer { allBars in
                profile.guardBars.withUnsafeBufferPointer { guardBars in
                    for y in region.originY..<(region.originY + region.height) {
                        for x in region.originX..<(region.originX + region.width) {
                            let (px, py) = (Double(x), Double(y))
                            let w = g * px + h * py + i
                            guard w != 0 else { continue }
                            let flatU = (a * px + b * py + c) / w, flatV = (d * px + e * py + f) / w
                            // Half the footprint along u and v: half the sum of the pixel's two edges.
                            var halfU = max(1e-6, 0.5 * (abs(a - g * flatU) + abs(b - h * flatU)) / abs(w))
                            var halfV = max(1e-6, 0.5 * (abs(d - g * flatV) + abs(e - h * flatV)) / abs(w))
                            var (u, v, light): (Double, Double, Float) = (flatU, flatV, 1)
                            if let bend {
                                // Beyond the cylinder's rim the pixel sees past the label.
                                guard let shown = bend.unbent(Point(x: flatU, y: flatV)) else { continue }
                                (u, v) = (shown.point.x, shown.point.y)
                                // The turned surface packs more label into the pixel across the axis.
                                if bend.axis == .alongBars { halfU /= shown.cosine } else { halfV /= shown.cosine }
                                light = 1 - bend.shading * Float(1 - shown.cosine)
                            }
                            let paperShare = overlap(u - halfU, u + halfU, paper.left, paper.right)
                                * overlap(v - halfV, v + halfV, paper.top, paper.bottom)
                            if paperShare <= 0 { continue }
                            var ink: Float = 0
                            let dataRows = overlap(v - halfV, v + halfV, barTop, dataBottom)
                            let guardRows = overlap(v - halfV, v + halfV, dataBottom, guardBottom)
                            if dataRows + guardRows > 0, u + halfU > BarProfile.firstModule,
                               u - halfU < BarProfile.lastModule {
                                ink = dataRows * BarProfile.coverage(allBars, from: u - halfU, to: u + halfU)
                                    + guardRows * BarProfile.coverage(guardBars, from: u - halfU, to: u + halfU)
                                if let defects, ink > 0 { ink *= defects.inkKept(u: u, v: v, halfU: halfU, halfV: halfV) }
                            }
                            let index = y * width + x
                            for channel in 0..<3 {
                                let printed = light * (paperColour[channel] + (inkColour[channel] - paperColour[channel]) * ink * density)
                                let old = values[channel * plane + index]
                                values[channel * plane + index] = old + (printed - old) * paperShare
                            }
                        }
                    }
                }
            }
        }
    }

    /// The paper's edges, 16 points a side: a bent label's outline is not the image of its corners' quad.
    private var paperOutline: [Point] {
        let corners = design.paperCorners
        return (0..<4).flatMap { side in
            let (from, to) = (corners[side], corners[(side + 1) % 4])
            return (0..<16).map { step in
                let t = Double(step) / 16
                return Point(x: from.x + (to.x - from.x) * t, y: from.y + (to.y - from.y) * t)
            }
        }
    }

    /// The share of `low...high` that lies inside `start...end`.
    @inline(__always)
    private func overlap(_ low: Double, _ high: Double, _ start: Double, _ end: Double) -> Float {
        Float(max(0, min(high, end) - max(low, start)) / (high - low))
    }
}
