import Foundation
import Testing
@testable import BoostBarcode
@testable import BoostBarcodeCLI

/// The localizer on small rendered symbols: it finds the bars region of each, in the right reading
/// direction where the guard bars tell it, and finds nothing on a blank picture.
@Suite struct DetectTests {
    /// Upright, turned, upside down, and tilted: the top candidate overlaps the true quad.
    @Test(arguments: [(0.0, 0.0, 0.0), (0.3, 0.0, 0.0), (0.5, 0.0, 0.0), (1.0, 0.0, 0.0), (1.4, 0.0, 0.0),
                      (0.2, 0.4, -0.3), (1.7, -0.3, 0.4)])
    func findsARenderedSymbol(_ turn: (Double, Double, Double)) throws {
        let code = try #require(EAN13Code(text: "4006381333931"))
        let recipe = cleanRecipe(code, moduleWidth: 2, rotation: turn.0 * Double.pi, pitch: turn.1, yaw: turn.2)
        let (image, truth) = try PhotoRenderer(recipe: recipe).render()
        let candidates = BarcodeLocalizer().candidates(in: image)
        let top = try #require(candidates.first)
        let overlap = QuadOverlap.intersectionOverUnion(top.quad, truth)
        #expect(overlap >= 0.8, "IoU \(overlap) with the true quad")
        // The guard bars reach below the data bars only at the bottom, so the direction is known.
        #expect(DetectionEvaluation.cornerDistance(top.quad, truth) < DetectionEvaluation.cornerDistance(top.flipped, truth))
    }

    /// Bars of one and a half pixels a module with the generator's camera effects.
    @Test(arguments: 0..<3)
    func findsASmallPhotographedSymbol(_ index: Int) throws {
        var random = SeededRandom(seed: 21, path: UInt64(index))
        var settings = smallSynthSettings()
        settings.moduleWidth = 1.5...2
        let recipe = PhotoRecipe.random(codes: CodeSampler(seed: 21), settings: settings, using: &random)
        let (image, truth) = try PhotoRenderer(recipe: recipe).render()
        let quads = BarcodeLocalizer().candidates(in: image).map(\.quad)
        #expect(quads.contains { QuadOverlap.intersectionOverUnion($0, truth) >= 0.7 })
    }

    /// Generator photos drawn 4× larger (modules of 8 to 12 soft pixels): the refiner, whose steps and
    /// thresholds are in pixels, finds no bars or only part of them at full resolution, and finds the
    /// symbol on a coarser plane (`BarcodeLocalizer.coarserLookWidth`).
    @Test(arguments: [18, 19, 22])
    func findsAPhotographedSymbolDrawnLarger(_ index: Int) throws {
        var random = SeededRandom(seed: 21, path: UInt64(index))
        let recipe = PhotoRecipe.random(codes: CodeSampler(seed: 21), settings: smallSynthSettings(), using: &random)
        let (image, truth) = try PhotoRenderer(recipe: recipe).render()
        let large = GreyPlane(Resampler(width: 4 * image.width, height: 4 * image.height).resize(image))
        func bestOverlap(_ localizer: BarcodeLocalizer) -> Double {
            localizer.candidates(in: large).map { QuadOverlap.intersectionOverUnion($0.quad, truth.scaled(by: 4)) }.max() ?? 0
        }
        var fullResolutionOnly = BarcodeLocalizer()
        fullResolutionOnly.coarserLookWidth = nil
        #expect(bestOverlap(BarcodeLocalizer()) >= 0.8)
        #expect(bestOverlap(fullResolutionOnly) < 0.7)
    }

    /// The lazily refined list gives the eager list's candidates in its order, whichever is asked first.
    @Test(arguments: 0..<4)
    func candidateListMatchesTheEagerList(_ index: Int) throws {
        var random = SeededRandom(seed: 33, path: UInt64(index))
        let recipe = PhotoRecipe.random(codes: CodeSampler(seed: 33), settings: smallSynthSettings(), using: &random)
        let plane = try GreyPlane(PhotoRenderer(recipe: recipe).render().0)
        let localizer = BarcodeLocalizer()
        let eager = localizer.candidates(in: plane)
        var inOrder = localizer.candidateList(in: plane), lastFirst = localizer.candidateList(in: plane)
        let asked = (0...eager.count).map { inOrder.candidate($0) }
        #expect(asked.compactMap { $0?.quad } == eager.map(\.quad) && asked.last! == nil)
        #expect(lastFirst.candidate(eager.count) == nil)
        #expect((0..<eager.count).map { lastFirst.candidate($0)?.quad } == eager.map(\.quad))
    }

    /// Pictures of 8 to 11 pixels a side (their coarse copy is smaller than one orientation cell) are
    /// searched without reading past the plane (found by fuzzing the localizer).
    @Test func tinyPicturesAreSearchedWithinTheirPixels() {
        for side in 8...11 {
            let stripes = Image(width: side, height: side, channels: 1,
                                pixels: (0..<side * side).map { $0 % 2 == 0 ? 20 : 230 })!
            let field = OrientationField(GreyPlane(stripes).downscaled(by: 2), cellSize: 4, smoothingRadius: 1)
            #expect(field.columns * field.rows == 0 || side >= 10)
            _ = BarcodeLocalizer().candidates(in: stripes)
        }
    }

    /// A colour photo's grey plane (converted in C, vectorised) holds GreyConverter's level of every
    /// pixel: every channel value in every position, and rows whose length is no multiple of a vector.
    @Test func greyPlaneLevelsAreGreyConvertersLevels() {
        var random = SeededRandom(seed: 5, path: 0)
        for (width, height) in [(1, 3), (7, 3), (33, 3), (256, 256)] {
            // The first 256 pixels take every value in each channel, (k, k + 85, k + 170); the rest are random.
            var pixels: [UInt8] = []
            for i in 0..<3 * width * height {
                let channelValue = (i / 3 + 85 * (i % 3)) % 256
                pixels.append(i < 3 * 256 ? UInt8(channelValue) : UInt8.random(in: 0...255, using: &random))
            }
            let image = Image(width: width, height: height, channels: 3, pixels: pixels)!
            var expected: [Float] = []
            for p in 0..<width * height {
                expected.append(Float(GreyConverter.grey(pixels[3 * p], pixels[3 * p + 1], pixels[3 * p + 2])))
            }
            #expect(GreyPlane(image).values == expected)
        }
    }

    /// A photo's second symbol, cut by the frame, ranks below its whole one: a larger symbol whose left
    /// guard and first digits lie beyond the picture's left edge, beside a smaller whole one, scores
    /// more than it as a region, and the cut candidate's corners on the frame halve its score.
    @Test func aSymbolCutByTheFrameRanksBelowAWholeOne() throws {
        let code = try #require(EAN13Code(text: "4006381333931"))
        let (large, largeTruth) = try PhotoRenderer(recipe: cleanRecipe(code, moduleWidth: 2.4)).render()
        let (small, smallTruth) = try PhotoRenderer(recipe: cleanRecipe(code, moduleWidth: 2)).render()
        // The large photo from 8 modules into its bars on, the small one whole to its right.
        let cut = Int(largeTruth.topLeft.x + 8 * 2.4)
        let height = max(large.height, small.height), width = large.width - cut + small.width
        var pixels = [UInt8](repeating: 128, count: width * height * 3)
        for y in 0..<height {
            for x in 0..<width {
                let (image, sourceX) = x < large.width - cut ? (large, x + cut) : (small, x - (large.width - cut))
                guard y < image.height else { continue }
                for c in 0..<3 { pixels[(y * width + x) * 3 + c] = image.pixels[image.offset(x: sourceX, y: y) + c] }
            }
        }
        let photo = try #require(Image(width: width, height: height, channels: 3, pixels: pixels))
        func shifted(_ p: Point) -> Point { Point(x: p.x + Double(large.width - cut), y: p.y) }
        let whole = Quad(topLeft: shifted(smallTruth.topLeft), topRight: shifted(smallTruth.topRight),
                         bottomRight: shifted(smallTruth.bottomRight), bottomLeft: shifted(smallTruth.bottomLeft))
        let candidates = BarcodeLocalizer().candidates(in: photo)
        let top = try #require(candidates.first)
        #expect(QuadOverlap.intersectionOverUnion(top.quad, whole) >= 0.8, "top candidate \(top.quad), whole symbol \(whole)")
        // The cut symbol is found too, its corners on the frame.
        #expect(candidates.dropFirst().contains { $0.quad.corners.contains { $0.x <= QuadRefiner.frameMarginModules * 2.4 } })
    }

    /// Two regions over the same place are the same bars only when they also run the same way.
    @Test func regionsAreTheSameBarsInOneDirectionOnly() {
        let across = OrientedRectangle(centre: Point(x: 50, y: 50), normal: Point(x: 1, y: 0), halfWidth: 30, halfHeight: 30)
        var turned = across
        turned.normal = Point(x: 0, y: 1)
        var tilted = across
        tilted.normal = Point(x: cos(0.2), y: sin(0.2))
        var elsewhere = across
        elsewhere.centre = Point(x: 200, y: 50)
        #expect(BarcodeLocalizer.seeTheSameBars(across, tilted))
        #expect(!BarcodeLocalizer.seeTheSameBars(across, turned))
        #expect(!BarcodeLocalizer.seeTheSameBars(across, elsewhere))
    }

    @Test func findsNothingOnABlankPicture() {
        #expect(BarcodeLocalizer().candidates(in: Image(width: 200, height: 150, channels: 3, fill: 128)).isEmpty)
        var noise = SplitMix64(seed: 3)
        let speckled = Image(width: 160, height: 120, channels: 1,
                             pixels: (0..<160 * 120).map { _ in UInt8.random(in: 100...140, using: &noise) })!
        #expect(BarcodeLocalizer().candidates(in: speckled).isEmpty)
    }

    /// Each pixel of the halved copy is its 2 × 2 block's rounded mean, channel by channel; an odd last
    /// row and column are left out.
    @Test func halvingAveragesBlocks() throws {
        let colour = try #require(Image(width: 3, height: 3, channels: 3, pixels: (0..<27).map { UInt8($0 * 9) }))
        let half = colour.halved()
        #expect(half.width == 1 && half.height == 1 && half.channels == 3)
        // Pixels (0,0), (1,0), (0,1), (1,1) start at bytes 0, 3, 9, 12 (sum 24; plus the channel each), times 9.
        let expected: [UInt8] = (0..<3).map { (c: Int) -> UInt8 in UInt8(((24 + 4 * c) * 9 + 2) / 4) }
        #expect(half.pixels == expected)
        let grey = try #require(Image(width: 4, height: 2, channels: 1, pixels: [0, 1, 10, 20, 1, 1, 30, 41]))
        #expect(grey.halved().pixels == [1, 25])
    }

    @Test func overlapOfQuads() {
        func square(_ x: Double, _ y: Double, _ side: Double) -> Quad {
            Quad(topLeft: Point(x: x, y: y), topRight: Point(x: x + side, y: y),
                 bottomRight: Point(x: x + side, y: y + side), bottomLeft: Point(x: x, y: y + side))
        }
        let a = square(0, 0, 10)
        #expect(QuadOverlap.intersectionOverUnion(a, a) == 1)
        #expect(abs(QuadOverlap.intersectionOverUnion(a, square(5, 0, 10)) - 1.0 / 3) < 1e-12)
        #expect(QuadOverlap.intersectionOverUnion(a, square(20, 0, 10)) == 0)
        #expect(QuadOverlap.intersectionOverUnion(a.rotatedHalfTurn, square(5, 0, 10)) == QuadOverlap.intersectionOverUnion(a, square(5, 0, 10)))
        #expect(a.rotatedHalfTurn.rotatedHalfTurn == a && a.rotatedHalfTurn.topLeft == a.bottomRight)
    }

    @Test func evaluationCountsTopAnyAndDirection() {
        let truth = Quad(topLeft: Point(x: 0, y: 0), topRight: Point(x: 95, y: 0),
                         bottomRight: Point(x: 95, y: 40), bottomLeft: Point(x: 0, y: 40))
        let elsewhere = Quad(topLeft: Point(x: 200, y: 0), topRight: Point(x: 260, y: 0),
                             bottomRight: Point(x: 260, y: 30), bottomLeft: Point(x: 200, y: 30))
        let evaluation = DetectionEvaluation([
            .init(path: "a", candidates: [truth], truth: truth, milliseconds: 1),
            .init(path: "b", candidates: [truth.rotatedHalfTurn], truth: truth, milliseconds: 3),
            .init(path: "c", candidates: [elsewhere, truth], truth: truth, milliseconds: 2),
            .init(path: "d", candidates: [], truth: truth, milliseconds: 5),
            .init(path: "e", candidates: [elsewhere], truth: nil, milliseconds: 4),
        ])
        let rows = evaluation.labelled
        #expect(rows.filter(evaluation.topIsRight).map(\.path) == ["a", "b"])
        #expect(rows.filter(evaluation.topIsRightWayRound).map(\.path) == ["a"])
        #expect(rows.filter { evaluation.anyIsRight($0, among: 2) }.map(\.path) == ["a", "b", "c"])
        #expect(evaluation.medianMilliseconds == 3)
    }

    /// A folder of two photos: `a.png` a clean symbol at `rotation` (its true quad returned), `b.png` blank.
    func writeSymbolAndBlankPhotos(in images: URL, rotation: Double) throws -> Quad {
        try FileManager.default.createDirectory(at: images, withIntermediateDirectories: true)
        let (symbol, truth) = try PhotoRenderer(recipe: cleanRecipe(try #require(EAN13Code(text: "5901234123457")),
                                                                moduleWidth: 2, rotation: rotation)).render()
        try PNGCodec.encode(symbol).write(to: images.appendingPathComponent("a.png"))
        try PNGCodec.encode(Image(width: 120, height: 90, channels: 3, fill: 200)).write(to: images.appendingPathComponent("b.png"))
        return truth
    }

    /// `detect` writes one row per photo: the quad where there are bars, an empty one where not.
    @Test func detectCommandWritesOneRowPerPhoto() throws {
        let folder = try makeTemporaryFolder()
        defer { removeTemporaryFolder(folder) }
        let images = folder.appendingPathComponent("Images")
        let truth = try writeSymbolAndBlankPhotos(in: images, rotation: 0.4)
        let out = folder.appendingPathComponent("markup.csv").path
        var command = try BoostBarcodeCommand.parseAsRoot(
            ["detect", "--images", images.path, "--out", out, "--max-candidates", "2", "--quiet",
             "--debug-png", folder.appendingPathComponent("sketches").path])
        try command.run()
        let rows = try MarkupFile.read(contentsOf: URL(fileURLWithPath: out))
        #expect(rows.map(\.path) == ["a.png", "b.png"] && rows.allSatisfy { $0.code == nil })
        let quad = try #require(rows[0].quad)
        #expect(QuadOverlap.intersectionOverUnion(quad, truth) >= 0.8)
        #expect(rows[1].quad == nil)
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("sketches/a.png").path))
    }

    /// `predict --images`: each photo localized and read; a photo without bars gets an empty row.
    @Test func predictReadsPhotosWithoutQuads() throws {
        let folder = try makeTemporaryFolder()
        defer { removeTemporaryFolder(folder) }
        let train = folder.appendingPathComponent("Train")
        _ = try writeSplit(at: train, codes: sampleCodes(24, seed: 5))
        let models = folder.appendingPathComponent("models").path
        var trainCommand = try BoostBarcodeCommand.parseAsRoot(
            ["train", "--data", train.path, "--models", models, "--rounds", "3", "--threads", "1", "--quiet", "--features",
             "notebook", "--resized-width", "190", "--resized-height", "100", "--column-white-count", "9"])
        try trainCommand.run()
        let images = folder.appendingPathComponent("Photos")
        let truth = try writeSymbolAndBlankPhotos(in: images, rotation: 2.5)
        let answer = folder.appendingPathComponent("answer.csv").path
        let times = folder.appendingPathComponent("times.csv").path
        var predict = try BoostBarcodeCommand.parseAsRoot(
            ["predict", "--images", images.path, "--models", models, "--out", answer, "--min-confidence", "0",
             "--search-confidence", "0", "--times", times, "--quiet"])
        try predict.run()
        let rows = try MarkupFile.read(contentsOf: URL(fileURLWithPath: answer))
        #expect(rows.map(\.path) == ["a.png", "b.png"])
        let quad = try #require(rows[0].quad)
        #expect(rows[0].code != nil && QuadOverlap.intersectionOverUnion(quad, truth) >= 0.8)
        #expect(rows[1].code == nil && rows[1].quad == nil)
        let timeLines = try String(contentsOfFile: times, encoding: .utf8).split(separator: "\n")
        #expect(timeLines.first == "path,decode_ms,read_ms,candidate,strips" && timeLines.count == 3)
        #expect(timeLines[2].hasPrefix("b.png,") && timeLines[2].hasSuffix(",,0"))
        #expect(throws: (any Error).self) { try BoostBarcodeCommand.parseAsRoot(["predict", "--images", "x", "--data", "y"]) }

        // A candidate with fewer edges than a sharp symbol shows is not read: with every candidate
        // counted as blurred, nothing is; otherwise the unsure top candidate is read, and read again
        // through its variants.
        let photo = try PNGCodec.read(contentsOf: images.appendingPathComponent("a.png"))
        var reader = try PhotoReader(model: try CodeModel.load(from: URL(fileURLWithPath: models)))
        reader.searchConfidence = 1
        #expect(!reader.localizer.candidates(in: photo).isEmpty)
        reader.blurredReader = nil   // the boosters' search alone (BlurredStripTests reads the rest)
        reader.readsFewEdgedCandidatesLast = false   // nor the last pass over few-edged candidates (FewEdgedCandidateTests)
        // The search at the photo's own size: no copies, no last look (BlurredStripTests, StretchedLookTests).
        (reader.smallestCopyLongSide, reader.largestDoubledLongSide, reader.looksAtStretchedLevels) = (.max, 0, false)
        reader.minimumReadableEdges = Int.max
        let blurred = try reader.read(photo)
        #expect(blurred.stripsRead == 0 && blurred.decoded == nil && blurred.code == nil)
        reader.minimumReadableEdges = 0
        reader.agreementConfidence = 2
        let searched = try reader.read(photo)
        #expect(searched.stripsRead > 5 && !searched.confirmed && searched.code == nil)
        // Two readings of different quads agreeing on a code answer it and end the search.
        reader.agreementConfidence = 0
        let agreed = try reader.read(photo)
        #expect(agreed.confirmed && agreed.code != nil && agreed.code == agreed.decoded?.constrained)
        #expect(agreed.stripsRead < searched.stripsRead)

        // `detect --models` writes the candidate whose reading is the most confident, in its direction.
        let detected = folder.appendingPathComponent("detected.csv").path
        var detect = try BoostBarcodeCommand.parseAsRoot(
            ["detect", "--images", images.path, "--models", models, "--min-confidence", "0", "--search-confidence", "0", "--out", detected, "--quiet"])
        try detect.run()
        let detectedRows = try MarkupFile.read(contentsOf: URL(fileURLWithPath: detected))
        #expect(detectedRows.map(\.path) == ["a.png", "b.png"] && detectedRows[1].quad == nil)
        #expect(QuadOverlap.intersectionOverUnion(try #require(detectedRows[0].quad), truth) >= 0.8)
    }

    /// The candidate a confident reading came from goes first, turned to the direction it read; a
    /// reading below the confidence needed, or of no listed candidate, leaves the localizer's order.
    @Test func readingChoosesTheCandidate() throws {
        func candidate(_ x: Double, score: Double) -> BarcodeCandidate {
            let quad = Quad(topLeft: Point(x: x, y: 0), topRight: Point(x: x + 10, y: 0),
                            bottomRight: Point(x: x + 10, y: 5), bottomLeft: Point(x: x, y: 5))
            let region = OrientedRectangle(centre: Point(x: x + 5, y: 2.5), normal: Point(x: 1, y: 0), halfWidth: 5, halfHeight: 2.5)
            return BarcodeCandidate(quad: quad, score: score, region: region, edgeCount: 60)
        }
        let candidates = [candidate(0, score: 3), candidate(20, score: 2), candidate(40, score: 1)]
        let code = try #require(EAN13Code(text: "4006381333931"))
        var reading = PhotoReader.Reading()
        reading.decoded = DecodedCode(raw: code, constrained: code, confidence: 0.8)
        (reading.candidate, reading.candidateQuad) = (1, candidates[1].flipped)
        let chosen = FolderDetection.chosenByReading(candidates, reading, minimumConfidence: 0.5)
        #expect(chosen.map(\.score) == [2, 3, 1] && chosen[0].quad == candidates[1].flipped)
        #expect(FolderDetection.chosenByReading(candidates, reading, minimumConfidence: 0.9) == candidates)
        // A refitted quad replaces its candidate's.
        reading.candidateQuad = candidate(21, score: 0).quad
        #expect(FolderDetection.chosenByReading(candidates, reading, minimumConfidence: 0.5)[0].quad == reading.candidateQuad)
        reading.candidate = 3
        #expect(FolderDetection.chosenByReading(candidates, reading, minimumConfidence: 0.5) == candidates)
    }

    /// A symbol whose quad runs twenty modules too far left, or has one corner off along the bars, is
    /// found again by the reader's variants.
    @Test func variantsRecoverAQuadOffTheSymbol() throws {
        let (image, truth) = try PhotoRenderer(recipe: cleanRecipe(try #require(EAN13Code(text: "4006381333931")),
                                                               moduleWidth: 3, rotation: 0.2)).render()
        let truthVariants = try #require(QuadVariants(truth))
        let wide = truthVariants.part(u: -20.0 / 95...1, v: 0...1)
        #expect(QuadOverlap.intersectionOverUnion(wide, truth) < 0.85)
        let wideVariants = try #require(QuadVariants(wide))
        let refitted = try #require(wideVariants.refitted(in: image))
        #expect(QuadOverlap.intersectionOverUnion(refitted, truth) >= 0.95, "IoU \(QuadOverlap.intersectionOverUnion(refitted, truth))")
        // A parallelogram's own variants are itself; one corner moved is put back by the variant replacing it.
        for parallelogram in truthVariants.parallelograms {
            let again = try #require(QuadVariants(parallelogram)).parallelograms
            #expect(again.allSatisfy { DetectionEvaluation.cornerDistance($0, parallelogram) < 1e-9 })
        }
        var moved = truth
        moved.bottomRight = Point(x: truth.bottomRight.x + 4, y: truth.bottomRight.y + 9)
        // Turned about the vertical axis: the left edge 8 % shorter, the right 8 % longer, on the same lines.
        let yawed = truthVariants.yawed(by: 0.04)
        #expect(abs(yawed.topLeft.distance(to: yawed.bottomLeft) / truth.topLeft.distance(to: truth.bottomLeft) - 0.92) < 1e-9)
        #expect(abs(yawed.topRight.distance(to: yawed.bottomRight) / truth.topRight.distance(to: truth.bottomRight) - 1.08) < 1e-9)
        #expect(truthVariants.yawed(by: 0) == truth)
        let movedVariants = try #require(QuadVariants(moved))
        #expect(DetectionEvaluation.cornerDistance(movedVariants.parallelograms[2], truthVariants.parallelograms[2]) < 1e-9)
    }

    /// A quad whose top edge is skewed against the bars and whose left end stops 14 modules into the
    /// symbol (wider than the refit reached before: the symbol is 1.17 of the quad's width) is redrawn
    /// along the bars and refitted over the whole symbol.
    @Test func barAlignedVariantSquaresASkewedQuad() throws {
        let (image, truth) = try PhotoRenderer(recipe: cleanRecipe(try #require(EAN13Code(text: "4006381333931")),
                                                               moduleWidth: 3, rotation: 0.2)).render()
        let toPhoto = try #require(Homography.fromUnitSquare(to: truth))
        let skewed = Quad(topLeft: toPhoto.apply(Point(x: 14.0 / 95, y: 0.2)), topRight: toPhoto.apply(Point(x: 1, y: -0.15)),
                          bottomRight: toPhoto.apply(Point(x: 1, y: 1)), bottomLeft: toPhoto.apply(Point(x: 14.0 / 95, y: 1.05)))
        let aligned = try #require(QuadVariants(skewed)?.barAligned(in: image, plane: GreyPlane(image)))
        let middle = try #require(QuadVariants(truth)).part(u: 0...1, v: 0.1...0.9)
        #expect(QuadOverlap.intersectionOverUnion(skewed, middle) < 0.75)
        #expect(QuadOverlap.intersectionOverUnion(aligned, middle) >= 0.8, "IoU \(QuadOverlap.intersectionOverUnion(aligned, middle))")
        // Its sides run along the bars: the left side parallel to the truth's within a degree.
        func angle(_ a: Point, _ b: Point) -> Double { atan2(b.y - a.y, b.x - a.x) }
        #expect(abs(angle(aligned.topLeft, aligned.bottomLeft) - angle(truth.topLeft, truth.bottomLeft)) < Double.pi / 180)
    }

    /// A quad over either half of a symbol (glare or a faint print hid the other) is doubled towards
    /// each side and refitted: one of the two covers the symbol, and the reader reads the code from the
    /// half alone.
    @Test(arguments: [0.0...0.5, 0.5...1.0])
    func variantsRecoverASymbolFromItsHalf(_ half: ClosedRange<Double>) throws {
        let code = try #require(EAN13Code(text: "4006381333931"))
        let (image, truth) = try PhotoRenderer(recipe: cleanRecipe(code, moduleWidth: 2, rotation: 0.2)).render()
        let halfQuad = try #require(QuadVariants(truth)).part(u: half, v: 0...1)
        let wholes = try #require(QuadVariants(halfQuad)).wholesFromHalf(in: image)
        let best = wholes.map { QuadOverlap.intersectionOverUnion($0, truth) }.max() ?? 0
        #expect(best >= 0.95, "IoU \(best)")
        var reader = try PhotoReader(model: try CodeModel.load(from: ShippedModelTests.folder))
        (reader.blurredReader, reader.cylinderFit) = (nil, nil)
        #expect(try reader.read(image, knownQuad: halfQuad).code == code)
    }

    @Test func readingEvaluationCountsRightWrongEmpty() throws {
        let a = try #require(EAN13Code(text: "4006381333931")), b = try #require(EAN13Code(text: "5901234123457"))
        let evaluation = ReadingEvaluation([
            .init(path: "right", answer: a, truth: a, milliseconds: 4),
            .init(path: "wrong", answer: b, truth: a, milliseconds: 1),
            .init(path: "empty", answer: nil, truth: a, milliseconds: 3),
            .init(path: "unlabelled", answer: a, truth: nil, milliseconds: 2),
        ])
        #expect(evaluation.right.map(\.path) == ["right"] && evaluation.wrong.map(\.path) == ["wrong"])
        #expect(evaluation.empty.map(\.path) == ["empty"] && evaluation.labelled.count == 3)
        #expect(evaluation.medianMilliseconds == 2.5)
        #expect(evaluation.table.contains("right 1 (33.3 %), wrong 1, empty 1"))
    }
}
