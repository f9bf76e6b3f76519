import ArgumentParser
import Foundation
import Testing
@testable import BoostBarcode
@testable import BoostBarcodeCLI

@Suite struct CommandLineTests {
    @Test func trainDefaultsAreTheNotebooksBesidesTheFeatures() throws {
        let command = try BoostBarcodeCommand.parseAsRoot(["train", "--data", "d"])
        let train = try #require(command as? BoostBarcodeCommand.Train)
        #expect(train.models == "models" && train.rounds == 100 && train.maxDepth == 6 && train.eta == 0.3)
        #expect(train.valRatio == 0.1 && train.earlyStopping == nil && train.seed == 0 && train.common.threads == 0)
        #expect(try train.featureOptions.config() == FeatureConfig.named(FeatureConfig.defaultPresetName))
    }

    @Test func optionsAreParsed() throws {
        let command = try BoostBarcodeCommand.parseAsRoot([
            "train", "--data", "d", "--models", "m", "--rounds", "7", "--max-depth", "3", "--eta", "0.1",
            "--val-ratio", "0.25", "--early-stopping", "4", "--seed", "9", "--threads", "2", "--quiet", "--first-band", "5",
        ])
        let train = try #require(command as? BoostBarcodeCommand.Train)
        #expect(train.rounds == 7 && train.maxDepth == 3 && train.eta == 0.1 && train.valRatio == 0.25)
        #expect(train.earlyStopping == 4 && train.seed == 9 && train.common.threads == 2 && train.common.quiet)
        #expect(try train.featureOptions.config().firstStackedBand == 5)
        let predict = try #require(try BoostBarcodeCommand.parseAsRoot(["predict", "--data", "t", "--encoding", "utf8"])
                                   as? BoostBarcodeCommand.Predict)
        #expect(predict.out == "answer.csv" && predict.encoding == .utf8 && predict.featureOptions.isEmpty)
    }

    /// `synth --without` takes effects by name, comma-separated, and refuses a name it does not know.
    @Test func synthLeavesOutTheEffectsNamed() throws {
        let synth = try #require(try BoostBarcodeCommand.parseAsRoot(["synth", "--out", "d", "--without", "glare,shadow"])
                                 as? BoostBarcodeCommand.Synth)
        #expect(synth.without.effects == [.glare, .shadow])
        let plain = try #require(try BoostBarcodeCommand.parseAsRoot(["synth", "--out", "d"]) as? BoostBarcodeCommand.Synth)
        #expect(plain.without.effects.isEmpty)
        #expect(throws: (any Error).self) { try BoostBarcodeCommand.parseAsRoot(["synth", "--out", "d", "--without", "glare,flare"]) }
    }

    @Test func badValuesAreRejected() {
        #expect(throws: (any Error).self) { try BoostBarcodeCommand.parseAsRoot(["train", "--data", "d", "--threads", "-1"]) }
        #expect(throws: (any Error).self) { try BoostBarcodeCommand.parseAsRoot(["features", "--data", "d", "--out", "x", "--dtype", "int7"]) }
        #expect(throws: (any Error).self) { try BoostBarcodeCommand.parseAsRoot(["predict"]) }
    }

    /// `predict`, `read` and `detect` share their confidences and refuse any outside 0...1.
    @Test func confidencesAreSharedAndChecked() throws {
        let commands = [["predict", "--images", "i", "--out", "a.csv"], ["read", "p.png"], ["detect", "--images", "i", "--out", "d.csv"]]
        for command in commands {
            for bad in [["--min-confidence", "1.5"], ["--search-confidence", "-0.1"]] {
                #expect(throws: (any Error).self, "\(command[0]) \(bad)") { try BoostBarcodeCommand.parseAsRoot(command + bad) }
            }
        }
        let read = try #require(try BoostBarcodeCommand.parseAsRoot(["read", "p.png", "--min-confidence", "0.3"]) as? BoostBarcodeCommand.Read)
        #expect(read.confidence.minConfidence == 0.3 && read.confidence.searchConfidence == 0.99)
    }

    /// The whole path on a tiny dataset: train, predict, report, features.
    @Test func endToEndOnATinyDataset() throws {
        let folder = try makeTemporaryFolder()
        defer { removeTemporaryFolder(folder) }
        let train = folder.appendingPathComponent("Train"), test = folder.appendingPathComponent("Test")
        _ = try writeSplit(at: train, codes: sampleCodes(24, seed: 5))
        let testRows = try writeSplit(at: test, codes: sampleCodes(4, seed: 6), encoding: .utf8)
        let small = ["--features", "notebook", "--resized-width", "190", "--resized-height", "100", "--column-white-count", "9"]
        let models = folder.appendingPathComponent("models").path
        let answer = folder.appendingPathComponent("out/answer.csv").path
        let json = folder.appendingPathComponent("report.json").path

        var trainCommand = try BoostBarcodeCommand.parseAsRoot(
            ["train", "--data", train.path, "--models", models, "--rounds", "3", "--threads", "1", "--quiet"] + small)
        try trainCommand.run()
        var predictCommand = try BoostBarcodeCommand.parseAsRoot(
            ["predict", "--no-search", "--data", test.path, "--models", models, "--out", answer, "--quiet", "--min-confidence", "0"])
        try predictCommand.run()
        let answers = try MarkupFile.read(contentsOf: URL(fileURLWithPath: answer))
        #expect(answers.map(\.path) == testRows.map(\.path))
        #expect(answers.map(\.quad) == testRows.map(\.quad))
        #expect(answers.allSatisfy { $0.code != nil })
        #expect(try Data(contentsOf: URL(fileURLWithPath: answer)).starts(with: [0xFF, 0xFE]))

        var reportCommand = try BoostBarcodeCommand.parseAsRoot(
            ["report", "--truth", test.appendingPathComponent("markup.csv").path, "--answer", answer, "--json", json])
        try reportCommand.run()
        let report = try JSONDecoder().decode(Report.self, from: Data(contentsOf: URL(fileURLWithPath: json)))
        #expect(report.truthRows == 4 && report.answered == 4)

        // A model trained on other settings is refused when predict is asked for the defaults.
        var mismatched = try BoostBarcodeCommand.parseAsRoot(
            ["predict", "--no-search", "--data", test.path, "--models", models, "--out", answer, "--quiet", "--resized-width", "1200"])
        #expect { try mismatched.run() } throws: { "\($0)".contains("resizedWidth 1200 (model: 190)") }

        let x = folder.appendingPathComponent("X.npy").path, y = folder.appendingPathComponent("y.npy").path
        var featuresCommand = try BoostBarcodeCommand.parseAsRoot(
            ["features", "--data", test.path, "--out", x, "--labels", y, "--dtype", "float32", "--quiet"] + small)
        try featuresCommand.run()
        #expect(try Data(contentsOf: URL(fileURLWithPath: x)).count == 128 + 4 * 760 * 4)
        #expect(try Data(contentsOf: URL(fileURLWithPath: y)).count == 128 + 4 * 13)
    }

    /// The default preset trained with jitter augmentation reads jittered test quads; the answer
    /// withholds nothing that it gets wrong at a confidence of 0.9.
    @Test func defaultFeaturesWithAugmentationReadJitteredQuads() throws {
        let folder = try makeTemporaryFolder()
        defer { removeTemporaryFolder(folder) }
        let train = folder.appendingPathComponent("Train"), test = folder.appendingPathComponent("Test")
        _ = try writeSplit(at: train, codes: sampleCodes(40, seed: 5))
        _ = try writeSplit(at: test, codes: sampleCodes(6, seed: 6))
        let models = folder.appendingPathComponent("models").path
        let answer = folder.appendingPathComponent("answer.csv").path
        let jittered = folder.appendingPathComponent("jittered.csv").path
        var trainCommand = try BoostBarcodeCommand.parseAsRoot(
            ["train", "--data", train.path, "--models", models, "--rounds", "20", "--threads", "1", "--quiet",
             "--augment-copies", "1"])
        try trainCommand.run()
        let manifest = try CodeModel.load(from: URL(fileURLWithPath: models)).manifest
        #expect(manifest.features == FeatureConfig.named(FeatureConfig.defaultPresetName))
        #expect(manifest.trainingRows == 2 * 36 && manifest.validationRows == 4)
        #expect(manifest.augmentation == ModelManifest.Augmentation(QuadAugmentation(fraction: 0.02, alongBars: 0.06, copies: 1, seed: 0)))

        var jitterCommand = try BoostBarcodeCommand.parseAsRoot(
            ["jitter", "--markup", test.appendingPathComponent("markup.csv").path, "--out", jittered, "--fraction", "0.02"])
        try jitterCommand.run()
        let original = try MarkupFile.read(contentsOf: test.appendingPathComponent("markup.csv"))
        let moved = try MarkupFile.read(contentsOf: URL(fileURLWithPath: jittered))
        #expect(moved.map(\.path) == original.map(\.path) && moved.map(\.quad) != original.map(\.quad))

        var predictCommand = try BoostBarcodeCommand.parseAsRoot(
            ["predict", "--no-search", "--data", test.path, "--markup", jittered, "--models", models, "--out", answer, "--quiet",
             "--min-confidence", "0.9"])
        try predictCommand.run()
        let answers = try MarkupFile.read(contentsOf: URL(fileURLWithPath: answer))
        let truth = Dictionary(uniqueKeysWithValues: original.map { ($0.path, $0.code) })
        #expect(answers.count == 6)
        #expect(answers.allSatisfy { $0.code == nil || $0.code == truth[$0.path]! })
    }
}
