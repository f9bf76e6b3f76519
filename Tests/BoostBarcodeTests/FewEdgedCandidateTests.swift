import Foundation
import Testing
@testable import BoostBarcode

/// The last pass over the candidates whose lines across crossed too few edges for the boosters' first
/// search: read by them once nothing else answered, answered only when sure.
@Suite struct FewEdgedCandidateTests {
    /// A clean symbol whose candidates all count as few-edged (the gate set past any symbol's 60
    /// edges): unread while the last pass is off, read by it when on.
    @Test func aPhotoWhoseCandidatesCrossTooFewEdgesIsReadByTheLastPass() throws {
        let code = try #require(EAN13Code(text: "4006381333931"))
        let (photo, quad) = try PhotoRenderer(recipe: cleanRecipe(code, moduleWidth: 2.5)).render()
        var reader = try PhotoReader(model: try CodeModel.load(from: ShippedModelTests.folder))
        reader.minimumReadableEdges = 1_000
        (reader.blurredReader, reader.smallestCopyLongSide, reader.largestDoubledLongSide) = (nil, .max, 0)
        reader.looksAtStretchedLevels = false
        reader.readsFewEdgedCandidatesLast = false
        #expect(try reader.read(photo).code == nil)
        reader.readsFewEdgedCandidatesLast = true
        let reading = try reader.read(photo)
        #expect(reading.code == code && reading.readFromFewEdgedCandidate)
        let found = try #require(reading.candidateQuad)
        #expect(QuadOverlap.intersectionOverUnion(found, quad) >= 0.5)
    }
}
