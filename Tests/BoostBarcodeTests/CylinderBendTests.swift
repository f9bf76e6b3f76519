import Foundation
import Testing
@testable import BoostBarcode

/// Reading round a cylinder: where a can's label shows its modules, and a photo reader that reads such
/// a label, which the flat strip misreads.
@Suite struct CylinderBendTests {
    @Test func modulesCrowdTowardsTheRims() {
        let bend = CylinderBend(halfAngle: 50 * Double.pi / 180)
        #expect(bend.quadFraction(ofSymbolFraction: 0) == 0 && abs(bend.quadFraction(ofSymbolFraction: 1) - 1) < 1e-12)
        #expect(abs(bend.quadFraction(ofSymbolFraction: 0.5) - 0.5) < 1e-12)
        // The first module is narrower than the middle one by cos(50°), seen from in front.
        let first = bend.quadFraction(ofSymbolFraction: 1.0 / 95)
        let middle = bend.quadFraction(ofSymbolFraction: 48.0 / 95) - bend.quadFraction(ofSymbolFraction: 47.0 / 95)
        #expect(abs(first / middle - cos(50 * Double.pi / 180)) < 0.02)
        // The quiet zones go on at the ends' slope; flat is the identity.
        #expect(bend.quadFraction(ofSymbolFraction: -0.1) < 0 && bend.quadFraction(ofSymbolFraction: 1.1) > 1)
        #expect(CylinderBend.flat.quadFraction(ofSymbolFraction: 0.3) == 0.3)
    }

    @Test func photoReaderReadsALabelRoundACan() throws {
        let code = try #require(EAN13Code(text: "8413000065504"))
        var recipe = cleanRecipe(code, moduleWidth: 2.2)
        // The symbol spans 100° of the can, its middle facing the camera (from 70° to 110° the flat
        // strips read nothing surely and the bent ones read it).
        recipe.bend = LabelBend(axis: .alongBars, radius: 95 / (100 * Double.pi / 180), centre: 47.5, middle: 12,
                                depthShrink: 0, elevation: 0, shading: 0)
        let (photo, _) = try PhotoRenderer(recipe: recipe).render()
        var reader = try PhotoReader(model: try CodeModel.load(from: ShippedModelTests.folder))
        reader.blurredReader = nil
        #expect(try reader.read(photo).code == code)
        reader.bends = []
        #expect(try reader.read(photo).code == nil)
    }
}
