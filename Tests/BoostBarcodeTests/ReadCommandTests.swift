import Foundation
import Testing
@testable import BoostBarcode

/// `boostbarcode read`, run as the binary: formats, exit status, JPEG with EXIF orientation, and the
/// same answers on one thread and on several.
@Suite struct ReadCommandTests {
    let cli = FailureTests()

    /// A tiny model and a folder: `a.png` a clean symbol, `b.jpg` the same photo as a JPEG stored a
    /// quarter turned with EXIF orientation 6 (so it shows as `a.png`), `c.png` blank, `notes.txt`.
    func fixture(in folder: URL) throws -> (models: URL, photos: URL, truth: Quad) {
        let train = folder.appendingPathComponent("Train")
        _ = try writeSplit(at: train, codes: sampleCodes(24, seed: 5))
        let models = folder.appendingPathComponent("models")
        let trained = try cli.run(["train", "--data", train.path, "--models", models.path, "--rounds", "3", "--threads", "1",
                                   "--quiet", "--features", "notebook"] + cli.small)
        #expect(trained.status == 0, "\(trained.standardError)")
        let photos = folder.appendingPathComponent("Photos")
        try FileManager.default.createDirectory(at: photos, withIntermediateDirectories: true)
        let (symbol, truth) = try PhotoRenderer(recipe: cleanRecipe(try #require(EAN13Code(text: "5901234123457")),
                                                                moduleWidth: 2, rotation: 0.3)).render()
        try PNGCodec.encode(symbol).write(to: photos.appendingPathComponent("a.png"))
        let stored = try JPEGCodec.encode(symbol.displayed(as: .quarterAnticlockwise), quality: 95)
        try JPEGCodecTests.withOrientation(stored, 6, bigEndian: false).write(to: photos.appendingPathComponent("b.jpg"))
        try PNGCodec.encode(Image(width: 120, height: 90, channels: 3, fill: 200)).write(to: photos.appendingPathComponent("c.png"))
        try Data("not a photo".utf8).write(to: photos.appendingPathComponent("notes.txt"))
        return (models, photos, truth)
    }

    struct Line: Decodable {
        var path: String
        var code: String?
        var confidence: Double?
        var quad: [[Double]]?
        var error: String?
    }

    @Test func readsAFolderInEveryFormatAndOnAnyNumberOfThreads() throws {
        let folder = try makeTemporaryFolder()
        defer { removeTemporaryFolder(folder) }
        let (models, photos, truth) = try fixture(in: folder)
        let options = ["--models", models.path, "--min-confidence", "0", "--search-confidence", "0"]

        let json = try cli.run(["read", photos.path, "--format", "json", "--threads", "2"] + options)
        #expect(json.status == 1, "the blank photo gives no code")
        #expect(json.standardError.contains("\(photos.path)/c.png: no EAN-13 code read"))
        let lines = try json.standardOutput.split(separator: "\n").map { try JSONDecoder().decode(Line.self, from: Data($0.utf8)) }
        #expect(lines.map(\.path) == ["a.png", "b.jpg", "c.png"].map { "\(photos.path)/\($0)" })
        #expect(lines[0].code != nil && lines[1].code != nil && lines[2].code == nil && lines[2].quad == nil)
        #expect(json.standardOutput.split(separator: "\n")[2].contains(#""code":null"#))
        // The JPEG's quad is in the picture as shown, where the PNG's is.
        for line in lines.prefix(2) {
            let corners = try #require(line.quad).map { Point(x: $0[0], y: $0[1]) }
            let quad = Quad(topLeft: corners[0], topRight: corners[1], bottomRight: corners[2], bottomLeft: corners[3])
            #expect(QuadOverlap.intersectionOverUnion(quad, truth) >= 0.8, "\(line.path)")
        }

        let single = try cli.run(["read", photos.path, "--format", "json", "--threads", "1"] + options)
        #expect(single.standardOutput == json.standardOutput)

        let text = try cli.run(["read", "\(photos.path)/a.png", "\(photos.path)/b.jpg", "--quiet"] + options)
        #expect(text.status == 0 && text.standardError.isEmpty)
        let fields = text.standardOutput.split(separator: "\n").map { $0.split(separator: "\t", omittingEmptySubsequences: false) }
        #expect(fields.map(\.count) == [3, 3] && fields[0][1] == lines[0].code.map { Substring($0) })

        let csv = try cli.run(["read", "\(photos.path)/c.png", "--format", "csv"] + options)
        #expect(csv.standardOutput.hasPrefix("path,code,confidence\n\(photos.path)/c.png,,"))
    }

    /// `--all`: a line per code (csv and text gain the symbol's index), json a `codes` array per photo.
    @Test func listsEverySymbolWithAll() throws {
        let folder = try makeTemporaryFolder()
        defer { removeTemporaryFolder(folder) }
        let codes = try ["5901234123457", "4006381333931"].map { try #require(EAN13Code(text: $0)) }
        let (two, _, _) = sideBySide(try PhotoRenderer(recipe: cleanRecipe(codes[0], moduleWidth: 3, rotation: 0.2)).render(),
                                     try PhotoRenderer(recipe: cleanRecipe(codes[1], moduleWidth: 3)).render())
        let twoPath = folder.appendingPathComponent("two.png").path, blankPath = folder.appendingPathComponent("blank.png").path
        try PNGCodec.encode(two).write(to: URL(fileURLWithPath: twoPath))
        try PNGCodec.encode(Image(width: 120, height: 90, channels: 3, fill: 200)).write(to: URL(fileURLWithPath: blankPath))
        let options = ["--models", ShippedModelTests.folder.path, "--all", "--quiet"]

        let csv = try cli.run(["read", twoPath, blankPath, "--format", "csv"] + options)
        #expect(csv.status == 1, "the blank photo gives no code")
        let rows = csv.standardOutput.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        #expect(rows.first == ["path", "code", "confidence", "symbol"])
        #expect(rows.dropFirst().map { "\($0[0])|\($0[3])" } == ["\(twoPath)|0", "\(twoPath)|1", "\(blankPath)|"])
        #expect(Set(rows.dropFirst().prefix(2).map { String($0[1]) }) == Set(codes.map(\.description)))

        let text = try cli.run(["read", twoPath] + options)
        #expect(text.status == 0)
        #expect(text.standardOutput.split(separator: "\n").map { $0.split(separator: "\t").count } == [4, 4])

        struct Listed: Decodable {
            struct Symbol: Decodable { var code: String; var confidence: Double; var quad: [[Double]] }
            var code: String?
            var codes: [Symbol]
        }
        let json = try cli.run(["read", twoPath, blankPath, "--format", "json"] + options)
        let lines = try json.standardOutput.split(separator: "\n").map { try JSONDecoder().decode(Listed.self, from: Data($0.utf8)) }
        #expect(lines.map(\.codes.count) == [2, 0])
        #expect(lines[0].code == lines[0].codes.first?.code && lines[0].codes.allSatisfy { $0.quad.count == 4 })
    }

    @Test func missingAndForeignFilesAreNamedAndNothingToReadIsFatal() throws {
        let folder = try makeTemporaryFolder()
        defer { removeTemporaryFolder(folder) }
        let (models, photos, _) = try fixture(in: folder)
        let missing = folder.appendingPathComponent("gone.jpg").path
        let run = try cli.run(["read", "--models", models.path, missing, "\(photos.path)/notes.txt", "\(photos.path)/a.png",
                               "--min-confidence", "0"])
        #expect(run.status == 1)
        #expect(run.standardError.contains("gone.jpg") && run.standardError.contains("notes.txt: not a PNG or JPEG file"))
        #expect(run.standardOutput.split(separator: "\n").count == 3)

        let empty = folder.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        #expect(try cli.run(["read", "--models", models.path, empty.path]).status == 2)
        #expect(try cli.run(["read", "--models", folder.appendingPathComponent("none").path, photos.path]).status == 2)
        let nested = folder.appendingPathComponent("nested/deeper")
        try FileManager.default.createDirectory(at: nested, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: photos.appendingPathComponent("a.png"), to: nested.appendingPathComponent("a.png"))
        let top = folder.appendingPathComponent("nested").path
        #expect(try cli.run(["read", "--models", models.path, top]).status == 2)
        let recursive = try cli.run(["read", "--models", models.path, top, "--recursive", "--min-confidence", "0"])
        #expect(recursive.standardOutput.hasPrefix("\(top)/deeper/a.png\t"))
    }
}
