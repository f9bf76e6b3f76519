/// Paints a label into a picture through its placement: cast shadow, paper, bars (box-filtered,
/// so anti-aliased at any scale and angle), digits and text.
struct LabelPainter {
    let layout: SymbolLayout
    let design: LabelDesign
    let placement: LabelPlacement

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
            let p = placement.imagePoint(corner)
            return Point(x: p.x + design.shadowOffset.x, y: p.y + design.shadowOffset.y)
        }
        let mask = CoverageMask.convexPolygon(corners, softness: design.shadowSoftness,
                                              pictureWidth: planes.width, pictureHeight: planes.height)
        planes.blend(Colour(grey: 0), through: mask, opacity: design.shadowStrength)
    }

    private func paintStrokes(_ strokes: [[Point]], radius: Double, into planes: inout ColourPlanes) {
        let mapped = strokes.map { $0.map(placement.imagePoint) }
        let mask = CoverageMask.strokes(mapped, radius: max(0.3, radius),
                                        pictureWidth: planes.width, pictureHeight: planes.height)
        planes.blend(design.inkColour, through: mask, opacity: design.inkDensity)
    }

    /// For each pixel: its footprint on the label (from the inverse map's derivatives), the share
    /// of it on paper, and the share of that inked by bars.
    private func paintPaperAndBars(into planes: inout ColourPlanes) {
        let corners = design.paperCorners.map(placement.imagePoint)
        let region = CoverageMask(bounds: CoverageMask.boundingBox(of: corners), margin: 2,
                                  pictureWidth: planes.width, pictureHeight: planes.height)
        let profile = BarProfile(layout: layout)
        let m = placement.inverse.m
        let (a, b, c, d, e, f, g, h, i) = (m[0], m[1], m[2], m[3], m[4], m[5], m[6], m[7], m[8])
        let paper = design.paper
        let (barTop, dataBottom, guardBottom) = (0.0, layout.barHeight, layout.barHeight + layout.guardExtension)
        let (paperColour, inkColour, density) = (design.paperColour, design.inkColour, design.inkDensity)
        let (plane, width) = (planes.planeSize, planes.width)

        planes.values.withUnsafeMutableBufferPointer { values in
            profile.allBars.withUnsafeBufferPointer { allBars in
                profile.guardBars.withUnsafeBufferPointer { guardBars in
                    for y in region.originY..<(region.originY + region.height) {
                        for x in region.originX..<(region.originX + region.width) {
                            let (px, py) = (Double(x), Double(y))
                            let w = g * px + h * py + i
                            guard w != 0 else { continue }
                            let u = (a * px + b * py + c) / w, v = (d * px + e * py + f) / w
                            // Half the footprint along u and v: half the sum of the pixel's two edges.
                            let halfU = max(1e-6, 0.5 * (abs(a - g * u) + abs(b - h * u)) / abs(w))
                            let halfV = max(1e-6, 0.5 * (abs(d - g * v) + abs(e - h * v)) / abs(w))
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
                            }
                            let index = y * width + x
                            for channel in 0..<3 {
                                let printed = paperColour[channel] + (inkColour[channel] - paperColour[channel]) * ink * density
                                let old = values[channel * plane + index]
                                values[channel * plane + index] = old + (printed - old) * paperShare
                            }
                        }
                    }
                }
            }
        }
    }

    /// The share of `low...high` that lies inside `start...end`.
    @inline(__always)
    private func overlap(_ low: Double, _ high: Double, _ start: Double, _ end: Double) -> Float {
        Float(max(0, min(high, end) - max(low, start)) / (high - low))
    }
}
