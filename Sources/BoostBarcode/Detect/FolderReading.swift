import Foundation

/// Reads photos without quads (`PhotoReader`) on up to `threads` threads, all sharing one reader, and
/// times each: processor time of its thread for decoding the file, and for the read itself (grey
/// conversion, localization, features, the 13 boosters, decoding). Each photo is read on one thread
/// from start to end, so its answer does not depend on how many threads there are.
public struct FolderReading: Sendable {
    public struct Result: Sendable {
        /// The photo's name as given (inside the folder, or as the user wrote it).
        public var path: String
        /// Nil when the photo could not be decoded.
        public var reading: PhotoReader.Reading?
        /// With `readsEverySymbol`: every symbol read to an answer, the most confident first (`PhotoReader.readAll`).
        public var symbols: [PhotoReader.Reading] = []
        public var decodeMilliseconds: Double
        public var readMilliseconds: Double
        /// Why the photo could not be read, when it could not.
        public var failure: String?

        /// Decoding and reading together: a photo file in, a code out.
        public var milliseconds: Double { decodeMilliseconds + readMilliseconds }
    }

    public let reader: PhotoReader
    /// 0 = all cores.
    public var threads = 0
    /// A JPEG whose longer side is at least twice this is decoded at 1/2 scale (four times: 1/4), by
    /// TurboJPEG's DCT scaling; the quads are given in the file's own pixels all the same. Nil: never.
    public var jpegShrinkLongSide: Int? = 2000
    /// Read every symbol of each photo, not only until the first answer.
    public var readsEverySymbol = false

    public init(reader: PhotoReader, threads: Int = 0) {
        self.reader = reader
        self.threads = threads
    }

    /// Reads `folder`'s photos `names`.
    public func run(folder: URL, names: [String], progress: ProgressReporter) throws -> [Result] {
        try run(files: names.map { (folder.appendingPathComponent($0), $0) }, progress: progress)
    }

    /// Reads each file, named in its result by `name`; `emit` (when given) is called with each result
    /// in the files' order as soon as it and all before it are read, one call at a time.
    public func run(files: [(url: URL, name: String)], progress: ProgressReporter,
                    emit: (@Sendable (Result) -> Void)? = nil) throws -> [Result] {
        let results = ResultSlots<Swift.Result<Result, Error>>(count: files.count)
        let emitted = InOrderEmitter(count: files.count)
        let done = LockedCounter()
        let start = Date()
        parallelForEach(files.count, threads: threads) { index in
            let result = Swift.Result { try read(files[index].url, name: files[index].name) }
            results[index] = result
            if let emit {
                emitted.complete(index) { ready in
                    if case .success(let value) = results[ready]! { emit(value) }
                }
            }
            progress.update("reading", done: done.takeNext() + 1, of: files.count, since: start)
        }
        progress.finish()
        return try results.values.map { try $0!.get() }
    }

    private func read(_ url: URL, name: String) throws -> Result {
        let begin = FolderDetection.threadCPUTime()
        let image: Image, reduction: Int
        do { (image, reduction) = try ImageFile.read(contentsOf: url, shrinkingLargeJPEGTo: jpegShrinkLongSide) } catch {
            return Result(path: name, reading: nil, decodeMilliseconds: 0, readMilliseconds: 0, failure: "\(error)")
        }
        let decoded = FolderDetection.threadCPUTime()
        let all = readsEverySymbol ? try reader.readAll(image) : PhotoReader.AllReadings(answer: try reader.read(image), symbols: [])
        let end = FolderDetection.threadCPUTime()
        let scale = Double(reduction)
        return Result(path: name, reading: all.answer.scaled(by: scale), symbols: all.symbols.map { $0.scaled(by: scale) },
                      decodeMilliseconds: (decoded - begin) * 1e3, readMilliseconds: (end - decoded) * 1e3, failure: nil)
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

extension PhotoReader.Reading {
    /// The same reading with its quads in pixels `factor` times as many (a photo decoded, or a copy of
    /// it read, at 1/`factor` scale).
    func scaled(by factor: Double) -> Self {
        guard factor != 1 else { return self }
        var reading = self
        reading.quad = quad?.scaled(by: factor)
        reading.candidateQuad = candidateQuad?.scaled(by: factor)
        return reading
    }
}

/// Hands out finished indices in order: `complete(i)` runs `body` for `i` and every later index
/// already complete, once all before them have been handed out; the calls never overlap.
final class InOrderEmitter: @unchecked Sendable {
    private let lock = NSLock()
    private var complete: [Bool]
    private var next = 0

    init(count: Int) { complete = Array(repeating: false, count: count) }

    func complete(_ index: Int, _ body: (Int) -> Void) {
        lock.lock(); defer { lock.unlock() }
        complete[index] = true
        while next < complete.count, complete[next] {
            body(next)
            next += 1
        }
    }
}
