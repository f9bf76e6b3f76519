import Foundation

/// One row of `markup.csv` / `answer.csv`: `path, code, x1, y1, ..., x4, y4, barcode` (DATA.md section 1).
public struct MarkupRow: Equatable, Sendable {
    /// File name relative to the split's `Images/` folder.
    public var path: String
    /// The code, when the row has a valid one (a test split may leave it empty).
    public var code: EAN13Code?
    /// The corners, when the row has them (the real photos' `markup-noquad.csv` leaves them empty).
    public var quad: Quad?
    /// The symbology column, `ean13` in practice.
    public var symbology: String

    public init(path: String, code: EAN13Code?, quad: Quad?, symbology: String = "ean13") {
        self.path = path
        self.code = code
        self.quad = quad
        self.symbology = symbology
    }
}

/// The text encodings `markup.csv` comes in.
public enum MarkupEncoding: String, Sendable, CaseIterable, Codable {
    /// UTF-16 little-endian with a BOM, what pandas `to_csv(encoding='utf-16')` writes (the default).
    case utf16
    case utf16BigEndian = "utf16be"
    case utf8
    case utf8WithBOM = "utf8bom"
}

/// A markup line that could not be read: the file, the line (1-based) and why. The other lines
/// are still read.
public struct MarkupProblem: Error, Equatable, Sendable, CustomStringConvertible {
    public let file: String
    public let line: Int
    /// The line's image path, when it has one.
    public let imagePath: String?
    public let reason: String

    public var description: String { "\(file):\(line): \(reason)" }
}

/// What a markup file holds: the rows that could be read, each with its line number, and the
/// lines that could not.
public struct MarkupContents: Sendable {
    public var rows: [MarkupRow] = []
    /// `lineNumbers[i]` is the 1-based line of `rows[i]`.
    public var lineNumbers: [Int] = []
    public var problems: [MarkupProblem] = []
}

/// Reads and writes the course layout's CSV: no header, comma separated, LF, CRLF or CR line ends.
public enum MarkupFile {
    /// Reads every row; throws the first bad line (`readContents(of:)` reads past bad lines).
    public static func read(contentsOf url: URL) throws -> [MarkupRow] {
        let contents = try readContents(of: url)
        if let problem = contents.problems.first { throw problem }
        return contents.rows
    }

    /// Reads every row that can be read and lists the lines that cannot.
    public static func readContents(of url: URL) throws -> MarkupContents {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw BoostBarcodeError.unreadableFile(path: url.path, reason: error.localizedDescription)
        }
        return try contents(of: data, path: url.path)
    }

    /// Decodes and parses file bytes. Throws only when the file as a whole is unusable: an encoding
    /// other than UTF-8 or UTF-16, or no rows at all.
    public static func contents(of data: Data, path: String) throws -> MarkupContents {
        let text: String
        switch decodeText(data) {
        case .success(let decoded): text = decoded
        case .failure(let reason): throw BoostBarcodeError.badEncoding(path: path, reason: reason.description)
        }
        let contents = parseContents(text, path: path)
        guard !contents.rows.isEmpty || !contents.problems.isEmpty else { throw BoostBarcodeError.emptyMarkup(path: path) }
        return contents
    }

    /// Parses CSV text already decoded; throws the first bad line.
    public static func parse(_ text: String, path: String = "markup.csv") throws -> [MarkupRow] {
        let contents = parseContents(text, path: path)
        if let problem = contents.problems.first { throw problem }
        return contents.rows
    }

    /// Parses every line: empty lines are skipped, a bad line becomes a problem, and a path already
    /// seen is a problem too (answers are matched to truth by path, so a path must be unique).
    public static func parseContents(_ text: String, path: String) -> MarkupContents {
        var contents = MarkupContents()
        var lineOfPath: [String: Int] = [:]
        for (index, rawLine) in lines(of: text).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty { continue }
            switch parseRow(line) {
            case .failure(let reason):
                contents.problems.append(MarkupProblem(file: path, line: index + 1, imagePath: reason.imagePath,
                                                       reason: reason.text))
            case .success(let row):
                if let first = lineOfPath[row.path] {
                    contents.problems.append(MarkupProblem(file: path, line: index + 1, imagePath: row.path,
                                                           reason: "\(row.path) is listed again (first on line \(first))"))
                    continue
                }
                lineOfPath[row.path] = index + 1
                contents.rows.append(row)
                contents.lineNumbers.append(index + 1)
            }
        }
        return contents
    }

    /// Lines split at LF, CRLF or a lone CR, any mixture of them; by Unicode scalar, so that a
    /// combining mark after a separator cannot hide it.
    static func lines(of text: String) -> [String] {
        var lines: [String] = [], current = String.UnicodeScalarView(), previousWasCR = false
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n" where previousWasCR: break
            case "\n", "\r": lines.append(String(current)); current = String.UnicodeScalarView()
            default: current.append(scalar)
            }
            previousWasCR = scalar == "\r"
        }
        lines.append(String(current))
        return lines
    }

    /// Writes rows atomically (temporary file, then rename), UTF-16LE with BOM unless told otherwise.
    public static func write(_ rows: [MarkupRow], to url: URL, encoding: MarkupEncoding = .utf16) throws {
        let text = rows.map(format).joined(separator: "\n") + (rows.isEmpty ? "" : "\n")
        try AtomicFile.write(encode(text, as: encoding), to: url)
    }

    /// Text of one row, as written to the file.
    public static func format(_ row: MarkupRow) -> String {
        let corners = row.quad.map { quad in
            quad.corners.flatMap { [formatCoordinate($0.x), formatCoordinate($0.y)] }
        } ?? Array(repeating: "", count: 8)
        return ([row.path, row.code?.description ?? ""] + corners + [row.symbology]).joined(separator: ",")
    }

    static func encode(_ text: String, as encoding: MarkupEncoding) -> Data {
        switch encoding {
        case .utf8: return Data(text.utf8)
        case .utf8WithBOM: return Data([0xEF, 0xBB, 0xBF] + Array(text.utf8))
        case .utf16, .utf16BigEndian:
            var bytes: [UInt8] = encoding == .utf16 ? [0xFF, 0xFE] : [0xFE, 0xFF]
            bytes.reserveCapacity(2 + text.utf16.count * 2)
            for unit in text.utf16 {
                let (high, low) = (UInt8(unit >> 8), UInt8(unit & 0xFF))
                bytes += encoding == .utf16 ? [low, high] : [high, low]
            }
            return Data(bytes)
        }
    }

    /// Why bytes are not markup text.
    enum EncodingProblem: Error, CustomStringConvertible {
        case utf32
        case invalidUTF16(bigEndian: Bool)
        case invalidUTF8(offset: Int, byte: UInt8)
        case nulBytes

        var description: String {
            let advice = "save it as UTF-8 or UTF-16"
            return switch self {
            case .utf32: "UTF-32 text is not read; \(advice)"
            case .invalidUTF16(let bigEndian): "not valid UTF-16 \(bigEndian ? "BE" : "LE") text although it starts with that byte-order mark"
            case let .invalidUTF8(offset, byte):
                "not UTF-8 or UTF-16 text: byte 0x\(String(byte, radix: 16, uppercase: true)) at offset \(offset) is not UTF-8 (a legacy code page such as Latin-1 or Windows-1251?); \(advice)"
            case .nulBytes: "binary data (NUL bytes), not text"
            }
        }
    }

    /// Decodes by BOM: UTF-16 LE/BE with BOM, UTF-8 with or without BOM; UTF-16 without a BOM is
    /// recognised by its zero bytes (every other byte of ASCII text). Anything else is refused.
    static func decodeText(_ data: Data) -> Result<String, EncodingProblem> {
        let bytes = [UInt8](data)
        if bytes.starts(with: [0xFF, 0xFE, 0, 0]) || bytes.starts(with: [0, 0, 0xFE, 0xFF]) { return .failure(.utf32) }
        if bytes.starts(with: [0xFF, 0xFE]) { return utf16(bytes.dropFirst(2), bigEndian: false) }
        if bytes.starts(with: [0xFE, 0xFF]) { return utf16(bytes.dropFirst(2), bigEndian: true) }
        let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? bytes.dropFirst(3) : bytes[...]
        if body.contains(0) {
            let zeroAtEven = stride(from: body.startIndex, to: body.endIndex, by: 2).contains { body[$0] == 0 }
            let zeroAtOdd = stride(from: body.startIndex + 1, to: body.endIndex, by: 2).contains { body[$0] == 0 }
            guard body.count % 2 == 0, zeroAtEven != zeroAtOdd else { return .failure(.nulBytes) }
            return utf16(body, bigEndian: zeroAtEven)
        }
        var iterator = body.makeIterator(), decoder = UTF8(), offset = body.startIndex
        var text = String.UnicodeScalarView()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                text.append(scalar)
                offset += UTF8.width(scalar)
            case .emptyInput: return .success(String(text))
            case .error: return .failure(.invalidUTF8(offset: offset, byte: body[offset]))
            }
        }
    }

    private static func utf16(_ bytes: ArraySlice<UInt8>, bigEndian: Bool) -> Result<String, EncodingProblem> {
        guard bytes.count % 2 == 0 else { return .failure(.invalidUTF16(bigEndian: bigEndian)) }
        let units = stride(from: bytes.startIndex, to: bytes.endIndex, by: 2).map { (i: Int) -> UInt16 in
            let (first, second) = (UInt16(bytes[i]), UInt16(bytes[i + 1]))
            return bigEndian ? first << 8 | second : second << 8 | first
        }
        var iterator = units.makeIterator(), decoder = UTF16(), text = String.UnicodeScalarView()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): text.append(scalar)
            case .emptyInput: return .success(String(text))
            case .error: return .failure(.invalidUTF16(bigEndian: bigEndian))
            }
        }
    }

    /// A line's problem, with its image path when the line has one.
    private struct RowProblem: Error {
        let imagePath: String?
        let text: String
    }

    private static let coordinateNames = ["x1", "y1", "x2", "y2", "x3", "y3", "x4", "y4"]

    private static func parseRow(_ line: String) -> Result<MarkupRow, RowProblem> {
        // No file name holds a NUL, and a NUL cannot be written back as UTF-8 text that reads as UTF-8.
        guard !line.unicodeScalars.contains("\0") else {
            return .failure(RowProblem(imagePath: nil, text: "line holds a NUL character (binary data?)"))
        }
        let fields = line.unicodeScalars.split(separator: ",", omittingEmptySubsequences: false)
            .map { String(String.UnicodeScalarView($0)).trimmingCharacters(in: .whitespaces) }
        guard fields.count == 11 else {
            return .failure(RowProblem(imagePath: nil, text: "expected 11 columns, found \(fields.count)"))
        }
        guard !fields[0].isEmpty else { return .failure(RowProblem(imagePath: nil, text: "empty image path")) }
        let path = fields[0]
        var code: EAN13Code?
        if !fields[1].isEmpty {
            guard let parsed = EAN13Code(text: fields[1]) else {
                return .failure(RowProblem(imagePath: path, text: "code '\(fields[1])' is not up to 13 digits"))
            }
            code = parsed
        }
        let corners = Array(fields[2..<10])
        if corners.allSatisfy(\.isEmpty) { return .success(MarkupRow(path: path, code: code, quad: nil, symbology: fields[10])) }
        var values: [Double] = []
        for (name, text) in zip(coordinateNames, corners) {
            guard let value = Double(text), value.isFinite else {
                let found = text.isEmpty ? "empty" : "'\(text)'"
                return .failure(RowProblem(imagePath: path, text: "corners must be 8 numbers or all empty; \(name) is \(found)"))
            }
            values.append(value)
        }
        let p = stride(from: 0, to: 8, by: 2).map { Point(x: values[$0], y: values[$0 + 1]) }
        return .success(MarkupRow(path: path, code: code,
                                  quad: Quad(topLeft: p[0], topRight: p[1], bottomRight: p[2], bottomLeft: p[3]),
                                  symbology: fields[10]))
    }

    /// Shortest text that reads back to the same Double; integral values without a fraction.
    private static func formatCoordinate(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        return String(value)
    }
}
