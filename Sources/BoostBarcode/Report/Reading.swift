import Foundation

/// What predict decided for one image.
public struct Reading: Sendable, Equatable {
    public var path: String
    /// The code written to answer.csv; nil when withheld (confidence below --min-confidence).
    public var answer: EAN13Code?
    /// The most probable digit at each position, ignoring the check digit.
    public var raw: EAN13Code
    /// The most probable code whose check digit is valid.
    public var constrained: EAN13Code
    /// Probability of `constrained` among all valid codes (0...1).
    public var confidence: Double
    /// True when the strip was read upside down and flipped by the orientation check.
    public var flipped: Bool

    public init(path: String, answer: EAN13Code?, raw: EAN13Code, constrained: EAN13Code, confidence: Double,
                flipped: Bool) {
        self.path = path
        self.answer = answer
        self.raw = raw
        self.constrained = constrained
        self.confidence = confidence
        self.flipped = flipped
    }
}

/// The readings file predict writes beside answer.csv: every image's raw, constrained and answered
/// code with its confidence, so that the report can tell the model's errors from the decoder's choices.
public enum ReadingsFile {
    static let header = ["path", "answer", "raw", "constrained", "confidence", "flipped"]

    /// UTF-8 CSV with a header `path,answer,raw,constrained,confidence,flipped` (answer empty when withheld,
    /// confidence with 6 decimals, flipped 0/1), written atomically (AtomicFile).
    public static func write(_ readings: [Reading], to url: URL) throws {
        let rows = readings.map { reading in
            [reading.path, reading.answer?.description ?? "", reading.raw.description, reading.constrained.description,
             String(format: "%.6f", reading.confidence), reading.flipped ? "1" : "0"]
        }
        try HeadedTable.write(header: header, rows: rows, to: url)
    }

    /// Reads it back; clear errors naming the file and line.
    public static func read(contentsOf url: URL) throws -> [Reading] {
        try HeadedTable.read(contentsOf: url, header: header).map { line, fields in
            func fail(_ reason: String) -> BoostBarcodeError {
                BoostBarcodeError.badTableRow(path: url.path, line: line, reason: reason)
            }
            func code(_ column: Int) throws -> EAN13Code {
                let text = fields[column]
                guard text.utf8.count == 13, text.utf8.allSatisfy({ (48...57).contains($0) }), let code = EAN13Code(text: text) else {
                    throw fail("\(header[column]) '\(text)' is not 13 digits")
                }
                return code
            }
            guard !fields[0].isEmpty else { throw fail("empty image path") }
            guard let confidence = Double(fields[4]), (0...1).contains(confidence) else {
                throw fail("confidence '\(fields[4])' is not a number in 0...1")
            }
            guard fields[5] == "0" || fields[5] == "1" else { throw fail("flipped '\(fields[5])' is not 0 or 1") }
            return Reading(path: fields[0], answer: fields[1].isEmpty ? nil : try code(1), raw: try code(2),
                           constrained: try code(3), confidence: confidence, flipped: fields[5] == "1")
        }
    }

    /// Where predict puts it: beside the answer file, `answer.csv` → `answer.readings.csv`.
    public static func url(besideAnswer answer: URL) -> URL {
        answer.deletingPathExtension().appendingPathExtension("readings.csv")
    }
}
