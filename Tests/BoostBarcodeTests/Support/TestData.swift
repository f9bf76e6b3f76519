import Foundation
@testable import BoostBarcode

/// A fresh, unique temporary folder; removed by the caller with `removeTemporaryFolder`.
func makeTemporaryFolder(_ name: String = #function) throws -> URL {
    let folder = FileManager.default.temporaryDirectory
        .appendingPathComponent("boostbarcode-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
}

func removeTemporaryFolder(_ folder: URL) {
    try? FileManager.default.removeItem(at: folder)
}

/// A clean, upright EAN-13 symbol on white: `moduleWidth` pixels a module, `barHeight` rows of bars,
/// `margin` white pixels around. Returns the image and the exact quad of the bars region.
func renderSymbol(_ code: EAN13Code, moduleWidth: Int = 2, barHeight: Int = 30, margin: Int = 12,
                  ink: [UInt8] = [0, 0, 0]) -> (Image, Quad) {
    let modules = EAN13Symbology.modules(for: code)
    let width = modules.count * moduleWidth + 2 * margin, height = barHeight + 2 * margin
    var image = Image(width: width, height: height, channels: 3, fill: 255)
    for (index, isBar) in modules.enumerated() where isBar {
        for x in margin + index * moduleWidth..<margin + (index + 1) * moduleWidth {
            for y in margin..<margin + barHeight {
                let o = image.offset(x: x, y: y)
                image.pixels[o..<o + 3] = ink[...]
            }
        }
    }
    // Pixel centres are integers, so the bars' outer edges sit half a pixel outside the first and last bar pixels.
    let left = Double(margin) - 0.5, right = Double(margin + modules.count * moduleWidth) - 0.5
    let top = Double(margin) - 0.5, bottom = Double(margin + barHeight) - 0.5
    let quad = Quad(topLeft: Point(x: left, y: top), topRight: Point(x: right, y: top),
                    bottomRight: Point(x: right, y: bottom), bottomLeft: Point(x: left, y: bottom))
    return (image, quad)
}

/// Small feature settings so tests run fast: 190 columns (2 per module), 100 rows, bands of 10 rows.
let smallFeatures: FeatureConfig = {
    var config = FeatureConfig()
    config.resizedWidth = 190
    config.resizedHeight = 100
    config.columnWhiteCount = 9
    return config
}()

/// Codes that vary at every position, with valid check digits.
func sampleCodes(_ count: Int, seed: UInt64 = 1) -> [EAN13Code] {
    var generator = SplitMix64(seed: seed)
    return (0..<count).map { _ in
        EAN13Code(first12: (0..<12).map { _ in UInt8.random(in: 0...9, using: &generator) })!
    }
}

/// Writes a split folder (`Images/` + `markup.csv`) of clean rendered symbols.
func writeSplit(at root: URL, codes: [EAN13Code], encoding: MarkupEncoding = .utf16) throws -> [MarkupRow] {
    let images = root.appendingPathComponent("Images")
    try FileManager.default.createDirectory(at: images, withIntermediateDirectories: true)
    var rows: [MarkupRow] = []
    for (index, code) in codes.enumerated() {
        let (image, quad) = renderSymbol(code)
        let name = "img-\(index).png"
        try PNGCodec.encode(image).write(to: images.appendingPathComponent(name))
        rows.append(MarkupRow(path: name, code: code, quad: quad))
    }
    try MarkupFile.write(rows, to: root.appendingPathComponent("markup.csv"), encoding: encoding)
    return rows
}
