import Foundation
import Testing
@testable import BoostBarcode

@Suite struct PNGCodecTests {
    @Test func rgbRoundTrip() throws {
        let image = Image(width: 3, height: 2, channels: 3, pixels: Array(0..<18).map { UInt8($0 * 13) })!
        #expect(try PNGCodec.decode(PNGCodec.encode(image)) == image)
    }

    @Test func greyRoundTrip() throws {
        let image = Image(width: 4, height: 1, channels: 1, pixels: [0, 50, 51, 255])!
        #expect(try PNGCodec.decode(PNGCodec.encode(image)) == image)
    }

    @Test func eightBitGreyAndRGB() throws {
        let grey = try PNGCodec.decode(PNGFixture.make(width: 2, height: 1, colour: .grey, bitDepth: 8, samples: [7, 200]))
        #expect(grey.channels == 1 && grey.pixels == [7, 200])
        let rgb = try PNGCodec.decode(PNGFixture.make(width: 1, height: 2, colour: .rgb, bitDepth: 8,
                                                      samples: [1, 2, 3, 4, 5, 6]))
        #expect(rgb.channels == 3 && rgb.width == 1 && rgb.height == 2 && rgb.pixels == [1, 2, 3, 4, 5, 6])
    }

    @Test func alphaIsDroppedNotComposited() throws {
        // A half-transparent red pixel keeps its stored colour, as OpenCV's imread does.
        let rgba = try PNGCodec.decode(PNGFixture.make(width: 1, height: 1, colour: .rgba, bitDepth: 8,
                                                       samples: [200, 10, 20, 128]))
        #expect(rgba.channels == 3 && rgba.pixels == [200, 10, 20])
        let greyAlpha = try PNGCodec.decode(PNGFixture.make(width: 2, height: 1, colour: .greyAlpha, bitDepth: 8,
                                                            samples: [90, 0, 160, 255]))
        #expect(greyAlpha.channels == 1 && greyAlpha.pixels == [90, 160])
    }

    @Test func paletteBecomesRGB() throws {
        let image = try PNGCodec.decode(PNGFixture.make(width: 3, height: 1, colour: .palette, bitDepth: 8,
                                                        samples: [1, 0, 1], palette: [10, 20, 30, 250, 240, 230]))
        #expect(image.channels == 3 && image.pixels == [250, 240, 230, 10, 20, 30, 250, 240, 230])
    }

    @Test func sixteenBitKeepsTheHighByte() throws {
        let grey = try PNGCodec.decode(PNGFixture.make(width: 3, height: 1, colour: .grey, bitDepth: 16,
                                                       samples: [0, 0x8080, 0xFFFF]))
        #expect(grey.channels == 1 && grey.pixels == [0, 0x80, 0xFF])
        let rgb = try PNGCodec.decode(PNGFixture.make(width: 1, height: 1, colour: .rgb, bitDepth: 16,
                                                      samples: [0x1234, 0xABCD, 0x4000]))
        #expect(rgb.pixels == [0x12, 0xAB, 0x40])
    }

    @Test func truncatedFileThrowsPNGError() throws {
        let data = try PNGCodec.encode(Image(width: 8, height: 8, channels: 3, fill: 9))
        #expect(throws: PNGError.self) { try PNGCodec.decode(data.prefix(data.count / 2)) }
        #expect(throws: PNGError.self) { try PNGCodec.decode(Data("not a png".utf8)) }
    }

    @Test func sixteenBitWithAlphaKeepsTheStoredColour() throws {
        let greyAlpha = try PNGCodec.decode(PNGFixture.make(width: 2, height: 1, colour: .greyAlpha, bitDepth: 16,
                                                            samples: [0x9A00, 0x0000, 0x1234, 0x8000]))
        #expect(greyAlpha.channels == 1 && greyAlpha.pixels == [0x9A, 0x12])
        let rgba = try PNGCodec.decode(PNGFixture.make(width: 1, height: 1, colour: .rgba, bitDepth: 16,
                                                       samples: [0xC8FF, 0x0A00, 0x1400, 0x0100]))
        #expect(rgba.channels == 3 && rgba.pixels == [0xC8, 0x0A, 0x14])
    }

    @Test func lowBitDepthsAndTransparentPalettesLoad() throws {
        let bits = try PNGCodec.decode(PNGFixture.make(width: 9, height: 1, colour: .grey, bitDepth: 1,
                                                       samples: [1, 0, 1, 1, 0, 0, 0, 1, 1]))
        #expect(bits.channels == 1 && bits.pixels == [255, 0, 255, 255, 0, 0, 0, 255, 255])
        let nibbles = try PNGCodec.decode(PNGFixture.make(width: 3, height: 1, colour: .grey, bitDepth: 4,
                                                          samples: [0, 5, 15]))
        #expect(nibbles.pixels == [0, 0x55, 0xFF])
        let palette = try PNGCodec.decode(PNGFixture.make(width: 3, height: 1, colour: .palette, bitDepth: 2,
                                                          samples: [1, 0, 1], palette: [10, 20, 30, 250, 240, 230],
                                                          transparency: [0, 128]))
        #expect(palette.channels == 3 && palette.pixels == [250, 240, 230, 10, 20, 30, 250, 240, 230])
    }

    /// The fuzzing seed `rgb8-interlaced.png`: Adam7, 9 × 9, pixel (x, y) = (20x, 20y, 100).
    @Test func interlacedFilesLoad() throws {
        let seed = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("fuzz/corpus/png-loader/rgb8-interlaced.png")
        let image = try PNGCodec.read(contentsOf: seed)
        #expect(image.width == 9 && image.height == 9 && image.channels == 3)
        var expected: [UInt8] = []
        for y in 0..<9 { for x in 0..<9 { expected += [UInt8(20 * x), UInt8(20 * y), 100] } }
        #expect(image.pixels == expected)
    }

    @Test func emptyAndForeignFilesAreRefusedByName() {
        #expect { try PNGCodec.decode(Data(), path: "Images/empty.png") }
            throws: { "\($0)" == "cannot read PNG Images/empty.png: empty file" }
        #expect { try PNGCodec.decode(Data("GIF89a......".utf8), path: "Images/a.png") }
            throws: { "\($0)" == "cannot read PNG Images/a.png: not a PNG file (no PNG signature)" }
    }

    @Test func corruptChunkChecksumsAreRefused() throws {
        let good = PNGFixture.make(width: 2, height: 2, colour: .grey, bitDepth: 8, samples: [1, 2, 3, 4])
        var header = good
        header[29] ^= 0x01  // the IHDR chunk's CRC
        #expect { try PNGCodec.decode(header, path: "h.png") } throws: { "\($0)".contains("h.png") && "\($0)".contains("CRC") }
        var pixels = good
        pixels[pixels.count - 13] ^= 0x01  // the IDAT chunk's CRC, just before the 12-byte IEND chunk
        #expect { try PNGCodec.decode(pixels, path: "p.png") } throws: { "\($0)".contains("p.png") && "\($0)".contains("CRC") }
    }

    @Test func absurdSizesAreRefusedFromTheHeader() throws {
        // A 13-byte IHDR claiming 100 000 × 100 000 pixels, with no pixel data behind it.
        let huge = PNGFixture.make(width: 100_000, height: 100_000, colour: .rgb, bitDepth: 8, samples: [])
        #expect { try PNGCodec.decode(huge, path: "huge.png") }
            throws: { "\($0)".contains("huge.png") && "\($0)".contains("exceeds user limit") }
        let picture = PNGFixture.make(width: 30, height: 2, colour: .grey, bitDepth: 8, samples: Array(repeating: 9, count: 60))
        #expect(try PNGCodec.decode(picture).width == 30)
        #expect { try PNGCodec.decode(picture, limits: ImageLimits(maximumWidth: 29)) } throws: { "\($0)".contains("width exceeds user limit") }
        #expect { try PNGCodec.decode(picture, limits: ImageLimits(maximumPixels: 59)) } throws: { "\($0)".contains("30×2 pixels is more than the limit of 59") }
    }

    /// Found by fuzzing: a 122-byte file whose sPLT chunk claims 1.9 GB made libpng allocate and
    /// clear that much before noticing the file ends. Ancillary chunks are now skipped unread.
    @Test func hugeAncillaryChunkTakesNoMemory() throws {
        let input = try #require(Data(base64Encoded: """
            iVBORw0KGgoAAAANSUhEUgAAAAcAAAACAgMAAADp8S7zAAAADHNzc3Nzc3Nzc3Nzc3Nzc3Nzc3Nzc3Nzc3NQTFRFAAECAwQFBgcICQoL\
            3Ew4nAAAAAJ0Uk5TAICbK04YAAAADklEQVR42mNg4GZQNQAAAKwAYSmXlEk=
            """))
        let before = peakResidentBytes()
        #expect(throws: PNGError.self) { try PNGCodec.decode(input, path: "splt.png") }
        #expect(peakResidentBytes() - before < 500_000_000)
    }

    /// libpng's error path (a longjmp inside Sources/CPNGDecode) must free what the decode took: a
    /// file cut in its last bytes fails after every row is decoded into the 3 MB pixel buffer.
    @Test func failedDecodesFreeTheirMemory() throws {
        let picture = try PNGCodec.encode(Image(width: 1024, height: 1024, channels: 3, fill: 7))
        let cut = picture.prefix(picture.count - 14)
        let before = peakResidentBytes()
        for _ in 0..<100 {
            #expect { try PNGCodec.decode(cut, path: "cut.png") } throws: { "\($0)".contains("cut.png") }
        }
        #expect(peakResidentBytes() - before < 150_000_000, "100 leaked buffers would take 300 MB")
    }

    /// The common photo's own decoder (Sources/CPNGDecode/fast.c) against the definition of each row
    /// filter and against libpng (a `topRows` decode always goes through libpng), on noise and on
    /// samples of 0–3, whose Paeth predictions tie often, in IDAT chunks of 50 bytes; runs of Paeth
    /// rows (decoded two or eight at a time) beside single ones.
    @Test(arguments: [PNGFixture.ColourType.grey, .rgb])
    func everyRowFilterDecodesAsLibpngDoes(colour: PNGFixture.ColourType) throws {
        let channels = colour == .rgb ? 3 : 1
        var random = SplitMix64(seed: 18)
        for (width, height) in [(1, 1), (1, 6), (7, 5), (33, 9), (5, 19)] {
            for range in [256, 4] {
                let samples = (0..<width * height * channels).map { _ in Int(random.next() % UInt64(range)) }
                for filters: [UInt8] in [[0], [1], [2], [3], [4], [4, 3, 2, 1, 0], [4, 4, 4, 1], [4, 4, 4, 4, 4, 4, 4, 4, 4, 2]] {
                    let file = PNGFixture.make(width: width, height: height, colour: colour, bitDepth: 8,
                                               samples: samples, filters: filters, idatSize: 50)
                    let fast = try #require(Self.fastDecode(file), "filters \(filters), \(width) × \(height)")
                    #expect(fast.channels == channels && differing(fast.pixels, samples.map { UInt8($0) }) == 0,
                            "filters \(filters), \(width) × \(height)")
                    #expect(try differing(PNGCodec.decode(file, topRows: height).pixels, fast.pixels) == 0)
                }
            }
        }
    }

    /// libpng's own encoder picks each row's filter by its content: a rendered photo through both decoders.
    @Test func encodedPhotosDecodeAsLibpngDoes() throws {
        var random = SplitMix64(seed: 3)
        for channels in [1, 3] {
            let pixels = (0..<160 * 90 * channels).map { i in UInt8(truncatingIfNeeded: (i % 160) * 3 / 2 + Int(random.next() % 24)) }
            let file = try PNGCodec.encode(Image(width: 160, height: 90, channels: channels, pixels: pixels)!)
            let fast = try #require(Self.fastDecode(file))
            #expect(differing(fast.pixels, pixels) == 0)
            #expect(try differing(PNGCodec.decode(file, topRows: 90).pixels, fast.pixels) == 0)
        }
    }

    /// Every file the fast path does not decode, and every fault in one it would, goes to libpng.
    @Test func otherFilesAndFaultsAreLeftToLibpng() throws {
        let seed = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("fuzz/corpus/png-loader/rgb8-interlaced.png")
        let others = [
            try Data(contentsOf: seed),
            PNGFixture.make(width: 3, height: 1, colour: .palette, bitDepth: 8, samples: [1, 0, 1], palette: [1, 2, 3, 4, 5, 6]),
            PNGFixture.make(width: 1, height: 1, colour: .rgb, bitDepth: 16, samples: [1, 2, 3]),
            PNGFixture.make(width: 1, height: 1, colour: .rgba, bitDepth: 8, samples: [1, 2, 3, 4]),
            PNGFixture.make(width: 9, height: 1, colour: .grey, bitDepth: 1, samples: [1, 0, 1, 1, 0, 0, 0, 1, 1]),
        ]
        for file in others { #expect(Self.fastDecode(file) == nil) }

        let good = PNGFixture.make(width: 2, height: 2, colour: .grey, bitDepth: 8, samples: [1, 2, 3, 4], filters: [4])
        #expect(Self.fastDecode(good) != nil)
        var crc = good
        crc[crc.count - 13] ^= 0x01
        let unknownFilter = PNGFixture.make(width: 2, height: 2, colour: .grey, bitDepth: 8, samples: [1, 2, 3, 4], filters: [5])
        let cut = good.prefix(good.count - 12)  // no IEND
        for faulty in [crc, unknownFilter, Data(cut)] {
            #expect(Self.fastDecode(faulty) == nil)
            #expect(throws: PNGError.self) { try PNGCodec.decode(faulty) }
        }
        #expect { try PNGCodec.decode(unknownFilter) } throws: { "\($0)".contains("filter") }
    }

    /// How many samples differ (a count, not two arrays of thousands, when a test fails).
    private func differing(_ a: [UInt8], _ b: [UInt8]) -> Int {
        a.count == b.count ? zip(a, b).count { $0 != $1 } : max(a.count, b.count)
    }

    /// Photos over the fast path's size are decoded row by row by libpng, which holds less.
    @Test func largePhotosAreLeftToLibpng() throws {
        let picture = PNGFixture.make(width: 30, height: 2, colour: .grey, bitDepth: 8, samples: Array(repeating: 9, count: 60))
        #expect(Self.fastDecode(picture, largestPixels: 60) != nil)
        #expect(Self.fastDecode(picture, largestPixels: 59) == nil)
        #expect(PNGCodec.fastDecodeLargestPixels >= 4032 * 3024, "a 12-megapixel phone photo takes the fast path")
    }

    private static func fastDecode(_ file: Data, largestPixels: Int = PNGCodec.fastDecodeLargestPixels) -> Image? {
        file.withUnsafeBytes {
            PNGCodec.fastDecode($0.bindMemory(to: UInt8.self), limits: ImageLimits(), largestPixels: largestPixels)
        }
    }

    @Test func missingFileNamesThePath() {
        #expect {
            try PNGCodec.read(contentsOf: URL(fileURLWithPath: "/nonexistent/x.png"))
        } throws: { error in
            "\(error)".contains("/nonexistent/x.png")
        }
    }
}

/// The process's peak resident memory so far (getrusage's ru_maxrss, kilobytes on Linux).
private func peakResidentBytes() -> Int {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    return usage.ru_maxrss * 1024
}
