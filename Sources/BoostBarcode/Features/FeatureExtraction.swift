import Foundation

/// Extracts band features for many markup rows on all cores.
public struct FeatureExtraction: Sendable {
    public let extractor: BandFeatureExtractor
    public let threads: Int
    /// The largest picture read; a larger one is skipped as unreadable.
    public var imageLimits = PNGLimits()

    public init(extractor: BandFeatureExtractor, threads: Int = 0) {
        self.extractor = extractor
        self.threads = threads
    }

    /// Features of every row of `split` that has an image and a quad (and a code when `requireCodes`).
    public func extract(_ split: DatasetSplit, requireCodes: Bool,
                        progress: ProgressReporter = ProgressReporter(isEnabled: false)) -> ExtractedFeatures {
        let (candidates, skipped) = split.usableRows(requireCodes: requireCodes)
        let outcome = extract(candidates, imageURL: split.imageURL(for:), progress: progress)
        return ExtractedFeatures(rows: outcome.rows, features: outcome.features, skipped: skipped + outcome.skipped)
    }

    /// Features of `rows` (each must have a quad); rows whose image or quad fails are skipped.
    public func extract(_ rows: [MarkupRow], imageURL: (MarkupRow) -> URL,
                        progress: ProgressReporter = ProgressReporter(isEnabled: false)) -> ExtractedFeatures {
        let width = extractor.config.featureCount
        let urls = rows.map(imageURL)
        let results = ResultSlots<Result<[UInt8], ExtractionFailure>>(count: rows.count)
        let done = LockedCounter()
        let start = Date()
        parallelForEach(rows.count, threads: threads) { index in
            results[index] = extractOne(url: urls[index], quad: rows[index].quad!)
            progress.update("features", done: done.takeNext() + 1, of: rows.count, since: start)
        }
        progress.finish()
        var kept: [MarkupRow] = [], values: [UInt8] = [], skipped: [SkippedRow] = []
        values.reserveCapacity(rows.count * width)
        for (row, result) in zip(rows, results.values) {
            switch result! {
            case .success(let features): kept.append(row); values += features
            case .failure(let failure): skipped.append((row.path, failure.reason, failure.detail))
            }
        }
        return ExtractedFeatures(rows: kept, features: FeatureMatrix(columnCount: width, values: values),
                                 skipped: skipped)
    }

    private func extractOne(url: URL, quad: Quad) -> Result<[UInt8], ExtractionFailure> {
        let image: Image
        do { image = try PNGCodec.read(contentsOf: url, limits: imageLimits) } catch {
            return .failure(ExtractionFailure(reason: .unreadableImage, detail: error.description))
        }
        if let problem = quad.problem(inImageOfWidth: image.width, height: image.height) {
            return .failure(ExtractionFailure(reason: .degenerateQuad, detail: problem.description))
        }
        do { return .success(try extractor.features(of: image, quad: quad)) } catch {
            return .failure(ExtractionFailure(reason: .degenerateQuad, detail: "\(error)"))
        }
    }
}

struct ExtractionFailure: Error {
    let reason: SkipReason
    let detail: String
}

/// Fixed slots that many threads fill, each thread its own indices.
final class ResultSlots<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var values: [Value?]

    init(count: Int) { values = Array(repeating: nil, count: count) }

    subscript(index: Int) -> Value? {
        get { lock.lock(); defer { lock.unlock() }; return values[index] }
        set { lock.lock(); defer { lock.unlock() }; values[index] = newValue }
    }
}
