import Foundation

/// Reads every photo of a folder without quads (`PhotoReader`), one after the other on the calling
/// thread, and times each: processor time of PNG decoding, and of the read itself (grey conversion,
/// localization, features, the 13 boosters, decoding).
public struct FolderReading {
    public struct Result: Sendable {
        /// File name inside the folder.
        public var path: String
        /// Nil when the photo could not be decoded.
        public var reading: PhotoReader.Reading?
        public var decodeMilliseconds: Double
        public var readMilliseconds: Double
        /// Why the photo could not be read, when it could not.
        public var failure: String?

        /// Decoding and reading together: a photo file in, a code out.
        public var milliseconds: Double { decodeMilliseconds + readMilliseconds }
    }

    public let reader: PhotoReader

    public init(reader: PhotoReader) {
        self.reader = reader
    }

    public func run(folder: URL, names: [String], progress: ProgressReporter) throws -> [Result] {
        let start = Date()
        var results: [Result] = []
        for (index, name) in names.enumerated() {
            results.append(try read(folder.appendingPathComponent(name), name: name))
            progress.update("reading", done: index + 1, of: names.count, since: start)
        }
        progress.finish()
        return results
    }

    private func read(_ url: URL, name: String) throws -> Result {
        let begin = FolderDetection.threadCPUTime()
        let image: Image
        do { image = try PNGCodec.read(contentsOf: url) } catch {
            return Result(path: name, reading: nil, decodeMilliseconds: 0, readMilliseconds: 0, failure: "\(error)")
        }
        let decoded = FolderDetection.threadCPUTime()
        let reading = try reader.read(image)
        let end = FolderDetection.threadCPUTime()
        return Result(path: name, reading: reading, decodeMilliseconds: (decoded - begin) * 1e3,
                      readMilliseconds: (end - decoded) * 1e3, failure: nil)
    }

    /// Per photo: `path,decode_ms,read_ms,candidate,strips` (UTF-8 CSV with that header; candidate is the
    /// index of the localizer's candidate whose reading won, empty when none was read).
    public static func writeTimes(_ results: [Result], to url: URL) throws {
        try HeadedTable.write(header: ["path", "decode_ms", "read_ms", "candidate", "strips"], rows: results.map {
            [$0.path, String(format: "%.3f", $0.decodeMilliseconds), String(format: "%.3f", $0.readMilliseconds),
             $0.reading?.candidate.map(String.init) ?? "", String($0.reading?.stripsRead ?? 0)]
        }, to: url)
    }
}
