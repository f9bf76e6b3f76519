import CTurboJPEG
import Foundation
import Testing
@testable import BoostBarcode

@Suite struct JPEGCodecTests {
    /// 32 × 16 grey, four 16 × 8 blocks of distinct levels (JPEG keeps flat 8 × 8 blocks nearly exact).
    static let quadrants: Image = {
        var image = Image(width: 32, height: 16, channels: 1)
        for y in 0..<16 {
            for x in 0..<32 { image.pixels[y * 32 + x] = [[20, 90], [160, 230]][y / 8][x / 16] }
        }
        return image
    }()

    static func close(_ a: [UInt8], _ b: [UInt8], within tolerance: Int = 3) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { abs(Int($0) - Int($1)) <= tolerance }
    }

    @Test func greyAndColourRoundTrip() throws {
        let grey = try JPEGCodec.decode(JPEGCodec.encode(Self.quadrants, quality: 100))
        #expect(grey.channels == 1 && grey.width == 32 && grey.height == 16)
        #expect(Self.close(grey.pixels, Self.quadrants.pixels))
        let colour = Image(width: 16, height: 16, channels: 3, pixels: (0..<256).flatMap { _ in [200, 40, 90] as [UInt8] })!
        let decoded = try JPEGCodec.decode(JPEGCodec.encode(colour, quality: 95))
        #expect(decoded.channels == 3 && Self.close(decoded.pixels, colour.pixels, within: 4))
    }

    @Test func progressiveDecodesLikeBaseline() throws {
        let progressive = try JPEGCodec.encode(Self.quadrants, quality: 90, progressive: true)
        let baseline = try JPEGCodec.encode(Self.quadrants, quality: 90)
        #expect(progressive != baseline)
        #expect(Self.close(try JPEGCodec.decode(progressive).pixels, try JPEGCodec.decode(baseline).pixels, within: 1))
    }

    /// Where the stored top-left and top-right blocks show, per orientation (as the EXIF standard
    /// draws them), and whether the sides swap.
    @Test(arguments: [
        (1, "TL", "TR"), (2, "TR", "TL"), (3, "BR", "BL"), (4, "BL", "BR"),
        (5, "TL", "BL"), (6, "TR", "BR"), (7, "BR", "TR"), (8, "BL", "TL"),
    ])
    func exifOrientationIsApplied(orientation: Int, topLeftShows: String, topRightShows: String) throws {
        for bigEndian in [false, true] {
            let file = Self.withOrientation(try JPEGCodec.encode(Self.quadrants, quality: 100), UInt16(orientation),
                                            bigEndian: bigEndian)
            let shown = try JPEGCodec.decode(file)
            let swaps = orientation >= 5
            #expect((shown.width, shown.height) == (swaps ? (16, 32) : (32, 16)))
            func level(_ corner: String) -> Int {
                let x = corner.hasSuffix("L") ? 2 : shown.width - 3, y = corner.hasPrefix("T") ? 2 : shown.height - 3
                return Int(shown.pixels[y * shown.width + x])
            }
            #expect(abs(level(topLeftShows) - 20) <= 3, "orientation \(orientation)")
            #expect(abs(level(topRightShows) - 90) <= 3, "orientation \(orientation)")
        }
    }

    @Test func malformedExifIsIgnored() throws {
        var file = try JPEGCodec.encode(Self.quadrants, quality: 100)
        // An APP1 that says Exif but whose IFD offset points past its end.
        let app1: [UInt8] = [0xFF, 0xE1, 0x00, 0x10] + Array("Exif".utf8) + [0, 0, 0x49, 0x49, 42, 0, 0xFF, 0, 0, 0]
        file.insert(contentsOf: app1, at: 2)
        let shown = try JPEGCodec.decode(file)
        #expect((shown.width, shown.height) == (32, 16))
    }

    @Test func cmykIsConvertedAsAdobeInverted() throws {
        // Stored (inverted) C, M, Y, K = 255, 128, 0, 200: red 200, green ≈ 100, blue 0.
        let cmyk = (0..<64).flatMap { _ in [255, 128, 0, 200] as [UInt8] }
        let file = try Self.cmykJPEG(cmyk, width: 8, height: 8)
        let image = try JPEGCodec.decode(file)
        #expect(image.channels == 3)
        #expect(Self.close(Array(image.pixels.prefix(3)), [200, 100, 0], within: 4))
    }

    @Test func reductionDecodesSmaller() throws {
        let file = try JPEGCodec.encode(Self.quadrants, quality: 100)
        let half = try JPEGCodec.decode(file, reduction: 2), quarter = try JPEGCodec.decode(file, reduction: 4)
        #expect((half.width, half.height, quarter.width, quarter.height) == (16, 8, 8, 4))
        #expect(abs(Int(half.pixels[half.width * 7 + 15]) - 230) <= 4)
    }

    @Test func truncatedOrDamagedFilesAreRefused() throws {
        // Busy enough that most of the file is pixel data, so a cut falls inside it.
        let busy = Image(width: 64, height: 64, channels: 3, pixels: (0..<64 * 64 * 3).map { UInt8(truncatingIfNeeded: $0 * 7919 >> 3) })!
        let file = try JPEGCodec.encode(busy, quality: 80)
        #expect { try JPEGCodec.decode(file.prefix(file.count * 2 / 3), path: "cut.jpg") } throws: {
            "\($0)".contains("cut.jpg") && "\($0)".lowercased().contains("premature end")
        }
        #expect(throws: JPEGError.self) { try JPEGCodec.decode(Data([0xFF, 0xD8, 0xFF, 0xE0, 0, 2])) }
        #expect(throws: JPEGError.self) { try JPEGCodec.decode(Data()) }
    }

    @Test func limitsAreCheckedFromTheHeader() throws {
        let file = try JPEGCodec.encode(Self.quadrants, quality: 50)
        #expect { try JPEGCodec.decode(file, limits: ImageLimits(maximumPixels: 500)) } throws: {
            "\($0)".contains("32×16 pixels is more than the limit")
        }
        #expect(throws: JPEGError.self) { try JPEGCodec.decode(file, limits: ImageLimits(maximumWidth: 31)) }
        #expect(try JPEGCodec.decode(file, limits: ImageLimits(maximumWidth: 32, maximumHeight: 16, maximumPixels: 512)).width == 32)
    }

    // MARK: ImageFile

    @Test func filesAreRecognisedByTheirBytes() throws {
        let folder = try makeTemporaryFolder()
        defer { removeTemporaryFolder(folder) }
        let jpeg = try JPEGCodec.encode(Self.quadrants, quality: 90)
        try jpeg.write(to: folder.appendingPathComponent("named-png.png"))
        try PNGCodec.encode(Self.quadrants).write(to: folder.appendingPathComponent("named-jpeg.jpg"))
        try Data("hello".utf8).write(to: folder.appendingPathComponent("notes.png"))
        try Data().write(to: folder.appendingPathComponent("empty.jpg"))
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("sub/.hidden"), withIntermediateDirectories: true)
        try jpeg.write(to: folder.appendingPathComponent("sub/deep"))
        try jpeg.write(to: folder.appendingPathComponent("sub/.hidden/skipped.jpg"))

        #expect(try ImageFile.read(contentsOf: folder.appendingPathComponent("named-png.png")).width == 32)
        #expect(try ImageFile.read(contentsOf: folder.appendingPathComponent("named-jpeg.jpg")) == Self.quadrants)
        #expect { try ImageFile.read(contentsOf: folder.appendingPathComponent("notes.png")) } throws: {
            "\($0)".contains("notes.png: not a PNG or JPEG file")
        }
        #expect { try ImageFile.read(contentsOf: folder.appendingPathComponent("empty.jpg")) } throws: {
            "\($0)".contains("empty")
        }
        #expect(try ImageFile.pictures(in: folder) == ["named-jpeg.jpg", "named-png.png"])
        #expect(try ImageFile.pictures(in: folder, recursive: true) == ["named-jpeg.jpg", "named-png.png", "sub/deep"])
    }

    @Test func largeJPEGsAreShrunkOnlyWhileLongEnough() throws {
        let folder = try makeTemporaryFolder()
        defer { removeTemporaryFolder(folder) }
        let url = folder.appendingPathComponent("a.jpg")
        try JPEGCodec.encode(Image(width: 400, height: 100, channels: 1, fill: 50), quality: 80).write(to: url)
        let cases = [(nil, 1, 400), (500, 1, 400), (200, 2, 200), (100, 4, 100), (10, 4, 100)]
        for (longSide, reduction, width) in cases {
            let read = try ImageFile.read(contentsOf: url, shrinkingLargeJPEGTo: longSide)
            #expect((read.reduction, read.image.width) == (reduction, width), "long side \(longSide ?? 0)")
        }
    }

    // MARK: Helpers

    /// `jpeg` with an EXIF APP1 segment holding only the orientation tag, right after SOI.
    static func withOrientation(_ jpeg: Data, _ value: UInt16, bigEndian: Bool) -> Data {
        func short(_ v: UInt16) -> [UInt8] { bigEndian ? [UInt8(v >> 8), UInt8(v & 0xFF)] : [UInt8(v & 0xFF), UInt8(v >> 8)] }
        func long(_ v: UInt32) -> [UInt8] {
            let bytes = [UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)]
            return bigEndian ? bytes : bytes.reversed()
        }
        // A first tag before the orientation, so that the IFD is walked.
        let tiff: [UInt8] = (bigEndian ? [0x4D, 0x4D] : [0x49, 0x49]) + short(42) + long(8) + short(2)
            + short(0x010F) + short(2) + long(4) + Array("Cam\0".utf8)
            + short(0x0112) + short(3) + long(1) + short(value) + [0, 0] + long(0)
        let payload = Array("Exif".utf8) + [0, 0] + tiff
        let length = payload.count + 2
        var file = jpeg
        file.insert(contentsOf: [0xFF, 0xE1, UInt8(length >> 8), UInt8(length & 0xFF)] + payload, at: 2)
        return file
    }

    /// A YCCK JPEG of the given CMYK bytes (libjpeg writes Adobe's marker with it).
    static func cmykJPEG(_ pixels: [UInt8], width: Int, height: Int) throws -> Data {
        let handle = try #require(tjInitCompress())
        defer { tjDestroy(handle) }
        var output: UnsafeMutablePointer<UInt8>?
        var size: UInt = 0
        defer { tjFree(output) }
        let status = pixels.withUnsafeBufferPointer {
            tjCompress2(handle, $0.baseAddress, Int32(width), 0, Int32(height), Int32(TJPF_CMYK.rawValue), &output, &size,
                        Int32(TJSAMP_444.rawValue), 100, 0)
        }
        try #require(status == 0)
        return Data(bytes: try #require(output), count: Int(size))
    }
}
