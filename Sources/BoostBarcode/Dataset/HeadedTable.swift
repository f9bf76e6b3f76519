import Foundation

/// The small UTF-8 CSV tables written beside a split's markup (difficulty factors, readings): a header
/// line naming the columns, then one row a line, no quoting (no field may hold a comma or a line break).
enum HeadedTable {
    /// Writes the header and rows atomically.
    static func write(header: [String], rows: [[String]], to url: URL) throws {
        var text = header.joined(separator: ",") + "\n"
        for row in rows {
            precondition(row.count == header.count, "a row of \(row.count) fields for \(header.count) columns")
            if let field = row.first(where: { $0.contains(",") || $0.contains(where: \.isNewline) }) {
                throw BoostBarcodeError.invalidArgument("cannot write \(url.path): '\(field)' holds a comma or a line break")
            }
            text += row.joined(separator: ",") + "\n"
        }
        try AtomicFile.write(Data(text.utf8), to: url)
    }

    /// The data rows with their 1-based line numbers, after checking that the header is `header`.
    /// Empty lines are skipped; a row with the wrong number of fields throws, naming file and line.
    static func read(contentsOf url: URL, header: [String]) throws -> [(line: Int, fields: [String])] {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw BoostBarcodeError.unreadableFile(path: url.path, reason: error.localizedDescription)
        }
        guard let text = MarkupFile.decodeText(data) else { throw BoostBarcodeError.badEncoding(path: url.path) }
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated()
            .map { (line: $0.offset + 1, text: $0.element.trimmingCharacters(in: .whitespaces)) }
            .filter { !$0.text.isEmpty }
        let expected = header.joined(separator: ",")
        guard let first = lines.first, first.text == expected else {
            throw BoostBarcodeError.badTableRow(path: url.path, line: lines.first?.line ?? 1,
                                                reason: "expected the header '\(expected)'")
        }
        lines.removeFirst()
        return try lines.map { line in
            let fields = line.text.split(separator: ",", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
            guard fields.count == header.count else {
                throw BoostBarcodeError.badTableRow(path: url.path, line: line.line,
                                                    reason: "expected \(header.count) columns, found \(fields.count)")
            }
            return (line.line, fields)
        }
    }
}
