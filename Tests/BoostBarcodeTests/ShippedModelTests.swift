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
