import Foundation
import Testing
@testable import BoostBarcode

@Suite struct HomographyTests {
    @Test func mapsTheFourCornersExactly() throws {
        let source = [Point(x: 13.5, y: 7.25), Point(x: 201, y: 30), Point(x: 190.5, y: 88), Point(x: 4, y: 61)]
        let target = [Point(x: 0, y: 0), Point(x: 199, y: 0), Point(x: 199, y: 49), Point(x: 0, y: 49)]
        let h = try #require(Homography.mapping(from: source, to: target))
        for (s, t) in zip(source, target) {
            let mapped = h.apply(s)
            #expect(abs(mapped.x - t.x) < 1e-9 && abs(mapped.y - t.y) < 1e-9)
        }
        let back = try #require(h.inverse)
        for (s, t) in zip(source, target) {
            #expect(back.apply(t).distance(to: s) < 1e-9)
        }
    }

    @Test func degenerateCornersGiveNil() {
        let collinear = [Point(x: 0, y: 0), Point(x: 1, y: 0), Point(x: 2, y: 0), Point(x: 3, y: 0)]
        #expect(Homography.mapping(from: collinear, to: collinear) == nil)
    }
}

@Suite struct PerspectiveWarpTests {
    @Test func sizeFollowsTheLongerEdgesTruncated() {
        let quad = Quad(topLeft: Point(x: 0, y: 0), topRight: Point(x: 10.9, y: 0),
                        bottomRight: Point(x: 12, y: 5.5), bottomLeft: Point(x: 0, y: 4))
        let size = PerspectiveWarp.rectifiedSize(of: quad)
        #expect(size.width == 12 && size.height == 5)
    }

    /// An upright pattern with one bar, stored rotated by 90°; the quad names its corners as read,
    /// so the warp must stand it upright with the bar in the columns the mapping predicts.
    @Test func rotatedBarLandsInExpectedColumns() throws {
        let (patternWidth, patternHeight) = (40, 12)
        let barColumns = 10...15
        var source = Image(width: patternHeight, height: patternWidth, channels: 1, fill: 255)
        for px in barColumns { for py in 0..<patternHeight { source.pixels[px * patternHeight + (patternHeight - 1 - py)] = 0 } }
        // Upright (px, py) is stored at (x: 11 - py, y: px): top-left is the top-right corner of the file.
        let quad = Quad(topLeft: Point(x: 11, y: 0), topRight: Point(x: 11, y: 39),
                        bottomRight: Point(x: 0, y: 39), bottomLeft: Point(x: 0, y: 0))
        let strip = try PerspectiveWarp.rectify(source, quad: quad)
        #expect(strip.width == 39 && strip.height == 11)
        let scale = 39.0 / 38.0  // output column x reads pattern column x · scale
        for x in 0..<strip.width {
            let column = (0..<strip.height).map { strip.pixels[$0 * strip.width + x] }
            let patternX = Double(x) * scale
            if patternX >= Double(barColumns.lowerBound), patternX <= Double(barColumns.upperBound) {
                #expect(column.allSatisfy { $0 == 0 }, "column \(x) should be bar")
            } else if patternX <= Double(barColumns.lowerBound - 1) || patternX >= Double(barColumns.upperBound + 1) {
                #expect(column.allSatisfy { $0 == 255 }, "column \(x) should be space")
            }
        }
    }

    @Test func outsideTheImageIsBlack() throws {
        let source = Image(width: 4, height: 4, channels: 3, fill: 200)
        let quad = Quad(topLeft: Point(x: -4, y: 0), topRight: Point(x: 3, y: 0),
                        bottomRight: Point(x: 3, y: 3), bottomLeft: Point(x: -4, y: 3))
        let strip = try PerspectiveWarp.rectify(source, quad: quad)
        #expect(strip.pixels[0] == 0)
        #expect(strip.pixels[strip.offset(x: strip.width - 1, y: 1)] == 200)
    }

    @Test func degenerateQuadThrows() {
        let point = Point(x: 5, y: 5)
        #expect(throws: BoostBarcodeError.self) {
            try PerspectiveWarp.rectify(Image(width: 8, height: 8, channels: 1),
                                        quad: Quad(topLeft: point, topRight: point, bottomRight: point, bottomLeft: point))
        }
    }
}

@Suite struct ResamplerTests {
    @Test func upscaleUsesPixelCentresAndClampsEdges() {
        let image = Image(width: 2, height: 1, channels: 1, pixels: [0, 200])!
        // Centres: output 1 reads source 0.25, output 2 reads 0.75; outputs 0 and 3 clamp.
        #expect(Resampler(width: 4, height: 1).resize(image).pixels == [0, 50, 150, 200])
    }

    @Test func halvingAveragesPairs() {
        let image = Image(width: 4, height: 1, channels: 1, pixels: [10, 20, 30, 40])!
        #expect(Resampler(width: 2, height: 1).resize(image).pixels == [15, 35])
    }

    @Test func sameSizeIsIdentity() {
        let image = Image(width: 3, height: 2, channels: 3, pixels: (0..<18).map { UInt8($0 * 14) })!
        #expect(Resampler(width: 3, height: 2).resize(image) == image)
    }

    @Test func onlyRequestedRowsAreComputed() {
        let image = Image(width: 2, height: 2, channels: 1, fill: 90)
        let resized = Resampler(width: 2, height: 4).resize(image, rows: 1..<3)
        #expect(resized.pixels == [0, 0, 90, 90, 90, 90, 0, 0])
    }
}

@Suite struct GreyConverterTests {
    /// The notebook's swapped weights: red counts 0.114, blue 0.299 (DATA.md section 3, step 3).
    @Test(arguments: [
        ([255, 0, 0], 29), ([0, 255, 0], 150), ([0, 0, 255], 76), ([255, 255, 255], 255), ([0, 0, 0], 0),
        ([10, 20, 30], 22),
        // Values where a 14-bit fixed point would round the other way (opencv-python's answers).
        ([55, 0, 71], 27), ([63, 197, 19], 129), ([236, 122, 117], 133),
    ] as [([UInt8], UInt8)])
    func swappedWeights(rgb: [UInt8], grey: UInt8) {
        #expect(GreyConverter.grey(rgb[0], rgb[1], rgb[2]) == grey)
    }

    @Test func greyImagesPassThrough() {
        let image = Image(width: 2, height: 1, channels: 1, pixels: [3, 4])!
        #expect(GreyConverter.convert(image) == image)
    }
}

@Suite struct BandFeatureExtractorTests {
    @Test func defaultsGive4800Features() throws {
        let config = FeatureConfig()
        #expect(config.featureCount == 4800 && config.stackedRows == 300..<700)
    }

    /// A strip already at the resized size: bars in known columns, and one dark pixel in band 4.
    @Test func knownBarPatternGivesKnownBits() throws {
        let extractor = BandFeatureExtractor(config: smallFeatures)
        let (width, height) = (smallFeatures.resizedWidth, smallFeatures.resizedHeight)
        var strip = Image(width: width, height: height, channels: 1, fill: 255)
        let barColumns: Set<Int> = [0, 1, 7, 50, 51, 52, 189]
        for x in barColumns { for y in 0..<height { strip.pixels[y * width + x] = 0 } }
        strip.pixels[45 * width + 100] = 50  // band 4; 50 is not above the threshold, so not white
        strip.pixels[55 * width + 101] = 51  // band 5; 51 is white
        let features = extractor.features(ofRectified: strip)
        #expect(features.count == 4 * width)
        for slot in 0..<4 {
            for x in 0..<width {
                var expected: UInt8 = barColumns.contains(x) ? 0 : 1
                if slot == 1 && x == 100 { expected = 0 }
                #expect(features[slot * width + x] == expected, "band slot \(slot), column \(x)")
            }
        }
    }

    @Test func renderedSymbolFeaturesFollowItsModules() throws {
        let code = try #require(EAN13Code(text: "4006381333931"))
        let (image, quad) = renderSymbol(code)
        let features = try BandFeatureExtractor(config: smallFeatures).features(of: image, quad: quad)
        let modules = EAN13Symbology.modules(for: code)
        // Output column x reads the symbol at x · 190/189 pixels (the quad's right edge maps to
        // column W − 1), i.e. at module u = x · 190/189 / 2. Check the columns that land well inside
        // a module; near module edges the bilinear mix can go either way.
        var checked = 0
        for x in 0..<190 {
            let u = Double(x) * 190 / 189 / 2
            guard (0.3...0.7).contains(u - u.rounded(.down)), Int(u) < 95 else { continue }
            checked += 1
            for band in 0..<4 {
                #expect(features[band * 190 + x] == (modules[Int(u)] ? 0 : 1), "band \(band), column \(x)")
            }
        }
        #expect(checked >= 60)
    }

    @Test func invalidSettingsAreRefused() {
        var config = FeatureConfig()
        config.bandCount = 7
        #expect(throws: BoostBarcodeError.self) { try FeatureExtractor(config: config) }
        config = FeatureConfig()
        config.lastStackedBand = 10
        #expect(throws: BoostBarcodeError.self) { try FeatureExtractor(config: config) }
    }
}
