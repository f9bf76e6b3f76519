import Foundation
import Testing
@testable import BoostBarcode

@Suite struct CodeModelTests {
    /// Features of clean rendered symbols with the small settings.
    func smallSet(_ count: Int, seed: UInt64 = 1) throws -> (FeatureMatrix, [EAN13Code]) {
        let codes = sampleCodes(count, seed: seed)
        let extractor = try BandFeatureExtractor(config: smallFeatures)
        var values: [UInt8] = []
        for code in codes {
            let (image, quad) = renderSymbol(code)
            values += try extractor.features(of: image, quad: quad)
        }
        return (FeatureMatrix(columnCount: smallFeatures.featureCount, values: values), codes)
    }

    func options(rounds: Int = 4) -> TrainingOptions {
        var options = TrainingOptions()
        options.parameters.rounds = rounds
        options.parameters.threads = 1
        options.parameters.seed = 3
        options.validationRatio = 0.2
        return options
    }

    func trainedModel() throws -> (CodeModel, FeatureMatrix, TrainingLog) {
        let (features, codes) = try smallSet(30)
        let (model, log) = try Trainer(options: options(), features: smallFeatures).train(features, codes: codes)
        return (model, features, log)
    }

    @Test func trainSaveLoadPredictGivesIdenticalProbabilities() throws {
        let folder = try makeTemporaryFolder()
        defer { removeTemporaryFolder(folder) }
        let (model, features, log) = try trainedModel()
        #expect(model.manifest.trainingRows == 24 && model.manifest.validationRows == 6)
        #expect(model.manifest.augmentation == nil)
        #expect(log.validationErrors.allSatisfy { $0.count == 4 })
        let modelFolder = folder.appendingPathComponent("models")
        try model.save(to: modelFolder, trainingLog: log)
        let names = try FileManager.default.contentsOfDirectory(atPath: modelFolder.path).sorted()
        #expect(names == (0..<13).map { String(format: "digit-%02d.ubj", $0) } + ["manifest.json", "training-log.csv"])
        let loaded = try CodeModel.load(from: modelFolder, expecting: smallFeatures)
        #expect(loaded.manifest == model.manifest.withFileFacts(of: loaded.manifest))
        #expect(try loaded.probabilities(features) == model.probabilities(features))
        // The forests alone (no XGBoost), as readers load them, predict the same.
        let forests = try DigitForests.load(from: modelFolder, expecting: smallFeatures)
        #expect(forests.manifest == loaded.manifest)
        #expect(try forests.probabilities(features) == model.probabilities(features))
    }

    @Test func savingReplacesTheModelButKeepsOtherFiles() throws {
        let folder = try makeTemporaryFolder()
        defer { removeTemporaryFolder(folder) }
        let modelFolder = folder.appendingPathComponent("models")
        try FileManager.default.createDirectory(at: modelFolder, withIntermediateDirectories: true)
        try Data("keep me".utf8).write(to: modelFolder.appendingPathComponent("README.md"))
        try Data("stale".utf8).write(to: modelFolder.appendingPathComponent("digit-00.ubj"))
        let (model, _, _) = try trainedModel()
        try model.save(to: modelFolder)
        #expect(try String(contentsOf: modelFolder.appendingPathComponent("README.md"), encoding: .utf8) == "keep me")
        _ = try CodeModel.load(from: modelFolder)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(leftovers == ["models"], "no staging or retired folders remain")
    }

    @Test func damagedBoosterIsRefusedByName() throws {
        let folder = try makeTemporaryFolder()
        defer { removeTemporaryFolder(folder) }
        let (model, _, _) = try trainedModel()
        try model.save(to: folder)
        let file = folder.appendingPathComponent("digit-05.ubj")
        var bytes = try Data(contentsOf: file)
        bytes[bytes.count / 2] ^= 0x40
        try bytes.write(to: file)
        for load in [{ _ = try CodeModel.load(from: folder) }, { _ = try DigitForests.load(from: folder) }] {
            #expect {
                try load()
            } throws: { error in
                guard case .badModel(_, let reason) = error as? BoostBarcodeError else { return false }
                return reason.contains("digit-05.ubj") && reason.contains("checksum")
            }
        }
    }

    @Test func missingPiecesAreRefusedClearly() throws {
        let folder = try makeTemporaryFolder()
        defer { removeTemporaryFolder(folder) }
        #expect { try CodeModel.load(from: folder) } throws: { "\($0)".contains("no manifest.json") }
        let (model, _, _) = try trainedModel()
        try model.save(to: folder)
        try FileManager.default.removeItem(at: folder.appendingPathComponent("digit-12.ubj"))
        #expect { try CodeModel.load(from: folder) } throws: { "\($0)".contains("digit-12.ubj is missing") }
        var manifest = model.manifest
        manifest.parameters.classCount = 12
        try JSONEncoder().encode(manifest).write(to: folder.appendingPathComponent("manifest.json"))
        #expect { try CodeModel.load(from: folder) } throws: { "\($0)".contains("12 classes") }
        try Data("{}".utf8).write(to: folder.appendingPathComponent("manifest.json"))
        #expect { try CodeModel.load(from: folder) } throws: { "\($0)".contains("not a model manifest") }
    }

    @Test func missingFolderAndNewerFormatsSayWhatToDo() throws {
        let folder = try makeTemporaryFolder()
        defer { removeTemporaryFolder(folder) }
        let absent = folder.appendingPathComponent("no-models")
        #expect { try CodeModel.load(from: absent) }
            throws: { "\($0)".contains("no such folder") && "\($0)".contains("boostbarcode train") }
        let (model, _, _) = try trainedModel()
        try model.save(to: folder)
        let manifestURL = folder.appendingPathComponent("manifest.json")
        // A newer tool's manifest may have other fields too: only the version is read before refusing it.
        try Data(#"{"formatVersion": 2, "somethingNew": true}"#.utf8).write(to: manifestURL)
        #expect { try CodeModel.load(from: folder) }
            throws: { "\($0)".contains("manifest format 2 is newer than this boostbarcode reads (1): update boostbarcode") }
        var manifest = model.manifest
        manifest.formatVersion = 0
        try JSONEncoder().encode(manifest).write(to: manifestURL)
        #expect { try CodeModel.load(from: folder) } throws: { "\($0)".contains("older") && "\($0)".contains("retrain") }
        manifest = model.manifest
        manifest.features.bandCount = 7
        try JSONEncoder().encode(manifest).write(to: manifestURL)
        #expect { try CodeModel.load(from: folder) } throws: { "\($0)".contains("band count 7 must divide") }
    }

    /// A booster damaged so that its checksum, updated to match, does not catch it: XGBoost refuses it.
    @Test func corruptBoosterWithAMatchingChecksumIsRefusedByName() throws {
        let folder = try makeTemporaryFolder()
        defer { removeTemporaryFolder(folder) }
        let (model, _, _) = try trainedModel()
        try model.save(to: folder)
        let garbage = Data("this is not a booster".utf8)
        try garbage.write(to: folder.appendingPathComponent("digit-07.ubj"))
        var manifest = try JSONDecoder().decode(ModelManifest.self, from: Data(contentsOf: folder.appendingPathComponent("manifest.json")))
        manifest.positions[7].byteCount = garbage.count
        manifest.positions[7].checksum = fnv1a64(garbage)
        try JSONEncoder().encode(manifest).write(to: folder.appendingPathComponent("manifest.json"))
        #expect { try CodeModel.load(from: folder) }
            throws: { "\($0)".contains("XGBoost cannot load digit-07.ubj") && "\($0)".contains("retrain") }
    }

    @Test func otherFeatureSettingsAreRefused() throws {
        let folder = try makeTemporaryFolder()
        defer { removeTemporaryFolder(folder) }
        let (model, _, _) = try trainedModel()
        try model.save(to: folder)
        var other = smallFeatures
        other.greyThreshold = 80
        #expect {
            try CodeModel.load(from: folder, expecting: other)
        } throws: { error in
            guard case .featureMismatch(_, let reason) = error as? BoostBarcodeError else { return false }
            return reason.contains("greyThreshold 80 (model: 50)") && "\(error)".contains("leave the feature options unset")
        }
        #expect(throws: BoostBarcodeError.self) {
            try model.probabilities(FeatureMatrix(columnCount: 7, values: [UInt8](repeating: 0, count: 7)))
        }
    }

    @Test func averagedReadingsAreTheMeanDigitByDigit() {
        let first = DigitPredictions(probabilities: Array(repeating: [1] + Array(repeating: 0, count: 9), count: 13))
        let second = DigitPredictions(probabilities: Array(repeating: [0, 1] + Array(repeating: 0, count: 8), count: 13))
        let mean = DigitPredictions(averaging: [first, second, first][...])
        #expect(mean.probabilities.allSatisfy { abs($0[0] - 2 / 3) < 1e-6 && abs($0[1] - 1 / 3) < 1e-6 })
        #expect(DigitPredictions(averaging: [second][...]) == second)
    }

    /// Extra views still give one prediction per row, in the split's order, each a probability distribution.
    @Test func predictingWithViewsGivesOneReadingPerRow() throws {
        let folder = try makeTemporaryFolder()
        defer { removeTemporaryFolder(folder) }
        let rows = try writeSplit(at: folder, codes: sampleCodes(5, seed: 9))
        let (model, _, _) = try trainedModel()
        let split = try DatasetSplit(root: folder)
        let single = try Predictor(model: model, threads: 1).predict(split).predictions
        let viewed = try Predictor(model: model, threads: 1, views: 3).predict(split).predictions
        #expect(viewed.map(\.row.path) == rows.map(\.path) && single.map(\.row.path) == rows.map(\.path))
        #expect(viewed.allSatisfy { $0.digits.probabilities.allSatisfy { abs($0.reduce(0, +) - 1) < 1e-3 } })
        #expect(zip(single, viewed).contains { $0.digits != $1.digits })
    }

    @Test func earlyStoppingCutsBackToTheBestRound() throws {
        let (features, codes) = try smallSet(30)
        var options = options(rounds: 40)
        options.earlyStoppingRounds = 2
        let (model, log) = try Trainer(options: options, features: smallFeatures).train(features, codes: codes)
        for (position, errors) in log.validationErrors.enumerated() {
            let best = errors.indices.min { errors[$0] < errors[$1] }!
            #expect(model.manifest.positions[position].boostedRounds == best + 1)
            #expect(errors.count == 40 || errors.count == best + 3)
        }
    }

    @Test func validationSplitIsSeededAndDisjoint() throws {
        let trainer = try Trainer(options: options(), features: smallFeatures)
        let first = trainer.split(rowCount: 21), second = trainer.split(rowCount: 21)
        #expect(first.training == second.training && first.validation == second.validation)
        #expect(first.validation.count == 5)  // ceil(0.2 · 21)
        #expect(Set(first.training + first.validation) == Set(0..<21))
    }
}

extension ModelManifest {
    /// This manifest with the per-file facts (size, checksum) that only saving fills in taken from `saved`.
    func withFileFacts(of saved: ModelManifest) -> ModelManifest {
        var copy = self
        for index in copy.positions.indices {
            copy.positions[index].byteCount = saved.positions[index].byteCount
            copy.positions[index].checksum = saved.positions[index].checksum
        }
        return copy
    }
}
