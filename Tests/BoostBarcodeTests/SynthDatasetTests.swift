import ArgumentParser
import Foundation
import Testing
@testable import BoostBarcode
@testable import BoostBarcodeCLI

@Suite struct SynthDatasetTests {
    private func generator(seed: UInt64) -> DatasetGenerator {
        var generator = DatasetGenerator(trainCount: 3, testCount: 2, seed: seed)
        generator.settings.longSide = 200...300
        generator.settings.moduleWidth = 1.5...2
        generator.threads = 2
        return generator
    }

    /// Every file under `root`, by relative path.
    private func contents(of root: URL) throws -> [String: Data] {
        let paths = try #require(FileManager.default.subpathsOfDirectory(atPath: root.path) as [String]?)
        var files: [String: Data] = [:]
        for path in paths {
            var isFolder: ObjCBool = false
            FileManager.default.fileExists(atPath: root.appendingPathComponent(path).path, isDirectory: &isFolder)
            if !isFolder.boolValue { files[path] = try Data(contentsOf: root.appendingPathComponent(path)) }
        }
        return files
    }

    @Test func writesTheCourseLayout() throws {
        let folder = try makeTemporaryFolder()
        defer { removeTemporaryFolder(folder) }
        let root = folder.appendingPathComponent("synth")
        let summary = try generator(seed: 5).write(to: root)
        #expect(summary.imageCount == 5)
        let files = try contents(of: root)
        #expect(Set(files.keys) == ["Train/markup.csv", "Train/factors.csv", "Train/Images/000000.png",
                                    "Train/Images/000001.png", "Train/Images/000002.png", "Test/markup.csv",
                                    "Test/factors.csv", "Test/Images/000000.png", "Test/Images/000001.png",
                                    "synth.json"])
        #expect(summary.bytes == files.values.reduce(0) { $0 + $1.count })
        let markup = try #require(files["Train/markup.csv"])
        #expect(markup.starts(with: [0xFF, 0xFE]))
        let rows = try MarkupFile.read(contentsOf: root.appendingPathComponent("Train/markup.csv"))
        #expect(rows.map(\.path) == ["000000.png", "000001.png", "000002.png"])
        for row in rows {
            #expect(row.code?.isCheckDigitValid == true && row.symbology == "ean13")
            let image = try PNGCodec.read(contentsOf: root.appendingPathComponent("Train/Images/\(row.path)"))
            let quad = try #require(row.quad)
            #expect(quad.corners.allSatisfy { (0...Double(image.width - 1)).contains($0.x) && (0...Double(image.height - 1)).contains($0.y) })
            #expect(max(image.width, image.height) <= 300 && image.channels == 3)
        }
        // Nothing left beside the dataset from building it.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["synth"])
    }

    @Test func recordsHowTheDatasetWasDrawn() throws {
        let folder = try makeTemporaryFolder()
        defer { removeTemporaryFolder(folder) }
        var drawn = generator(seed: 12)
        drawn.testJitter = QuadJitter(fraction: 0.02, alongBars: 0.06)
        drawn.settings.softFocusShare = 0.2
        drawn.settings.companiesPerPrefix = nil
        drawn.settings.withoutEffects = [.jpeg, .glare]
        _ = try drawn.write(to: folder.appendingPathComponent("synth"))
        let url = folder.appendingPathComponent("synth/synth.json")
        let record = try SynthRecord.read(contentsOf: url)
        #expect(record == SynthRecord(drawn))
        #expect(record.seed == 12 && record.trainCount == 3 && record.testCount == 2)
        #expect(record.testJitter == QuadJitter(fraction: 0.02, alongBars: 0.06) && record.trainJitter == QuadJitter(fraction: 0))
        #expect(record.settings.longSide == 200...300 && record.settings.moduleWidth == 1.5...2 && record.settings.hardCases)
        #expect(record.settings.softFocusShare == 0.2 && record.settings.withoutEffects == [.glare, .jpeg])
        // Ranges as [lower, upper], effects in a fixed order whatever order they were given in, and
        // `--companies any` leaves the pool's key out.
        let text = try String(contentsOf: url, encoding: .utf8)
        let squeezed = text.filter { !$0.isWhitespace }
        #expect(squeezed.contains(#""longSide":[200,300]"#) && squeezed.contains(#""withoutEffects":["glare","jpeg"]"#))
        #expect(!text.contains("companiesPerPrefix") && record.settings.companiesPerPrefix == nil)
        #expect(SynthRecord(generator(seed: 12)).settings.companiesPerPrefix == 40)
    }

    @Test func sameSeedSameBytesOtherSeedOtherPictures() throws {
        let folder = try makeTemporaryFolder()
        defer { removeTemporaryFolder(folder) }
        let (first, second, other) = (folder.appendingPathComponent("a"), folder.appendingPathComponent("b"),
                                      folder.appendingPathComponent("c"))
        _ = try generator(seed: 9).write(to: first)
        var singleThreaded = generator(seed: 9)
        singleThreaded.threads = 1
        _ = try singleThreaded.write(to: second)
        _ = try generator(seed: 10).write(to: other)
        let (a, b, c) = (try contents(of: first), try contents(of: second), try contents(of: other))
        #expect(a == b)
        #expect(a["Train/markup.csv"] != c["Train/markup.csv"])
        #expect(a["Train/Images/000000.png"] != c["Train/Images/000000.png"])
        // The splits draw from different streams.
        #expect(a["Train/Images/000000.png"] != a["Test/Images/000000.png"])
    }

    @Test func jitterMovesTheQuadsButNotThePictures() throws {
        var jittered = generator(seed: 4)
        jittered.testJitter = QuadJitter(fraction: 0.05)
        let plain = generator(seed: 4)
        for index in 0..<2 {
            let (plainPhoto, jitteredPhoto) = (try plain.photo(.test, index: index), try jittered.photo(.test, index: index))
            #expect(plainPhoto.image == jitteredPhoto.image)
            let (exact, moved) = (try #require(plainPhoto.row.quad), try #require(jitteredPhoto.row.quad))
            #expect(exact != moved)
            let width = exact.topLeft.distance(to: exact.topRight), height = exact.topLeft.distance(to: exact.bottomLeft)
            // Each corner moves at most 5 % of the width along and 5 % of the height across.
            for (p, q) in zip(exact.corners, moved.corners) {
                #expect(p.distance(to: q) <= 0.05 * (width + height) * 1.01)
            }
        }
        #expect(try jittered.photo(.train, index: 0).row == plain.photo(.train, index: 0).row)
    }

    @Test func refusesAnExistingFolderUnlessReplacing() throws {
        let folder = try makeTemporaryFolder()
        defer { removeTemporaryFolder(folder) }
        let root = folder.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try Data("keep".utf8).write(to: root.appendingPathComponent("note.txt"))
        #expect(throws: BoostBarcodeError.self) { try generator(seed: 1).write(to: root) }
        #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("note.txt").path))
        var small = generator(seed: 1)
        small.trainCount = 1
        small.testCount = 1
        _ = try small.write(to: root, replacing: true)
        #expect(try Set(FileManager.default.contentsOfDirectory(atPath: root.path)) == ["Train", "Test", "synth.json"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["data"])
    }

    @Test func previewSheetShowsTheFirstPictures() throws {
        let folder = try makeTemporaryFolder()
        defer { removeTemporaryFolder(folder) }
        let root = folder.appendingPathComponent("synth")
        _ = try generator(seed: 2).write(to: root)
        let sheet = try PreviewSheet.make(split: root.appendingPathComponent("Train"), count: 3, columns: 2, tileSize: 100)
        // Two columns, two rows of 100-pixel tiles with captions and 6-pixel gaps.
        #expect(sheet.width == 2 * 106 + 6 && sheet.height == 2 * 132 + 6 && sheet.channels == 3)
    }

    @Test func commandLineOptions() throws {
        let parsed = try BoostBarcodeCommand.parseAsRoot(
            ["synth", "--out", "d", "--train", "7", "--test", "3", "--seed", "12", "--jitter", "0.05",
             "--train-jitter", "0.01", "--preview", "p.png", "--overwrite", "--quiet"])
        let threaded = try #require(try BoostBarcodeCommand.parseAsRoot(["synth", "--out", "d", "--threads", "3"])
                                    as? BoostBarcodeCommand.Synth)
        #expect(threaded.common.threads == 3)
        let synth = try #require(parsed as? BoostBarcodeCommand.Synth)
        #expect(synth.out == "d" && synth.train == 7 && synth.test == 3 && synth.seed == 12)
        #expect(synth.jitter == 0.05 && synth.trainJitter == 0.01 && synth.preview == "p.png")
        #expect(synth.overwrite && synth.common.quiet && synth.common.threads == 0)
        let defaults = try #require(try BoostBarcodeCommand.parseAsRoot(["synth", "--out", "d"]) as? BoostBarcodeCommand.Synth)
        #expect(defaults.train == 5000 && defaults.test == 1000 && defaults.seed == 0 && defaults.jitter == 0)
        #expect(throws: (any Error).self) { try BoostBarcodeCommand.parseAsRoot(["synth", "--out", "d", "--jitter", "0.9"]) }
        #expect(throws: (any Error).self) { try BoostBarcodeCommand.parseAsRoot(["synth", "--out", "d", "--train", "-1"]) }
        #expect(throws: (any Error).self) { try BoostBarcodeCommand.parseAsRoot(["synth"]) }
    }
}
