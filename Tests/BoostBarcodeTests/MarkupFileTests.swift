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
        try Data([0xC3, 0x28, 0xFF, 0x00, 0x00]).write(to: url)
        #expect(throws: BoostBarcodeError.badEncoding(path: url.path, reason: "binary data (NUL bytes), not text")) {
            try MarkupFile.read(contentsOf: url)
        }
    }

    @Test func unknownEncodingsAreRefusedWithTheReason() {
        let latin1 = Data(Array("caf".utf8) + [0xE9] + Array(".png,,,,,,,,,,ean13\n".utf8))  // "café" in Latin-1
        #expect { try MarkupFile.contents(of: latin1, path: "m.csv") }
            throws: { "\($0)".hasPrefix("m.csv: not UTF-8 or UTF-16 text: byte 0xE9 at offset 3 is not UTF-8") }
        #expect { try MarkupFile.contents(of: Data([0xFF, 0xFE, 0, 0, 0x61, 0, 0, 0]), path: "m.csv") }
            throws: { "\($0)" == "m.csv: UTF-32 text is not read; save it as UTF-8 or UTF-16" }
        #expect { try MarkupFile.contents(of: Data([0xFF, 0xFE, 0x61]), path: "m.csv") }
            throws: { "\($0)".contains("not valid UTF-16 LE") }
        #expect { try MarkupFile.contents(of: Data([0xFE, 0xFF, 0xD8, 0x00, 0x00, 0x61]), path: "m.csv") }
            throws: { "\($0)".contains("not valid UTF-16 BE") }  // a lone high surrogate
    }

    @Test func utf16WithoutAByteOrderMarkIsRecognised() throws {
        let line = "a.png,4600049340097,1,2,3,4,5,6,7,8,ean13\n"
        let little = Data(line.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
        let big = Data(line.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] })
        #expect(try MarkupFile.contents(of: little, path: "m.csv").rows == MarkupFile.parse(line))
        #expect(try MarkupFile.contents(of: big, path: "m.csv").rows == MarkupFile.parse(line))
    }

    @Test func emptyFilesAreRefused() {
        for bytes: [UInt8] in [[], [0xFF, 0xFE], [0xEF, 0xBB, 0xBF], Array("\r\n \n\n".utf8)] {
            #expect(throws: BoostBarcodeError.emptyMarkup(path: "m.csv")) { try MarkupFile.contents(of: Data(bytes), path: "m.csv") }
        }
    }

    @Test func mixedLineEndingsKeepTheirLineNumbers() throws {
        let row = { (name: String) in "\(name),,1,2,3,4,5,6,7,8,ean13" }
        let text = row("a") + "\n" + row("b") + "\r\n" + row("c") + "\r" + row("d") + "\r\n\n" + row("e")
        let contents = MarkupFile.parseContents(text, path: "m.csv")
        #expect(contents.rows.map(\.path) == ["a", "b", "c", "d", "e"])
        #expect(contents.lineNumbers == [1, 2, 3, 4, 6] && contents.problems.isEmpty)
    }

    @Test func badLinesAreListedAndTheOthersRead() throws {
        let lines = [
            "ok-1.png,4600049340097,1,2,30,2,30,20,1,20,ean13",
            "short.png,1,2,3",
            "letters.png,46000x9340097,1,2,30,2,30,20,1,20,ean13",
            "long.png,46000493400971,1,2,30,2,30,20,1,20,ean13",
            "word.png,,1,2,thirty,2,30,20,1,20,ean13",
            "nan.png,,1,2,30,nan,30,20,1,20,ean13",
            "inf.png,,1,2,30,2,30,20,1,-inf,ean13",
            "partial.png,,1,2,30,2,,,1,20,ean13",
            ",4600049340097,1,2,30,2,30,20,1,20,ean13",
            "ok-1.png,4600049340097,1,2,30,2,30,20,1,20,ean13",
            "no-code.png,,1,2,30,2,30,20,1,20,ean13",
        ]
        let contents = MarkupFile.parseContents(lines.joined(separator: "\n"), path: "m.csv")
        #expect(contents.rows.map(\.path) == ["ok-1.png", "no-code.png"] && contents.lineNumbers == [1, 11])
        #expect(contents.rows[1].code == nil)
        #expect(contents.problems.map(\.description) == [
            "m.csv:2: expected 11 columns, found 4",
            "m.csv:3: code '46000x9340097' is not up to 13 digits",
            "m.csv:4: code '46000493400971' is not up to 13 digits",
            "m.csv:5: corners must be 8 numbers or all empty; x2 is 'thirty'",
            "m.csv:6: corners must be 8 numbers or all empty; y2 is 'nan'",
            "m.csv:7: corners must be 8 numbers or all empty; y4 is '-inf'",
            "m.csv:8: corners must be 8 numbers or all empty; x3 is empty",
            "m.csv:9: empty image path",
            "m.csv:10: ok-1.png is listed again (first on line 1)",
        ])
        #expect(contents.problems.map(\.imagePath) == [nil, "letters.png", "long.png", "word.png", "nan.png", "inf.png",
                                                        "partial.png", nil, "ok-1.png"])
    }

    /// Found by fuzzing: a NUL inside a line was read into the symbology column, and the row, written
    /// back as UTF-8, no longer read as text. A line holding a NUL is now a bad line.
    @Test func aLineHoldingANulIsABadLine() throws {
        let found = try #require(Data(base64Encoded: """
            /v8AYQAuAHAAbgBnACwANAA2ADAAMf8wADQAOQAzADQAMAAwADkANwAsADEALgA1ACwAMgAsADFqMAAwAC4AMgA1ACwAMwAsADkAOQAsADQAMAAu\
            ADcANQAsADAALAA0ADEALAAwADUALgAwACwALAAsACwALAAsACwALAAsAGUAYQBuADEAMwAKAGMALgBwAG4AZwAsACwALQAzACwAMAAsADUALAAw\
            ACwANQAsADUALAAtADMALAA1ACwAZQBhAG4AADAAMAAwADQAOQAzADQAMAAwADkANwAsADEALgA1ACwAMgAsADEAMDEAMw==
            """))
        let contents = try MarkupFile.contents(of: found, path: "m.csv")
        #expect(contents.rows.isEmpty && contents.problems.map(\.line) == [1, 2])
        #expect(contents.problems[1].description == "m.csv:2: line holds a NUL character (binary data?)")
        let text = "a.png,,1,2,30,2,30,20,1,20,ean\u{0}13\nb.png,,1,2,30,2,30,20,1,20,ean13"
        #expect(MarkupFile.parseContents(text, path: "m.csv").rows.map(\.path) == ["b.png"])
    }

    @Test func badMarkupLinesBecomeSkippedRowsOfTheSplit() throws {
        let folder = try makeTemporaryFolder()
        defer { removeTemporaryFolder(folder) }
        let rows = try writeSplit(at: folder, codes: sampleCodes(2), encoding: .utf8)
        let markup = folder.appendingPathComponent("markup.csv")
        let text = try String(contentsOf: markup, encoding: .utf8)
        try Data(("broken,line\n" + text).utf8).write(to: markup)
        let split = try DatasetSplit(root: folder)
        #expect(split.rows == rows && split.rowCount == 3 && split.line(of: rows[1].path) == 3)
        let (usable, skipped) = split.usableRows(requireCodes: true)
        #expect(usable == rows)
        #expect(skipped.map(\.reason) == [.badMarkupRow] && skipped[0].detail == "\(markup.path):1: expected 11 columns, found 2")
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
