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
        try read(contentsOf: url, headers: [header]).rows
    }

    /// The same for a table that may have any of `headers` (an older layout among them): which one it
    /// has, and its rows. A header that is none of them is refused naming the last, the current one.
    static func read(contentsOf url: URL, headers: [[String]]) throws -> (header: Int, rows: [(line: Int, fields: [String])]) {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw BoostBarcodeError.unreadableFile(path: url.path, reason: error.localizedDescription)
        }
        let text: String
        switch MarkupFile.decodeText(data) {
        case .success(let decoded): text = decoded
        case .failure(let problem): throw BoostBarcodeError.badEncoding(path: url.path, reason: problem.description)
        }
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated()
            .map { (line: $0.offset + 1, text: $0.element.trimmingCharacters(in: .whitespaces)) }
            .filter { !$0.text.isEmpty }
        let expected = headers.map { $0.joined(separator: ",") }
        guard let first = lines.first, let found = expected.firstIndex(of: first.text) else {
            throw BoostBarcodeError.badTableRow(path: url.path, line: lines.first?.line ?? 1,
                                                reason: "expected the header '\(expected.last!)'")
        }
        let header = headers[found]
        lines.removeFirst()
        return (found, try lines.map { line in
            let fields = line.text.split(separator: ",", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
            guard fields.count == header.count else {
                throw BoostBarcodeError.badTableRow(path: url.path, line: line.line,
                                                    reason: "expected \(header.count) columns, found \(fields.count)")
            }
            return (line.line, fields)
        })
    }
}
