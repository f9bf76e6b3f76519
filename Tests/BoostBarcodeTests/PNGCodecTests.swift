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

    @Test func missingFileNamesThePath() {
        #expect {
            try PNGCodec.read(contentsOf: URL(fileURLWithPath: "/nonexistent/x.png"))
        } throws: { error in
            "\(error)".contains("/nonexistent/x.png")
        }
    }
}
