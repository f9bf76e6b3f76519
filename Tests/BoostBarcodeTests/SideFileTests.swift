import Foundation
import Testing
@testable import BoostBarcode

@Suite struct SideFileTests {
    @Test func readingsRoundTrip() throws {
        let folder = try makeTemporaryFolder()
        defer { removeTemporaryFolder(folder) }
        let codes = sampleCodes(3, seed: 4)
        let readings = [
            Reading(path: "a.png", answer: codes[0], raw: codes[0], constrained: codes[0], confidence: 0.987654, flipped: false),
            Reading(path: "b.png", answer: nil, raw: EAN13Code(text: "0123456789012")!, constrained: codes[1],
                    confidence: 0.25, flipped: true),
        ]
        let url = ReadingsFile.url(besideAnswer: folder.appendingPathComponent("answer.csv"))
        #expect(url.lastPathComponent == "answer.readings.csv")
        try ReadingsFile.write(readings, to: url)
        #expect(try ReadingsFile.read(contentsOf: url) == readings)
        let text = try String(contentsOf: url, encoding: .utf8)
        #expect(text.hasPrefix("path,answer,raw,constrained,confidence,flipped\na.png,\(codes[0]),\(codes[0]),\(codes[0]),0.987654,0\n"))
        #expect(text.contains("b.png,,0123456789012,\(codes[1]),0.250000,1\n"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["answer.readings.csv"])
        var comma = readings[0]
        comma.path = "a,b.png"
        #expect { try ReadingsFile.write([comma], to: url) } throws: { "\($0)".contains("holds a comma") }
        #expect(try ReadingsFile.read(contentsOf: url) == readings)
    }

    @Test func aBadReadingsLineNamesFileAndLine() throws {
        let folder = try makeTemporaryFolder()
        defer { removeTemporaryFolder(folder) }
        let url = folder.appendingPathComponent("r.csv")
        let header = "path,answer,raw,constrained,confidence,flipped\n"
        let good = "a.png,,4006381333931,4006381333931,0.5,0\n"
        let cases = [
            (good + "b.png,,400638133393,4006381333931,0.5,0\n", "r.csv:3: raw '400638133393' is not 13 digits"),
            (good + "\nb.png,,4006381333931,4006381333931,1.5,0\n", "r.csv:4: confidence '1.5' is not a number in 0...1"),
            (good + "b.png,,4006381333931,4006381333931,0.5\n", "r.csv:3: expected 6 columns, found 5"),
            (good + "b.png,,4006381333931,4006381333931,0.5,yes\n", "r.csv:3: flipped 'yes' is not 0 or 1"),
        ]
        for (body, message) in cases {
            try Data((header + body).utf8).write(to: url)
            #expect { try ReadingsFile.read(contentsOf: url) } throws: { "\($0)".hasSuffix(message) }
        }
        try Data(good.utf8).write(to: url)
        #expect { try ReadingsFile.read(contentsOf: url) } throws: { "\($0)".contains("r.csv:1: expected the header") }
    }

    @Test func factorsRoundTripToTheirPrecision() throws {
        let folder = try makeTemporaryFolder()
        defer { removeTemporaryFolder(folder) }
        let factors = [DifficultyFactors(path: "000000.png", modulePixels: 2.25, blurPixels: 0, motionPixels: 3.5,
                                         tiltDegrees: 12.125, rotationDegrees: 359.5, contrast: 0.4375, longSidePixels: 812)]
        let url = FactorsFile.url(besideMarkup: folder.appendingPathComponent("Test/markup.csv"))
        #expect(url.path.hasSuffix("Test/factors.csv"))
        try FactorsFile.write(factors, to: url)
        #expect(try FactorsFile.read(contentsOf: url) == factors)
        #expect(try String(contentsOf: url, encoding: .utf8) == """
            path,module_px,blur_px,motion_px,tilt_deg,rotation_deg,contrast,long_side_px,bend_across_deg,bend_along_deg,\
            blur_mod,jpeg_quality,fade,flaws,quiet_mod,neighbour_share,brightness,glare,disc_mod
            000000.png,2.250,0.000,3.500,12.125,359.500,0.4375,812,0.0,0.0,0.000,0,0.000,0,0.00,0.000,0.000,0.000,0.000

            """)
        // A file of the first generator's columns reads, with no hard cases.
        try Data("path,module_px,blur_px,motion_px,tilt_deg,rotation_deg,contrast,long_side_px\nx.png,1,2,3,4,5,0.5,7\n".utf8)
            .write(to: url)
        #expect(try FactorsFile.read(contentsOf: url).first?.hard == HardCaseFactors())
        // One written before heavy defocus became a disc reads too, its disc 0.
        try Data(("path,module_px,blur_px,motion_px,tilt_deg,rotation_deg,contrast,long_side_px,bend_across_deg,bend_along_deg,"
                  + "blur_mod,jpeg_quality,fade,flaws,quiet_mod,neighbour_share,brightness,glare\n"
                  + "x.png,1,2,3,4,5,0.5,7,0.0,0.0,2.500,0,0.000,0,0.00,0.000,0.500,0.000\n").utf8).write(to: url)
        let beforeDisc = try #require(try FactorsFile.read(contentsOf: url).first?.hard)
        #expect(beforeDisc.blurModules == 2.5 && beforeDisc.brightness == 0.5 && beforeDisc.discModules == 0)
        try Data("path,module_px,blur_px,motion_px,tilt_deg,rotation_deg,contrast,long_side_px\nx.png,1,2,3,4,5,six,7\n".utf8)
            .write(to: url)
        #expect { try FactorsFile.read(contentsOf: url) } throws: { "\($0)".contains("factors.csv:2: expected a path, six numbers") }
    }
}
