import Foundation
import Testing
@testable import BoostBarcode

/// The model committed in `models/` (what `make train` makes on the default data): it must load,
/// be trained on the current default features (a feature change must not leave it stale: retrain it
/// with `make train` and commit it), read a clean symbol, and be what commands find by default.
@Suite struct ShippedModelTests {
    /// `models/` of this package (this file is Tests/BoostBarcodeTests/ShippedModelTests.swift).
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("models")

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

    @Test func isFoundWithoutOptions() throws {
        let elsewhere = try makeTemporaryFolder()
        defer { removeTemporaryFolder(elsewhere) }
        let found = ModelLocation.resolve(explicit: nil, environment: [:], currentDirectory: elsewhere, executable: FailureTests.binary)
        #expect(found.standardizedFileURL.resolvingSymlinksInPath() == Self.folder.standardizedFileURL.resolvingSymlinksInPath())
        // A ./models that holds a model comes first, then $BOOSTBARCODE_MODELS, then an explicit folder.
        let local = elsewhere.appendingPathComponent("models")
        try FileManager.default.createDirectory(at: local, withIntermediateDirectories: true)
        try Data("{}".utf8).write(to: local.appendingPathComponent("manifest.json"))
        #expect(ModelLocation.resolve(explicit: nil, environment: [:], currentDirectory: elsewhere, executable: nil).path == local.path)
        #expect(ModelLocation.resolve(explicit: nil, environment: ["BOOSTBARCODE_MODELS": "/m"], currentDirectory: elsewhere).path == "/m")
        #expect(ModelLocation.resolve(explicit: "/x", environment: ["BOOSTBARCODE_MODELS": "/m"]).path == "/x")
    }
}
