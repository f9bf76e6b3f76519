import Foundation
import Testing
@testable import BoostBarcode

/// The last look at a photo nothing else answered: its candidates found on levels stretched to the same
/// local contrast everywhere, read on the photo itself.
@Suite struct StretchedLookTests {
    @Test func stretchingEvensOutLocalContrastAndLeavesFlatPaperFlat() {
        // Stripes 8 pixels apart: ±3 levels on the left third, ±60 on the right third, flat between.
        let (width, height) = (240, 60)
        var values = [Float](repeating: 100, count: width * height)
        for y in 0..<height {
            for x in 0..<width where x < 80 || x >= 160 {
                values[y * width + x] = 100 + (x < 80 ? 3 : 60) * Float(sin(Double(x) * .pi / 4))
            }
        }
        let stretched = GreyPlane(width: width, height: height, values: values).contrastStretched(window: 31)
        func deviation(_ columns: Range<Int>) -> Float {
            let part = (20..<40).flatMap { y in columns.map { stretched.values[y * width + $0] } }
            let mean = part.reduce(0, +) / Float(part.count)
            return (part.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Float(part.count)).squareRoot()
        }
        let (faint, strong) = (deviation(20..<60), deviation(180..<220))
        #expect(faint > 10 && strong > 30)
        #expect(faint < strong)
        #expect(deviation(105..<135) < 0.5 && abs(stretched.values[30 * width + 120] - 128) < 0.5)
    }

    /// A faint label (18 levels between ink and paper) beside black and white stripes: the localizer's
    /// thresholds, shares of the strongest region's, leave it without a region of its own; on the
    /// stretched levels it has one, and the reader's last look reads it.
    @Test func aFaintSymbolBesideStrongStripesIsFoundOnTheStretchedLevels() throws {
        let code = try #require(EAN13Code(text: "5901234123457"))
        var recipe = cleanRecipe(code, moduleWidth: 2.5)
        (recipe.design.paperColour, recipe.design.inkColour) = (Colour(grey: 150), Colour(grey: 132))
        let (faint, quad) = try PhotoRenderer(recipe: recipe).render()
        var stripes = Image(width: faint.width, height: faint.height, channels: faint.channels)
        for y in 0..<stripes.height {
            for x in 0..<stripes.width {
                let level: UInt8 = (Double(x) * 0.5 + Double(y) * 0.87).truncatingRemainder(dividingBy: 8) < 4 ? 10 : 245
                for c in 0..<stripes.channels { stripes.pixels[stripes.offset(x: x, y: y) + c] = level }
            }
        }
        let (photo, symbol, _) = sideBySide((faint, quad), (stripes, quad))
        let plane = GreyPlane(photo)
        func finds(_ plane: GreyPlane) -> Bool {
            BarcodeLocalizer().candidates(in: plane).contains { QuadOverlap.intersectionOverUnion($0.quad, symbol) >= 0.5 }
        }
        #expect(!finds(plane))
        #expect(finds(plane.contrastStretched(window: 31)))
        var reader = try PhotoReader(model: try CodeModel.load(from: ShippedModelTests.folder))
        (reader.blurredReader, reader.readsFewEdgedCandidatesLast) = (nil, false)
        reader.looksAtStretchedLevels = false
        #expect(try reader.read(photo).code == nil)
        reader.looksAtStretchedLevels = true
        let reading = try reader.read(photo)
        #expect(reading.code == code && reading.readOnStretchedLevels)
    }
}
