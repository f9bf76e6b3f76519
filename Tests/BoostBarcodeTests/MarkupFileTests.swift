import Foundation
import Testing
@testable import BoostBarcode

@Suite struct MarkupFileTests {
    let rows = [
        MarkupRow(path: "a.png", code: EAN13Code(text: "0012345678905"),
                  quad: Quad(topLeft: Point(x: 1.5, y: 2), topRight: Point(x: 100.25, y: 3),
                             bottomRight: Point(x: 99, y: 40.75), bottomLeft: Point(x: 0, y: 41))),
        MarkupRow(path: "b photo.png", code: EAN13Code(text: "4600049340097"), quad: nil),
        MarkupRow(path: "c.png", code: nil,
                  quad: Quad(topLeft: Point(x: -3, y: 0), topRight: Point(x: 5, y: 0),
                             bottomRight: Point(x: 5, y: 5), bottomLeft: Point(x: -3, y: 5))),
    ]

    @Test(arguments: MarkupEncoding.allCases)
    func roundTripInEveryEncoding(_ encoding: MarkupEncoding) throws {
        let folder = try makeTemporaryFolder()
        defer { removeTemporaryFolder(folder) }
        let url = folder.appendingPathComponent("markup.csv")
        try MarkupFile.write(rows, to: url, encoding: encoding)
        #expect(try MarkupFile.read(contentsOf: url) == rows)
        let bytes = [UInt8](try Data(contentsOf: url))
        let expectedStart: [UInt8] = switch encoding {
        case .utf16: [0xFF, 0xFE, UInt8(ascii: "a"), 0]
        case .utf16BigEndian: [0xFE, 0xFF, 0, UInt8(ascii: "a")]
        case .utf8: [UInt8(ascii: "a")]
        case .utf8WithBOM: [0xEF, 0xBB, 0xBF, UInt8(ascii: "a")]
        }
        #expect(bytes.starts(with: expectedStart))
    }

    @Test func writesThirteenDigitsAndTheCourseColumns() {
        #expect(MarkupFile.format(rows[0]) == "a.png,0012345678905,1.5,2,100.25,3,99,40.75,0,41,ean13")
        #expect(MarkupFile.format(rows[1]) == "b photo.png,4600049340097,,,,,,,,,ean13")
    }

    @Test func acceptsPandasStyleCodesAndCRLF() throws {
        let text = "x.png,4600049340097.0,1,2,3,4,5,6,7,8,ean13\r\ny.png,12345678905,1,2,3,4,5,6,7,8,ean13\r\n\r\n"
        let parsed = try MarkupFile.parse(text)
        #expect(parsed.map { $0.code?.description } == ["4600049340097", "0012345678905"])
    }

    @Test func badRowsNameTheirLine() {
        #expect { try MarkupFile.parse("a.png,1,2,3\n", path: "m.csv") } throws: { "\($0)" == "m.csv:1: expected 11 columns, found 4" }
        #expect { try MarkupFile.parse("ok.png,,1,2,3,4,5,6,7,8,ean13\nb.png,12x,1,2,3,4,5,6,7,8,ean13", path: "m.csv") }
            throws: { "\($0)".hasPrefix("m.csv:2: code '12x'") }
        #expect { try MarkupFile.parse("b.png,1,1,2,3,nope,5,6,7,8,ean13", path: "m.csv") }
            throws: { "\($0)".contains("corners must be 8 numbers") }
    }

    @Test func binaryGarbageIsNotText() throws {
        let folder = try makeTemporaryFolder()
        defer { removeTemporaryFolder(folder) }
        let url = folder.appendingPathComponent("markup.csv")
        try Data([0xC3, 0x28, 0xFF, 0x00]).write(to: url)
        #expect(throws: BoostBarcodeError.badEncoding(path: url.path)) { try MarkupFile.read(contentsOf: url) }
    }

    @Test func missingImagesAreCountedNotDropped() throws {
        let folder = try makeTemporaryFolder()
        defer { removeTemporaryFolder(folder) }
        _ = try writeSplit(at: folder, codes: sampleCodes(3))
        try FileManager.default.removeItem(at: folder.appendingPathComponent("Images/img-1.png"))
        let split = try DatasetSplit(root: folder)
        #expect(split.rows.map(\.path) == ["img-0.png", "img-2.png"])
        #expect(split.missingImages == ["img-1.png"] && split.allRows.count == 3)
    }
}

@Suite struct ReportTests {
    @Test func countsPositionsCodesAndCheckDigits() throws {
        let truthCodes = ["4006381333931", "5901234123457", "9780201379624", "4600049340097"]
        let truth = truthCodes.enumerated().map { MarkupRow(path: "\($0.offset).png", code: EAN13Code(text: $0.element), quad: nil) }
        let answers = [
            MarkupRow(path: "0.png", code: EAN13Code(text: "4006381333931"), quad: nil),  // right
            MarkupRow(path: "1.png", code: EAN13Code(text: "5901234123450"), quad: nil),  // last digit wrong, check fails
            MarkupRow(path: "2.png", code: EAN13Code(text: "9780201379631"), quad: nil),  // wrong, check valid
            MarkupRow(path: "9.png", code: EAN13Code(text: "4006381333931"), quad: nil),  // no truth row
        ]
        let report = Report(truth: truth, answers: answers)
        #expect(report.truthRows == 4 && report.answered == 3 && report.codesCorrect == 1)
        #expect(report.codeAccuracy == 0.25)
        #expect(report.positionCorrect[0] == 3 && report.positionCorrect[12] == 1 && report.positionCorrect[10] == 3 && report.positionCorrect[11] == 2)
        #expect(report.checkDigitValid == 2 && report.wrongWithValidCheckDigit == 1 && report.wrongWithInvalidCheckDigit == 1)
        #expect(report.answersWithoutTruth == 1)
        let decoded = try JSONDecoder().decode(Report.self, from: report.json())
        #expect(decoded == report)
        #expect(report.table.contains("full code: 1 of 4 correct (0.2500)"))
    }
}

@Suite struct NumPyFileTests {
    @Test func headerIsAlignedAndDescribesTheArray() throws {
        let data = NumPyFile.encode([0, 1, 1, 0, 1, 0], shape: [2, 3], as: .uint8)
        #expect(Array(data.prefix(8)) == [0x93] + Array("NUMPY".utf8) + [1, 0])
        let headerLength = Int(data[8]) | Int(data[9]) << 8
        #expect((10 + headerLength) % 64 == 0)
        let header = String(decoding: data[10..<10 + headerLength], as: UTF8.self)
        #expect(header.hasPrefix("{'descr': '|u1', 'fortran_order': False, 'shape': (2, 3), }") && header.hasSuffix("\n"))
        #expect(Array(data.suffix(6)) == [0, 1, 1, 0, 1, 0])
    }

    @Test func float32IsLittleEndian() {
        let data = NumPyFile.encode([1], shape: [1], as: .float32)
        #expect(Array(data.suffix(4)) == [0x00, 0x00, 0x80, 0x3F])
        #expect(String(decoding: data, as: UTF8.self).contains("'descr': '<f4'") && String(decoding: data, as: UTF8.self).contains("(1,)"))
    }
}
