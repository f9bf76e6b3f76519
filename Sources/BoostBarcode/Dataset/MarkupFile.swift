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

/// Reads and writes the course layout's CSV: no header, comma separated, CRLF or LF line ends.
public enum MarkupFile {
    /// Reads every row. Empty lines are skipped; a malformed row throws with its line number.
    public static func read(contentsOf url: URL) throws -> [MarkupRow] {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw BoostBarcodeError.unreadableFile(path: url.path, reason: error.localizedDescription)
        }
        guard let text = decodeText(data) else { throw BoostBarcodeError.badEncoding(path: url.path) }
        return try parse(text, path: url.path)
    }

    /// Parses CSV text already decoded.
    public static func parse(_ text: String, path: String = "markup.csv") throws -> [MarkupRow] {
        var rows: [MarkupRow] = []
        for (index, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty { continue }
            rows.append(try parseRow(line, lineNumber: index + 1, path: path))
        }
        return rows
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

    /// Decodes by BOM: UTF-16 LE/BE with BOM, UTF-8 with or without BOM.
    static func decodeText(_ data: Data) -> String? {
        let bytes = [UInt8](data)
        if bytes.starts(with: [0xFF, 0xFE]) { return String(data: Data(bytes.dropFirst(2)), encoding: .utf16LittleEndian) }
        if bytes.starts(with: [0xFE, 0xFF]) { return String(data: Data(bytes.dropFirst(2)), encoding: .utf16BigEndian) }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { return String(bytes: bytes.dropFirst(3), encoding: .utf8) }
        return String(bytes: bytes, encoding: .utf8)
    }

    private static func parseRow(_ line: String, lineNumber: Int, path: String) throws -> MarkupRow {
        let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        guard fields.count == 11 else {
            throw BoostBarcodeError.badMarkupRow(path: path, line: lineNumber,
                                                 reason: "expected 11 columns, found \(fields.count)")
        }
        guard !fields[0].isEmpty else {
            throw BoostBarcodeError.badMarkupRow(path: path, line: lineNumber, reason: "empty image path")
        }
        var code: EAN13Code?
        if !fields[1].isEmpty {
            guard let parsed = EAN13Code(text: fields[1]) else {
                throw BoostBarcodeError.badMarkupRow(path: path, line: lineNumber,
                                                     reason: "code '\(fields[1])' is not up to 13 digits")
            }
            code = parsed
        }
        return MarkupRow(path: fields[0], code: code,
                         quad: try parseQuad(Array(fields[2..<10]), lineNumber: lineNumber, path: path),
                         symbology: fields[10])
    }

    private static func parseQuad(_ fields: [String], lineNumber: Int, path: String) throws -> Quad? {
        if fields.allSatisfy(\.isEmpty) { return nil }
        let values = fields.compactMap(Double.init)
        guard values.count == 8, values.allSatisfy(\.isFinite) else {
            throw BoostBarcodeError.badMarkupRow(path: path, line: lineNumber,
                                                 reason: "corners must be 8 numbers or all empty")
        }
        let p = stride(from: 0, to: 8, by: 2).map { Point(x: values[$0], y: values[$0 + 1]) }
        return Quad(topLeft: p[0], topRight: p[1], bottomRight: p[2], bottomLeft: p[3])
    }

    /// Shortest text that reads back to the same Double; integral values without a fraction.
    private static func formatCoordinate(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        return String(value)
    }
}
