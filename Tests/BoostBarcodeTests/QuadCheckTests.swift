import Foundation
import Testing
@testable import BoostBarcode

@Suite struct QuadCheckTests {
    func quad(_ c: [(Double, Double)]) -> Quad {
        Quad(topLeft: Point(x: c[0].0, y: c[0].1), topRight: Point(x: c[1].0, y: c[1].1),
             bottomRight: Point(x: c[2].0, y: c[2].1), bottomLeft: Point(x: c[3].0, y: c[3].1))
    }

    @Test func readableQuadsPass() {
        #expect(quad([(10, 10), (90, 12), (88, 50), (12, 48)]).problem(inImageOfWidth: 100, height: 60) == nil)
        // Upside down (read from the bottom right) and mirrored orders are still convex quads.
        #expect(quad([(88, 50), (12, 48), (10, 10), (90, 12)]).problem(inImageOfWidth: 100, height: 60) == nil)
        #expect(quad([(90, 12), (10, 10), (12, 48), (88, 50)]).problem(inImageOfWidth: 100, height: 60) == nil)
    }

    @Test func degenerateQuadsAreNamed() {
        let collinear = quad([(0, 0), (50, 0), (100, 0), (0, 30)])
        #expect(collinear.problem(inImageOfWidth: 200, height: 200) == .collinearCorners)
        let repeated = quad([(5, 5), (5, 5), (40, 30), (5, 30)])
        #expect(repeated.problem(inImageOfWidth: 200, height: 200) == .collinearCorners)
        let point = quad([(7, 7), (7, 7), (7, 7), (7, 7)])
        #expect(point.problem(inImageOfWidth: 200, height: 200) == .collinearCorners)
        #expect(collinear.problem(inImageOfWidth: 200, height: 200)!.description.contains("zero area"))
    }

    @Test func selfIntersectingAndConcaveQuadsAreNamed() {
        let bowTie = quad([(0, 0), (40, 0), (0, 20), (40, 20)])  // bottom corners swapped
        #expect(bowTie.problem(inImageOfWidth: 100, height: 100) == .selfIntersecting)
        let dart = quad([(0, 0), (40, 0), (20, 5), (0, 40)])  // bottom-right pushed inwards
        #expect(dart.problem(inImageOfWidth: 100, height: 100) == .notConvex)
    }

    @Test func tinyQuadsAreNamed() {
        #expect(quad([(10, 10), (11.5, 10), (11.5, 30), (10, 30)]).problem(inImageOfWidth: 100, height: 100)
                == .tooSmall(width: 1, height: 20))
        #expect(quad([(10, 10), (40, 10), (40, 11), (10, 11)]).problem(inImageOfWidth: 100, height: 100)
                == .tooSmall(width: 30, height: 1))
        #expect(quad([(10, 10), (12, 10), (12, 12), (10, 12)]).problem(inImageOfWidth: 100, height: 100) == nil)
    }

    @Test func quadsMostlyOffThePictureAreNamed() {
        // The picture covers -0.5 ... 99.5 across. 60 % on it passes, 40 % does not.
        #expect(quad([(39.5, 0), (139.5, 0), (139.5, 10), (39.5, 10)]).problem(inImageOfWidth: 100, height: 50) == nil)
        #expect(quad([(59.5, 0), (159.5, 0), (159.5, 10), (59.5, 10)]).problem(inImageOfWidth: 100, height: 50)
                == .outsideImage(shareInside: 0.4))
        let far = quad([(1e9, 1e9), (1e9 + 50, 1e9), (1e9 + 50, 1e9 + 20), (1e9, 1e9 + 20)])
        #expect(far.problem(inImageOfWidth: 100, height: 50) == .outsideImage(shareInside: 0))
        #expect(far.problem(inImageOfWidth: 100, height: 50)!.description == "quad lies mostly outside the picture: 0 % of its area is on it, at least 50 % must be")
    }

    /// Bad quads, and unreadable or missing images, are skipped one row each; the other rows go on.
    @Test func extractionSkipsBadRowsAndKeepsTheRest() throws {
        let folder = try makeTemporaryFolder()
        defer { removeTemporaryFolder(folder) }
        var rows = try writeSplit(at: folder, codes: sampleCodes(6))
        rows[1].quad = quad([(0, 0), (40, 0), (0, 20), (40, 20)])
        rows[2].quad = quad([(5000, 5000), (5100, 5000), (5100, 5030), (5000, 5030)])
        let images = folder.appendingPathComponent("Images")
        try Data().write(to: images.appendingPathComponent(rows[3].path))
        let png = try Data(contentsOf: images.appendingPathComponent(rows[4].path))
        try png.prefix(png.count / 2).write(to: images.appendingPathComponent(rows[4].path))
        try MarkupFile.write(rows, to: folder.appendingPathComponent("markup.csv"))

        let extraction = FeatureExtraction(extractor: try FeatureExtractor(config: smallFeatures), threads: 1)
        let extracted = extraction.extract(try DatasetSplit(root: folder), requireCodes: true)
        #expect(extracted.rows.map(\.path) == [rows[0].path, rows[5].path])
        #expect(extracted.features.rowCount == 2)
        #expect(extracted.skipped.map(\.path) == [rows[1].path, rows[2].path, rows[3].path, rows[4].path])
        #expect(extracted.skipped.map(\.reason) == [.degenerateQuad, .degenerateQuad, .unreadableImage, .unreadableImage])
        #expect(extracted.skipped[0].detail.contains("self-intersecting"))
        #expect(extracted.skipped[2].detail == "cannot read \(images.appendingPathComponent(rows[3].path).path): empty file")
        #expect(extracted.skipped[3].detail.contains(rows[4].path))
    }
}
