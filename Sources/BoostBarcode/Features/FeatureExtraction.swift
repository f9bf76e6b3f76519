import Foundation

/// Extracts features for many markup rows on all cores.
public struct FeatureExtraction: Sendable {
    public let extractor: FeatureExtractor
    public let threads: Int
    /// Training augmentation: besides its own quad, each row is also read through jittered copies.
    public let augmentation: QuadAugmentation?
    /// The largest picture read; a larger one is skipped as unreadable.
    public var imageLimits = ImageLimits()

    public init(extractor: FeatureExtractor, threads: Int = 0, augmentation: QuadAugmentation? = nil) {
        self.extractor = extractor
        self.threads = threads
        self.augmentation = augmentation
    }

    /// Features of every row of `split` that has an image and a quad (and a code when `requireCodes`).
    public func extract(_ split: DatasetSplit, requireCodes: Bool,
                        progress: ProgressReporter = ProgressReporter(isEnabled: false)) -> ExtractedFeatures {
        let (candidates, skipped) = split.usableRows(requireCodes: requireCodes)
        let outcome = extract(candidates, imageURL: split.imageURL(for:), progress: progress)
        return ExtractedFeatures(rows: outcome.rows, features: outcome.features, flipped: outcome.flipped,
                                 skipped: skipped + outcome.skipped)
    }

    /// Features of `rows` (each must have a quad); rows whose image or quad fails are skipped.
    /// Augmentation jitters each row as the row numbered `jitterNumbers[i]` (by default its index in
    /// `rows`): a worker extracting its share of a split passes the rows' indices in the whole list.
    public func extract(_ rows: [MarkupRow], jitterNumbers: [Int]? = nil, imageURL: (MarkupRow) -> URL,
                        progress: ProgressReporter = ProgressReporter(isEnabled: false)) -> ExtractedFeatures {
        precondition(jitterNumbers == nil || jitterNumbers!.count == rows.count)
        let width = extractor.config.featureCount
        let urls = rows.map(imageURL)
        let results = ResultSlots<Result<[ExtractedImageFeatures], ExtractionFailure>>(count: rows.count)
        let done = LockedCounter()
        let start = Date()
        parallelForEach(rows.count, threads: threads) { index in
            var quads = [rows[index].quad!]
            if let augmentation { quads += augmentation.jitteredCopies(of: quads[0], row: jitterNumbers?[index] ?? index) }
            results[index] = extractOne(url: urls[index], quads: quads)
            progress.update("features", done: done.takeNext() + 1, of: rows.count, since: start)
        }
        progress.finish()
        var kept: [MarkupRow] = [], values: [UInt8] = [], flipped: [Bool] = [], skipped: [SkippedRow] = []
        values.reserveCapacity(rows.count * width * (1 + (augmentation?.copies ?? 0)))
        for (row, result) in zip(rows, results.values) {
            switch result! {
            case .success(let readings):
                for reading in readings { kept.append(row); values += reading.values; flipped.append(reading.flipped) }
            case .failure(let failure): skipped.append((row.path, failure.reason, failure.detail))
            }
        }
        return ExtractedFeatures(rows: kept, features: FeatureMatrix(columnCount: width, values: values),
                                 flipped: flipped, skipped: skipped)
    }

    /// One image, decoded once (down to the lowest row the features read), read through each of `quads`.
    private func extractOne(url: URL, quads: [Quad]) -> Result<[ExtractedImageFeatures], ExtractionFailure> {
        let image: Image
        do {
            image = try ImageFile.read(contentsOf: url, limits: imageLimits, topRows: extractor.pictureRowsRead(quads: quads))
        } catch {
            return .failure(ExtractionFailure(reason: .unreadableImage, detail: error.description))
        }
        if let problem = quads[0].problem(inImageOfWidth: image.width, height: image.height) {
            return .failure(ExtractionFailure(reason: .degenerateQuad, detail: problem.description))
        }
        do { return .success(try quads.map { try extractor.features(of: image, quad: $0) }) } catch {
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

/// Seeded quad jitter for training: `copies` extra quads per row, each corner moved as `QuadJitter`
/// moves it. Row `i`'s copies depend only on the seed and `i`, so threads do not change them.
public struct QuadAugmentation: Sendable {
    public var jitter: QuadJitter
    public var copies: Int
    public var seed: UInt64

    /// `alongBars` (a share of the quad's height) defaults to `fraction`.
    public init(fraction: Double, alongBars: Double? = nil, copies: Int, seed: UInt64) {
        jitter = QuadJitter(fraction: fraction, alongBars: alongBars)
        self.copies = copies
        self.seed = seed
    }

    public func jitteredCopies(of quad: Quad, row: Int) -> [Quad] {
        var random = SeededRandom(seed: seed, path: 0xA06, UInt64(row))
        return (0..<copies).map { _ in jitter.apply(to: quad, using: &random) }
    }
}
