@testable import BoostBarcode

/// Generator settings small enough for debug-build tests: pictures of at most 400 px.
func smallSynthSettings() -> SynthSettings {
    var settings = SynthSettings()
    settings.longSide = 240...400
    settings.moduleWidth = 2...3
    // Photos the tests' tiny models must read: the first generator's world.
    settings.hardCases = false
    return settings
}

/// A plain label: black bars on white, no text, no shadow, no camera effects, upright unless told.
func cleanRecipe(_ code: EAN13Code, moduleWidth: Double, rotation: Double = 0, pitch: Double = 0,
                 yaw: Double = 0) -> PhotoRecipe {
    let layout = SymbolLayout(code: code, barHeight: 24, guardExtension: 5, inkSpread: 0, digitHeight: 8, digitGap: 0.5)
    let design = LabelDesign(paper: (-14, -3, 105, layout.bottom + 2), paperColour: Colour(grey: 245),
                             inkColour: Colour(grey: 10), inkDensity: 1, text: [], textRadius: 0.5,
                             shadowOffset: Point(x: 0, y: 0), shadowSoftness: 1, shadowStrength: 0)
    let side = Int((125 * 125 + (layout.bottom + 8) * (layout.bottom + 8)).squareRoot() * moduleWidth) + 16
    let pose = CameraPose(moduleWidth: moduleWidth, rotation: rotation, pitch: pitch, yaw: yaw,
                          focalLength: 4 * 113 * moduleWidth, anchor: Point(x: 47.5, y: layout.bottom / 2),
                          centre: Point(x: Double(side) / 2, y: Double(side) / 2))
    return PhotoRecipe(layout: layout, design: design, pose: pose, width: side, height: side, backgroundSeed: 1,
                       effects: .none)
}

/// Mean of the colour channels of pixel (x, y).
func greyLevel(_ image: Image, x: Int, y: Int) -> Double {
    let offset = image.offset(x: x, y: y)
    return (0..<image.channels).reduce(0.0) { $0 + Double(image.pixels[offset + $1]) } / Double(image.channels)
}

/// `left` and `right` side by side on one picture (as tall as the taller, the gap filled from `left`'s
/// corner); `right`'s quad moved by `left`'s width.
func sideBySide(_ left: (Image, Quad), _ right: (Image, Quad)) -> (Image, Quad, Quad) {
    let (a, b) = (left.0, right.0)
    var picture = Image(width: a.width + b.width, height: max(a.height, b.height), channels: a.channels, fill: a.pixels[0])
    for (image, x0) in [(a, 0), (b, a.width)] {
        for y in 0..<image.height {
            let row = image.offset(x: 0, y: y)
            let target = picture.offset(x: x0, y: y)
            picture.pixels[target..<target + image.width * image.channels] = image.pixels[row..<row + image.width * image.channels]
        }
    }
    let shift = Double(a.width)
    let moved = right.1.corners.map { Point(x: $0.x + shift, y: $0.y) }
    return (picture, left.1, Quad(topLeft: moved[0], topRight: moved[1], bottomRight: moved[2], bottomLeft: moved[3]))
}
