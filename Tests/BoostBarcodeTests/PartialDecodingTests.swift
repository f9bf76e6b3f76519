import Foundation
import Testing
@testable import BoostBarcode

/// Decoding stopped after the rows the notebook features read, and those features computed without
/// resizing the plainly white band columns: both must give exactly what the full computation gives.
@Suite struct PartialDecodingTests {
    /// A picture whose rows all differ and compress poorly, so that its pixel data spans several chunks.
    private func noise(width: Int, height: Int, channels: Int, seed: UInt64) -> Image {
        var random = SeededRandom(seed: seed)
        return Image(width: width, height: height, channels: channels,
                     pixels: (0..<width * height * channels).map { _ in UInt8.random(in: 0...255, using: &random) })!
    }

    @Test(arguments: [1, 3])
    func topRowsAreThoseOfTheFullDecodeAndTheRestIsBlack(channels: Int) throws {
        let image = noise(width: 37, height: 50, channels: channels, seed: 7)
        let data = try PNGCodec.encode(image)
        let rowBytes = 37 * channels
        for topRows in [0, 1, 20, 49, 50, 80] {
            let top = try PNGCodec.decode(data, topRows: topRows)
            #expect(top.width == 37 && top.height == 50 && top.channels == channels)
            let kept = min(topRows, 50) * rowBytes
            #expect(top.pixels[..<kept] == image.pixels[..<kept], "top \(topRows)")
            #expect(top.pixels[kept...].allSatisfy { $0 == 0 }, "below \(topRows)")
        }
    }

    /// A file cut short (or damaged) below the rows asked for decodes: those rows are all that is read.
    /// The full decode of the same bytes refuses it.
    @Test func aFileCutBelowTheTopRowsStillGivesThem() throws {
        let image = noise(width: 64, height: 200, channels: 3, seed: 8)
        let data = try PNGCodec.encode(image)
        let cut = data.prefix(data.count * 6 / 10)
        #expect(throws: PNGError.self) { try PNGCodec.decode(cut) }
        let top = try PNGCodec.decode(cut, topRows: 10)
        #expect(top.pixels[..<(10 * 64 * 3)] == image.pixels[..<(10 * 64 * 3)])
        // Rows beyond the cut are not there to read.
        #expect(throws: PNGError.self) { try PNGCodec.decode(cut, topRows: 200) }
        // A file without pixel data is refused however few rows are asked for.
        #expect(throws: PNGError.self) { try PNGCodec.decode(data.prefix(60), topRows: 1) }
    }

    @Test func headerLimitsApplyToPartialDecoding() throws {
        let data = try PNGCodec.encode(Image(width: 30, height: 30, channels: 1, fill: 9))
        #expect(throws: PNGError.self) {
            try PNGCodec.decode(data, limits: ImageLimits(maximumWidth: 100, maximumHeight: 100, maximumPixels: 800), topRows: 1)
        }
    }

    /// Rows below the bound can be anything: the warp reads none of them.
    @Test func theWarpReadsNoRowBelowItsBound() throws {
        let image = noise(width: 120, height: 160, channels: 3, seed: 9)
        let extractor = try BandFeatureExtractor(config: smallFeatures)
        var random = SeededRandom(seed: 10)
        var bounded = 0
        for _ in 0..<40 {
            func corner(_ x: ClosedRange<Double>, _ y: ClosedRange<Double>) -> Point {
                Point(x: Double.random(in: x, using: &random), y: Double.random(in: y, using: &random))
            }
            let quad = Quad(topLeft: corner(-10...50, -10...70), topRight: corner(70...130, -10...70),
                            bottomRight: corner(70...130, 90...170), bottomLeft: corner(-10...50, 90...170))
            guard let rows = extractor.pictureRowsRead(quad: quad) else { continue }
            var cut = image
            for i in min(rows, image.height) * image.width * 3..<cut.pixels.count { cut.pixels[i] = 255 }
            #expect(try extractor.features(of: cut, quad: quad) == extractor.features(of: image, quad: quad))
            if rows < image.height { bounded += 1 }
            let wholeStrip = { (height: Int) in 0..<height }
            // Nil when the strip's mapping passes through infinity (a quad folded over itself): all rows are read.
            guard let whole = PerspectiveWarp.sourceRowsRead(quad: quad, rows: wholeStrip) else { continue }
            var cutBelowWhole = image
            for i in min(whole, image.height) * image.width * 3..<cutBelowWhole.pixels.count { cutBelowWhole.pixels[i] = 255 }
            #expect(try PerspectiveWarp.rectify(cutBelowWhole, quad: quad) == PerspectiveWarp.rectify(image, quad: quad))
        }
        #expect(bounded > 20)  // the bound is below the picture's bottom for most of these quads
    }

    /// Strips of grey levels around the threshold, whole regions a few levels above it: the columns
    /// and rows skipped as plainly white, and the columns settled early as dark, must give the bits
    /// the full resize gives. A white count of 6 of 10 settles a column only at its fourth dark pixel.
    @Test(arguments: [1, 3], [9, 6])
    func skippingPlainlyWhiteColumnsChangesNoBit(channels: Int, columnWhiteCount: Int) throws {
        var random = SeededRandom(seed: UInt64(channels * 100 + columnWhiteCount))
        var config = smallFeatures
        config.columnWhiteCount = columnWhiteCount
        let fast = try BandFeatureExtractor(config: config)
        let full = BandLevelExtractor(config: config)
        var settled = 0
        for (width, height) in [(60, 30), (190, 100), (250, 140), (400, 90)] {
            for _ in 0..<6 {
                // Light columns near the threshold (50): 51…56, with a few darker pixels and dark bars.
                var strip = Image(width: width, height: height, channels: channels)
                let floor = UInt8.random(in: 51...54, using: &random)
                for i in strip.pixels.indices { strip.pixels[i] = floor + UInt8.random(in: 0...2, using: &random) }
                for _ in 0..<(width / 8) {
                    let x = Int.random(in: 0..<width, using: &random), y = Int.random(in: 0..<height, using: &random)
                    let dark = UInt8.random(in: 40...52, using: &random)
                    for c in 0..<channels { strip.pixels[(y * width + x) * channels + c] = dark }
                }
                let bar = Int.random(in: 0..<width - 3, using: &random)
                for y in 0..<height { for x in bar..<bar + 3 { for c in 0..<channels { strip.pixels[(y * width + x) * channels + c] = 0 } } }
                let bits = fast.features(ofRectified: strip)
                #expect(bits == full.features(ofRectified: strip), "\(width)×\(height)")
                settled += bits.filter { $0 == 1 }.count
            }
        }
        #expect(settled > 0)
    }
}
