import Foundation

/// Feature rows on disk, for training on more rows than fit in memory: a folder of its own inside a
/// chosen directory, holding the rows (one byte per feature, row-major, appended batch by batch) and
/// XGBoost's own page files. Scratch, not an output: `remove()` deletes the whole folder.
/// Not `Sendable`: written and read on one task.
public final class FeatureCache {
    public let folder: URL
    public let columnCount: Int
    public private(set) var rowCount = 0
    private let rowsFile: FileHandle

    /// Makes a new, empty cache in `directory` (created if need be).
    public init(in directory: URL, columnCount: Int) throws {
        precondition(columnCount > 0)
        let folder = directory.appendingPathComponent("boostbarcode-cache-\(UUID().uuidString)")
        let rowsURL = folder.appendingPathComponent("rows.u8")
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            guard FileManager.default.createFile(atPath: rowsURL.path, contents: nil) else {
                throw BoostBarcodeError.unreadableFile(path: rowsURL.path, reason: "cannot create it")
            }
            rowsFile = try FileHandle(forUpdating: rowsURL)
        } catch {
            try? FileManager.default.removeItem(at: folder)
            throw BoostBarcodeError.invalidArgument(
                "cannot write the feature cache in \(directory.path) (--cache): \(Self.reason(error))")
        }
        self.folder = folder
        self.columnCount = columnCount
        ScratchPaths.remember(folder)
    }

    deinit { try? rowsFile.close() }

    /// Where XGBoost writes the pages of the matrix called `name` (its `cache_prefix`).
    public func xgboostPrefix(_ name: String) -> URL { folder.appendingPathComponent("xgboost-\(name)") }

    /// Adds `features`' rows at the end; returns the index of the first.
    @discardableResult
    public func append(_ features: FeatureMatrix) throws -> Int {
        precondition(features.columnCount == columnCount)
        let first = rowCount
        do {
            try rowsFile.seekToEnd()
            try rowsFile.write(contentsOf: features.values)
        } catch {
            throw BoostBarcodeError.invalidArgument("cannot write the feature cache \(folder.path): \(Self.reason(error))")
        }
        rowCount += features.rowCount
        return first
    }

    /// The rows at `indices`, in that order.
    public func rows<Indices: Collection<Int>>(_ indices: Indices) throws -> FeatureMatrix {
        var values = [UInt8](repeating: 0, count: indices.count * columnCount)
        let descriptor = rowsFile.fileDescriptor
        try values.withUnsafeMutableBytes { buffer in
            for (slot, index) in indices.enumerated() {
                precondition((0..<rowCount).contains(index))
                let destination = buffer.baseAddress! + slot * columnCount
                let read = pread(descriptor, destination, columnCount, off_t(index * columnCount))
                guard read == columnCount else {
                    let reason = read < 0 ? String(cString: strerror(errno)) : "the file ends early"
                    throw BoostBarcodeError.unreadableFile(path: folder.appendingPathComponent("rows.u8").path, reason: reason)
                }
            }
        }
        return FeatureMatrix(columnCount: columnCount, values: values)
    }

    /// Deletes the folder and everything in it, XGBoost's pages too.
    public func remove() {
        try? rowsFile.close()
        try? FileManager.default.removeItem(at: folder)
        ScratchPaths.forget(folder)
    }

    private static func reason(_ error: Error) -> String {
        let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError
        if let underlying, underlying.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(underlying.code))) }
        return "\(error)"
    }
}

/// Rows of a feature cache in the order XGBoost is to see them, with each row's code.
public struct CachedRows {
    public let cache: FeatureCache
    public let indices: [Int]
    public let codes: [EAN13Code]

    public init(cache: FeatureCache, indices: [Int], codes: [EAN13Code]) {
        precondition(indices.count == codes.count)
        self.cache = cache
        self.indices = indices
        self.codes = codes
    }

    /// An external-memory XGBoost matrix of these rows, read from the cache `batchRows` at a time;
    /// XGBoost keeps its pages beside them under `name`.
    public func dMatrix(name: String, batchRows: Int, threads: Int) throws -> DMatrix {
        let batches = stride(from: 0, to: indices.count, by: batchRows).map { $0..<min($0 + batchRows, indices.count) }
        return try DMatrix.external(batchCount: batches.count, columnCount: cache.columnCount,
                                    cachePrefix: cache.xgboostPrefix(name).path, threads: threads) { batch in
            try cache.rows(indices[batches[batch]])
        }
    }
}

extension FeatureExtraction {
    /// Features of `rows`, as `extract(_:jitterNumbers:imageURL:progress:)` gives them, appended to
    /// `cache` `imagesPerBatch` images at a time, so that at most one batch is in memory. Returns the
    /// rows kept, each with its image's markup row, and the first cache index of them.
    public func extract(_ rows: [MarkupRow], jitterNumbers: [Int]? = nil, imageURL: (MarkupRow) -> URL,
                        into cache: FeatureCache, imagesPerBatch: Int,
                        progress: ProgressReporter = ProgressReporter(isEnabled: false)) throws -> CachedExtraction {
        precondition(imagesPerBatch >= 1 && (jitterNumbers == nil || jitterNumbers!.count == rows.count))
        let numbers = jitterNumbers ?? Array(rows.indices)
        var kept: [MarkupRow] = [], skipped: [SkippedRow] = []
        let first = cache.rowCount
        let start = Date()
        for batchStart in stride(from: 0, to: rows.count, by: imagesPerBatch) {
            let batch = batchStart..<min(batchStart + imagesPerBatch, rows.count)
            let extracted = extract(Array(rows[batch]), jitterNumbers: Array(numbers[batch]), imageURL: imageURL)
            try cache.append(extracted.features)
            kept += extracted.rows
            skipped += extracted.skipped
            progress.update("features", done: batch.upperBound, of: rows.count, since: start)
        }
        progress.finish()
        return CachedExtraction(rows: kept, firstIndex: first, skipped: skipped)
    }
}

/// What `FeatureExtraction.extract(_:jitterNumbers:imageURL:into:imagesPerBatch:progress:)` put in
/// the cache: its rows are at `firstIndex ..< firstIndex + rows.count`.
public struct CachedExtraction: Sendable {
    public let rows: [MarkupRow]
    public let firstIndex: Int
    public let skipped: [SkippedRow]

    public var indices: Range<Int> { firstIndex..<firstIndex + rows.count }
}
