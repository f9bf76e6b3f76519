import Foundation
import Testing
@testable import BoostBarcode

/// The model committed in `models/` (`make shipped-model` makes it): it must load, be trained on the
/// current default features (a feature change must not leave it stale: retrain it and commit it), read
/// a clean symbol, and be what commands find by default.
@Suite struct ShippedModelTests {
    /// `models/` of this package (this file is Tests/BoostBarcodeTests/ShippedModelTests.swift).
    static let workingFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("models")

    /// The shipped model, which the tests that read photos with it expect: `models/` as committed.
    /// `make train` replaces that folder's model with one of the default data, which reads otherwise;
    /// then the committed one is taken from git, once per commit, into the temporary directory
    /// (`models/` as it is when git cannot give it: no checkout, no git).
    static let folder: URL = committedModel() ?? workingFolder

    private static func committedModel() -> URL? {
        let git = "git -C '\(workingFolder.deletingLastPathComponent().path)'"
        // Unchanged, or not a checkout (`diff` fails then too, and so does `rev-parse`).
        guard !succeeds("\(git) diff --quiet HEAD -- models"), let commit = output(of: "\(git) rev-parse HEAD") else { return nil }
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("boostbarcode-models-\(commit)")
        let models = copy.appendingPathComponent("models")
        if FileManager.default.fileExists(atPath: models.appendingPathComponent("manifest.json").path) { return models }
        // Extracted beside it, then renamed: an interrupted run leaves no half model to be taken up.
        guard let staging = try? makeTemporaryFolder() else { return nil }
        defer { removeTemporaryFolder(staging) }
        guard succeeds("\(git) archive HEAD models | tar -x -C '\(staging.path)'"),
              (try? FileManager.default.moveItem(at: staging, to: copy)) != nil || FileManager.default.fileExists(atPath: models.path)
        else { return nil }
        return models
    }

    /// Runs `command` with /bin/sh (`DistributedTrainingTests.run`); its standard output when it succeeds.
    private static func output(of command: String) -> String? {
        guard let run = try? DistributedTrainingTests.run(URL(fileURLWithPath: "/bin/sh"), ["-c", command]), run.status == 0 else { return nil }
        return run.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private static func succeeds(_ command: String) -> Bool { output(of: command) != nil }

    @Test func loadsWithTheCurrentDefaultFeatures() throws {
        let current = try #require(FeatureConfig.named(FeatureConfig.defaultPresetName))
        let model = try CodeModel.load(from: Self.folder, expecting: current)
        #expect(model.manifest.features == current)
        #expect(model.manifest.formatVersion == ModelManifest.currentFormatVersion)
        #expect(model.manifest.positions.allSatisfy { $0.boostedRounds > 0 })
    }

    @Test func readsACleanSymbol() throws {
        let reader = try PhotoReader(model: try CodeModel.load(from: Self.folder))
        for text in ["5901234123457", "4006381333931"] {
            let code = try #require(EAN13Code(text: text))
            let (photo, _) = try PhotoRenderer(recipe: cleanRecipe(code, moduleWidth: 3, rotation: 0.2)).render()
            #expect(try reader.read(photo).code == code)
        }
    }

    /// Two labels in one photo: `read` answers one of them; `readAll` lists both, each with its own quad.
    @Test func readsEverySymbolOfAPhoto() throws {
        let reader = try PhotoReader(model: try CodeModel.load(from: Self.folder))
        let codes = try ["5901234123457", "4006381333931"].map { try #require(EAN13Code(text: $0)) }
        let (photo, leftQuad, rightQuad) = sideBySide(
            try PhotoRenderer(recipe: cleanRecipe(codes[0], moduleWidth: 3, rotation: 0.2)).render(),
            try PhotoRenderer(recipe: cleanRecipe(codes[1], moduleWidth: 3, rotation: -0.1)).render())
        let all = try reader.readAll(photo)
        #expect(Set(all.symbols.compactMap(\.code)) == Set(codes))
        #expect(all.symbols.count == 2)
        #expect(all.answer.code == all.symbols.first?.code)
        let confidences = all.symbols.compactMap { $0.decoded?.confidence }
        #expect(confidences == confidences.sorted(by: >))
        for symbol in all.symbols {
            let truth = symbol.code == codes[0] ? leftQuad : rightQuad
            #expect(QuadOverlap.intersectionOverUnion(try #require(symbol.quad), truth) >= 0.7, "\(String(describing: symbol.code))")
        }
        // One label: one symbol, the answer `read` gives.
        let (single, _) = try PhotoRenderer(recipe: cleanRecipe(codes[0], moduleWidth: 3, rotation: 0.2)).render()
        let one = try reader.readAll(single)
        let answer = try reader.read(single).code
        #expect(one.symbols.map(\.code) == [codes[0]] && one.answer.code == answer)
    }

    @Test func isFoundWithoutOptions() throws {
        let elsewhere = try makeTemporaryFolder()
        defer { removeTemporaryFolder(elsewhere) }
        let found = ModelLocation.resolve(explicit: nil, environment: [:], currentDirectory: elsewhere, executable: FailureTests.binary)
        #expect(found.standardizedFileURL.resolvingSymlinksInPath() == Self.workingFolder.standardizedFileURL.resolvingSymlinksInPath())
        // A ./models that holds a model comes first, then $BOOSTBARCODE_MODELS, then an explicit folder.
        let local = elsewhere.appendingPathComponent("models")
        try FileManager.default.createDirectory(at: local, withIntermediateDirectories: true)
        try Data("{}".utf8).write(to: local.appendingPathComponent("manifest.json"))
        #expect(ModelLocation.resolve(explicit: nil, environment: [:], currentDirectory: elsewhere, executable: nil).path == local.path)
        #expect(ModelLocation.resolve(explicit: nil, environment: ["BOOSTBARCODE_MODELS": "/m"], currentDirectory: elsewhere).path == "/m")
        #expect(ModelLocation.resolve(explicit: "/x", environment: ["BOOSTBARCODE_MODELS": "/m"]).path == "/x")
    }
}
