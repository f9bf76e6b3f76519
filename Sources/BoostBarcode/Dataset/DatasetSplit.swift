import Foundation

/// A split folder of the course layout: `markup.csv` beside `Images/` (DATA.md section 1).
/// Rows whose image file is missing are kept out of `rows` and listed in `missingImages`; markup
/// lines that cannot be read are listed in `markupProblems`.
public struct DatasetSplit: Sendable {
    public let root: URL
    public let markupURL: URL
    /// Every row of the markup, in file order.
    public let allRows: [MarkupRow]
    /// Rows whose image exists, in file order.
    public let rows: [MarkupRow]
    /// Paths of rows whose image does not exist.
    public let missingImages: [String]
    /// Markup lines that could not be read (the other lines were).
    public let markupProblems: [MarkupProblem]
    private let lineOfPath: [String: Int]

    /// Reads `root/markup.csv` (or `markup` when given) and checks which images exist.
    public init(root: URL, markup: URL? = nil) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw BoostBarcodeError.missingSplit(path: root.path, reason: "no such folder")
        }
        let markupURL = markup ?? root.appendingPathComponent("markup.csv")
        guard FileManager.default.fileExists(atPath: markupURL.path) else {
            throw BoostBarcodeError.missingSplit(path: root.path, reason: "no \(markupURL.lastPathComponent) in it")
        }
        self.root = root
        self.markupURL = markupURL
        let contents = try MarkupFile.readContents(of: markupURL)
        let all = contents.rows
        let images = root.appendingPathComponent("Images")
        var present: [MarkupRow] = [], missing: [String] = []
        for row in all {
            if FileManager.default.fileExists(atPath: images.appendingPathComponent(row.path).path) {
                present.append(row)
            } else {
                missing.append(row.path)
            }
        }
        self.allRows = all
        self.rows = present
        self.missingImages = missing
        self.markupProblems = contents.problems
        self.lineOfPath = Dictionary(uniqueKeysWithValues: zip(all.map(\.path), contents.lineNumbers))
    }

    /// Every row of the markup, read or not: `allRows` and `markupProblems`.
    public var rowCount: Int { allRows.count + markupProblems.count }

    /// The markup line of the row with this image path.
    public func line(of path: String) -> Int? { lineOfPath[path] }

    public func imageURL(for row: MarkupRow) -> URL {
        root.appendingPathComponent("Images").appendingPathComponent(row.path)
    }

    /// Rows that can be read (image present, quad given, and a code when `requireCodes`), and every
    /// other row with the reason it cannot.
    public func usableRows(requireCodes: Bool) -> (rows: [MarkupRow], skipped: [SkippedRow]) {
        var skipped = markupProblems.map { (path: $0.imagePath ?? "", reason: SkipReason.badMarkupRow, detail: $0.description) }
        skipped += missingImages.map { (path: $0, reason: SkipReason.missingImage, detail: "") }
        var usable: [MarkupRow] = []
        for row in rows {
            if row.quad == nil { skipped.append((row.path, .missingQuad, "")) }
            else if requireCodes && row.code == nil { skipped.append((row.path, .missingCode, "")) }
            else { usable.append(row) }
        }
        return (usable, skipped)
    }
}
