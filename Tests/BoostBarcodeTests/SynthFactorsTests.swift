import ArgumentParser
import Foundation
import Testing
@testable import BoostBarcode
@testable import BoostBarcodeCLI

@Suite struct SynthFactorsTests {
    private let code = EAN13Code(text: "4006381333931")!

    @Test func factorsOfACleanUprightLabel() {
        var recipe = cleanRecipe(code, moduleWidth: 3)
        let factors = DifficultyFactors(path: "x.png", recipe: recipe)
        #expect(abs(factors.modulePixels - 3) < 1e-9 && factors.tiltDegrees == 0 && factors.rotationDegrees == 0)
        #expect(factors.blurPixels == 0 && factors.motionPixels == 0 && factors.longSidePixels == recipe.width)
        // Paper 245, ink 10 at full density, no tone curve.
        #expect(abs(factors.contrast - 235.0 / 255) < 1e-3)
        recipe.effects.defocus = GaussianBlur(sigma: 0.8)
        recipe.effects.motion = MotionBlur(length: 2.5, angle: 1)
        recipe.effects.tone = ToneAdjustment(exposure: 1, whiteBalance: Colour(grey: 1), gamma: 1, contrast: 0.5, blackLift: 0)
        let blurred = DifficultyFactors(path: "x.png", recipe: recipe)
        #expect(blurred.blurPixels == 0.8 && blurred.motionPixels == 2.5)
        #expect(abs(blurred.contrast - 0.5 * 235.0 / 255) < 1e-3)
    }

    @Test func tiltAndRotation() {
        let pitched = DifficultyFactors(path: "x", recipe: cleanRecipe(code, moduleWidth: 3, pitch: 0.3))
        #expect(abs(pitched.tiltDegrees - 0.3 * 180 / Double.pi) < 1e-9)
        // Pitch tilts across the bars, so the module width at the centre barely changes.
        #expect(abs(pitched.modulePixels - 3) < 0.01)
        // Yaw tilts along the bars: modules look narrower by about cos(yaw).
        let yawed = DifficultyFactors(path: "x", recipe: cleanRecipe(code, moduleWidth: 3, yaw: 0.4))
        #expect(abs(yawed.modulePixels - 3 * cos(0.4)) < 0.02)
        let both = DifficultyFactors(path: "x", recipe: cleanRecipe(code, moduleWidth: 3, rotation: 3 * Double.pi / 2,
                                                                      pitch: 0.3, yaw: 0.4))
        #expect(abs(both.tiltDegrees - acos(cos(0.3) * cos(0.4)) * 180 / Double.pi) < 1e-9)
        #expect(abs(both.rotationDegrees - 270) < 1e-9)
    }

    private func generator(seed: UInt64, trainCount: Int = 2) -> DatasetGenerator {
        var generator = DatasetGenerator(trainCount: trainCount, testCount: 2, seed: seed)
        generator.settings.longSide = 200...260
        generator.settings.moduleWidth = 1.5...2
        return generator
    }

    /// Also for a dataset without training pictures (such as the unseen set), whose Train/markup.csv is empty.
    @Test(arguments: [2, 0]) func factorsOnlyWritesTheSameFilesAsAFullRun(trainCount: Int) throws {
        let folder = try makeTemporaryFolder()
        defer { removeTemporaryFolder(folder) }
        let full = folder.appendingPathComponent("full"), copy = folder.appendingPathComponent("copy")
        _ = try generator(seed: 6, trainCount: trainCount).write(to: full)
        for split in ["Train", "Test"] {
            try FileManager.default.createDirectory(at: copy.appendingPathComponent(split), withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: full.appendingPathComponent("\(split)/markup.csv"),
                                             to: copy.appendingPathComponent("\(split)/markup.csv"))
        }
        try generator(seed: 6, trainCount: trainCount).writeFactors(to: copy)
        for split in ["Train", "Test"] {
            let written = try Data(contentsOf: full.appendingPathComponent("\(split)/factors.csv"))
            #expect(try Data(contentsOf: copy.appendingPathComponent("\(split)/factors.csv")) == written)
            let factors = try FactorsFile.read(contentsOf: full.appendingPathComponent("\(split)/factors.csv"))
            #expect(factors.count == (split == "Train" ? trainCount : 2))
            guard !factors.isEmpty else { continue }
            let rows = try MarkupFile.read(contentsOf: full.appendingPathComponent("\(split)/markup.csv"))
            #expect(factors.map(\.path) == rows.map(\.path))
            #expect(factors.allSatisfy { $0.modulePixels > 0.5 && $0.modulePixels < 3 && (200...260).contains($0.longSidePixels) })
        }
        #expect(try Set(FileManager.default.contentsOfDirectory(atPath: copy.appendingPathComponent("Test").path))
                == ["markup.csv", "factors.csv"])
    }

    /// A dataset with `synth.json` needs none of its options repeated: the command draws it as recorded.
    @Test func factorsOnlyTakesTheDatasetsRecordedSettings() throws {
        let folder = try makeTemporaryFolder()
        defer { removeTemporaryFolder(folder) }
        let root = folder.appendingPathComponent("data")
        var drawn = generator(seed: 9, trainCount: 2)
        (drawn.settings.softFocusShare, drawn.settings.companiesPerPrefix) = (0.5, nil)
        _ = try drawn.write(to: root)
        let factors = ["Train", "Test"].map { root.appendingPathComponent("\($0)/factors.csv") }
        let written = try factors.map { try Data(contentsOf: $0) }
        for url in factors { try FileManager.default.removeItem(at: url) }
        var command = try BoostBarcodeCommand.parseAsRoot(["synth", "--out", root.path, "--factors-only", "--quiet"])
        try command.run()
        #expect(try factors.map { try Data(contentsOf: $0) } == written)
        // A record of another layout is refused with what to do.
        let record = root.appendingPathComponent(SynthRecord.fileName)
        try Data(#"{"seed": 9, "trainJitter": 0}"#.utf8).write(to: record)
        #expect { try command.run() } throws: { "\($0)".contains("give the options the dataset was made with") }
        // Without the record, the defaults draw other codes, which the markup catches.
        try FileManager.default.removeItem(at: record)
        command = try BoostBarcodeCommand.parseAsRoot(["synth", "--out", root.path, "--factors-only", "--quiet"])
        #expect { try command.run() } throws: { "\($0)".contains("not the 5000") }
    }

    @Test func factorsOnlyRefusesAnotherSeedOrCount() throws {
        let folder = try makeTemporaryFolder()
        defer { removeTemporaryFolder(folder) }
        let root = folder.appendingPathComponent("data")
        _ = try generator(seed: 6).write(to: root)
        #expect { try generator(seed: 7).writeFactors(to: root) } throws: { "\($0)".contains("is the seed right?") }
        var more = generator(seed: 6)
        more.testCount = 3
        #expect { try more.writeFactors(to: root) } throws: { "\($0)".contains("has 2 rows, not the 3") }
        #expect(throws: BoostBarcodeError.self) { try generator(seed: 6).writeFactors(to: folder.appendingPathComponent("nothing")) }
    }

    @Test func commandLineOptions() throws {
        let synth = try #require(try BoostBarcodeCommand.parseAsRoot(
            ["synth", "--out", "d", "--train", "5", "--test", "2", "--factors-only"]) as? BoostBarcodeCommand.Synth)
        #expect(synth.factorsOnly && synth.train == 5)
        #expect(throws: (any Error).self) { try BoostBarcodeCommand.parseAsRoot(["synth", "--out", "d", "--factors-only", "--overwrite"]) }
        #expect(throws: (any Error).self) { try BoostBarcodeCommand.parseAsRoot(["synth", "--out", "d", "--factors-only", "--preview", "p.png"]) }
        let report = try #require(try BoostBarcodeCommand.parseAsRoot(
            ["report", "--truth", "t.csv", "--answer", "a.csv", "--readings", "r.csv", "--factors", "f.csv", "--png", "c.png"])
            as? BoostBarcodeCommand.Report)
        #expect(report.readings == "r.csv" && report.factors == "f.csv" && report.png == "c.png" && report.json == nil)
    }

    /// `report` finds the readings beside the answer and the factors beside the truth by itself.
    @Test func reportPicksUpTheSideFiles() throws {
        let folder = try makeTemporaryFolder()
        defer { removeTemporaryFolder(folder) }
        let truth = folder.appendingPathComponent("Test/markup.csv"), answer = folder.appendingPathComponent("out/answer.csv")
        let codes = sampleCodes(4, seed: 3)
        try MarkupFile.write(codes.enumerated().map { MarkupRow(path: "\($0.offset).png", code: $0.element, quad: nil) }, to: truth)
        try MarkupFile.write(codes.enumerated().map { MarkupRow(path: "\($0.offset).png", code: $0.offset == 3 ? nil : $0.element, quad: nil) },
                             to: answer)
        try ReadingsFile.write(codes.enumerated().map {
            Reading(path: "\($0.offset).png", answer: $0.offset == 3 ? nil : $0.element, raw: $0.element, constrained: $0.element,
                    confidence: $0.offset == 3 ? 0.4 : 0.99, flipped: false)
        }, to: ReadingsFile.url(besideAnswer: answer))
        try FactorsFile.write(codes.indices.map {
            DifficultyFactors(path: "\($0).png", modulePixels: [1.2, 1.7, 2.5, 3.5][$0], blurPixels: 0, motionPixels: 0, tiltDegrees: 5,
                              rotationDegrees: 0, contrast: 0.5, longSidePixels: 400)
        }, to: FactorsFile.url(besideMarkup: truth))
        let json = folder.appendingPathComponent("report.json"), png = folder.appendingPathComponent("chart.png")
        var command = try BoostBarcodeCommand.parseAsRoot(
            ["report", "--truth", truth.path, "--answer", answer.path, "--json", json.path, "--png", png.path])
        try command.run()
        let report = try JSONDecoder().decode(Report.self, from: Data(contentsOf: json))
        #expect(report.codesCorrect == 3 && report.withheld == 1 && report.wrong == 0)
        #expect(report.readings?.constrainedCodesCorrect == 4 && report.difficulty?.rowsWithoutFactors == 0)
        #expect(report.difficulty?.factors.first?.bins.map(\.rows) == [1, 1, 1, 1, 0])
        // The withheld code was right as the best valid code.
        #expect(report.difficulty?.factors.first?.bins.map(\.constrainedRight) == [1, 1, 1, 1, 0])
        #expect(report.difficulty?.factors.first?.bins.map(\.withheld) == [0, 0, 0, 1, 0])
        let chart = try PNGCodec.read(contentsOf: png)
        #expect(chart.width == AccuracyChart.width && chart.height == AccuracyChart.height)
    }
}
