import Foundation

/// A contact sheet of a split's pictures for a person to look at: each picture shrunk into a
/// tile with its markup quad drawn over it (top edge red, the other edges green, top-left corner
/// blue) and its code written below. First the split's first pictures, then one example of each
/// hard case (`hardCaseExamples`), in that order.
public enum PreviewSheet {
    /// The hard cases the sheet shows, in its order, each with the test a picture's factors must pass.
    public static let hardCases: [(name: String, shows: @Sendable (DifficultyFactors) -> Bool)] = [
        ("bent across the bars (can)", { $0.hard.bendAcrossDegrees >= 60 }),
        ("bent along the bars (bars curve)", { $0.hard.bendAlongDegrees >= 45 }),
        ("defocus: a blur disc of 1.5 modules or more", { $0.hard.discModules >= 1.5 }),
        ("shake of 1.5 modules or more", { $0.motionPixels >= 1.5 * $0.modulePixels }),
        ("glare over the bars", { $0.hard.glare >= 0.6 }),
        ("modules of 1.2 px or less", { $0.modulePixels <= 1.2 }),
        ("JPEG quality under 20", { $0.hard.jpegQuality > 0 && $0.hard.jpegQuality < 20 }),
        ("print defects", { $0.hard.fade >= 0.4 || $0.hard.flaws >= 6 }),
        ("trimmed at the guard", { $0.hard.quietModules < 1 }),
        ("a second symbol", { $0.hard.neighbourShare >= 0.3 }),
        ("dark exposure", { $0.hard.brightness < 0.3 }),
    ]

    /// For each hard case, the first of `factors` that shows it (nil when none does).
    public static func hardCaseExamples(_ factors: [DifficultyFactors]) -> [Int?] {
        hardCases.map { hardCase in factors.firstIndex(where: hardCase.shows) }
    }

    /// The sheet of the first `count` rows of the split at `root` (holding markup.csv and Images/),
    /// followed by the rows `extra` (indices into the markup).
    public static func make(split root: URL, count: Int = 16, extra: [Int] = [], columns: Int = 4,
                            tileSize: Int = 360) throws -> Image {
        let markup = try MarkupFile.read(contentsOf: root.appendingPathComponent("markup.csv"))
        let rows = Array(markup.prefix(count)) + extra.filter(markup.indices.contains).map { markup[$0] }
        guard !rows.isEmpty else { throw BoostBarcodeError.emptyDataset(path: root.path) }
        let captionHeight = 26, gap = 6
        let (cellWidth, cellHeight) = (tileSize + gap, tileSize + captionHeight + gap)
        let rowCount = (rows.count + columns - 1) / columns
        var sheet = ColourPlanes(width: columns * cellWidth + gap, height: rowCount * cellHeight + gap,
                                 fill: Colour(grey: 40))
        for (index, row) in rows.enumerated() {
            let image = try ImageFile.read(contentsOf: root.appendingPathComponent("Images").appendingPathComponent(row.path))
            let origin = Point(x: Double(gap + index % columns * cellWidth), y: Double(gap + index / columns * cellHeight))
            let scale = min(1, Double(tileSize) / Double(max(image.width, image.height)))
            paste(image, scale: scale, at: origin, into: &sheet)
            if let quad = row.quad { drawQuad(quad, scale: scale, at: origin, into: &sheet) }
            if let code = row.code {
                writeDigits(code, at: Point(x: origin.x + 4, y: origin.y + Double(tileSize) + 5), into: &sheet)
            }
        }
        return sheet.image()
    }

    /// Shrinks by averaging the source pixels under each sheet pixel.
    private static func paste(_ image: Image, scale: Double, at origin: Point, into sheet: inout ColourPlanes) {
        let (width, height) = (Int(Double(image.width) * scale), Int(Double(image.height) * scale))
        let plane = sheet.planeSize
        for y in 0..<height {
            let (top, bottom) = (Int(Double(y) / scale), max(Int(Double(y) / scale) + 1, Int(Double(y + 1) / scale)))
            for x in 0..<width {
                let (left, right) = (Int(Double(x) / scale), max(Int(Double(x) / scale) + 1, Int(Double(x + 1) / scale)))
                var sums: [Float] = [0, 0, 0]
                for sy in top..<min(bottom, image.height) {
                    for sx in left..<min(right, image.width) {
                        let offset = image.offset(x: sx, y: sy)
                        for channel in 0..<3 { sums[channel] += Float(image.pixels[offset + (image.isGrey ? 0 : channel)]) }
                    }
                }
                let samples = Float((min(bottom, image.height) - top) * (min(right, image.width) - left))
                let index = (Int(origin.y) + y) * sheet.width + Int(origin.x) + x
                for channel in 0..<3 { sheet.values[channel * plane + index] = sums[channel] / samples }
            }
        }
    }

    private static func drawQuad(_ quad: Quad, scale: Double, at origin: Point, into sheet: inout ColourPlanes) {
        // Pixel centres stay pixel centres: a source pixel i covers sheet pixels from i·s to (i+1)·s.
        let corners = quad.corners.map { Point(x: origin.x + ($0.x + 0.5) * scale - 0.5, y: origin.y + ($0.y + 0.5) * scale - 0.5) }
        let pen = (width: sheet.width, height: sheet.height)
        let sides = CoverageMask.strokes([[corners[1], corners[2], corners[3], corners[0]]], radius: 0.6,
                                         pictureWidth: pen.width, pictureHeight: pen.height)
        sheet.blend(Colour(red: 40, green: 255, blue: 40), through: sides)
        let top = CoverageMask.strokes([[corners[0], corners[1]]], radius: 0.6, pictureWidth: pen.width, pictureHeight: pen.height)
        sheet.blend(Colour(red: 255, green: 30, blue: 30), through: top)
        let corner = CoverageMask.strokes([[corners[0]]], radius: 2.5, pictureWidth: pen.width, pictureHeight: pen.height)
        sheet.blend(Colour(red: 40, green: 120, blue: 255), through: corner)
    }

    private static func writeDigits(_ code: EAN13Code, at origin: Point, into sheet: inout ColourPlanes) {
        let scale = 2.2
        let strokes = code.digits.enumerated().flatMap { position, digit in
            DigitGlyphs.strokes(for: Int(digit)).map { line in
                line.map { Point(x: origin.x + (Double(position) * 6 + $0.x) * scale, y: origin.y + $0.y * scale) }
            }
        }
        let mask = CoverageMask.strokes(strokes, radius: 0.9, pictureWidth: sheet.width, pictureHeight: sheet.height)
        sheet.blend(Colour(grey: 235), through: mask)
    }
}
