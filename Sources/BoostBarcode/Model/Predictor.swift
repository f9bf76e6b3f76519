import Foundation

/// One read image: its markup row with the answer, the per-position probabilities, and the decoding.
public struct Prediction: Sendable {
    /// The input row, its code replaced by the answer (nil when withheld).
    public let row: MarkupRow
    public let digits: DigitPredictions
    public let decoded: DecodedCode
    /// The orientation check read the strip upside down.
    public let flipped: Bool

    public var reading: Reading {
        Reading(path: row.path, answer: row.code, raw: decoded.raw, constrained: decoded.constrained,
                confidence: decoded.confidence, flipped: flipped)
    }
}

/// How a prediction becomes an answer.
public struct AnswerPolicy: Sendable {
    /// Answer the most probable code with a valid check digit (else the per-position argmax).
    public var checksumConstrained = true
    /// Leave the answer empty when the constrained code's confidence is below this.
    public var minimumConfidence = 0.0
    /// `predict`'s default: chosen on the synthetic validation data so that wrong codes stay rare.
    public static let defaultMinimumConfidence = 0.5

    public init(checksumConstrained: Bool = true, minimumConfidence: Double = 0) {
        self.checksumConstrained = checksumConstrained
        self.minimumConfidence = minimumConfidence
    }

    func answer(for decoded: DecodedCode) -> EAN13Code? {
        guard decoded.confidence >= minimumConfidence else { return nil }
        return checksumConstrained ? decoded.constrained : decoded.raw
    }
}

/// Reads codes for a split with a trained model, in batches so memory stays flat on large splits.
public struct Predictor {
    public let model: CodeModel
    public let extraction: FeatureExtraction
    public let batchSize: Int
    public let policy: AnswerPolicy
    /// Readings per row: its own quad, then `views - 1` jittered copies (`QuadAugmentation`); the
    /// per-position probabilities of a row's readings are averaged before decoding.
    public let views: Int

    /// The jitter of the extra views: a quarter of the ±2 % that training augments with, so every view
    /// stays on the symbol; seeded, so a run is repeatable.
    public static let viewJitter = 0.005

    public init(model: CodeModel, policy: AnswerPolicy = AnswerPolicy(), threads: Int = 0, batchSize: Int = 256,
                views: Int = 1) throws {
        self.model = model
        self.views = max(1, views)
        let extraViews = self.views > 1 ? QuadAugmentation(fraction: Self.viewJitter, copies: self.views - 1, seed: 0x71E5) : nil
        self.extraction = FeatureExtraction(extractor: try FeatureExtractor(config: model.manifest.features),
                                            threads: threads, augmentation: extraViews)
        self.batchSize = max(1, batchSize)
        self.policy = policy
    }

    /// Predicts every row of `split` that has an image and a quad; the others are listed as skipped.
    public func predict(_ split: DatasetSplit, progress: ProgressReporter = ProgressReporter(isEnabled: false))
        throws -> (predictions: [Prediction], skipped: [SkippedRow]) {
        var (readable, skipped) = split.usableRows(requireCodes: false)
        var predictions: [Prediction] = []
        let start = Date()
        for batchStart in stride(from: 0, to: readable.count, by: batchSize) {
            let batch = Array(readable[batchStart..<min(batchStart + batchSize, readable.count)])
            let extracted = extraction.extract(batch, imageURL: split.imageURL(for:))
            skipped += extracted.skipped
            let digits = try model.predictCodes(extracted.features)
            for first in stride(from: 0, to: digits.count, by: views) {
                let prediction = DigitPredictions(averaging: digits[first..<first + views])
                let decoded = ChecksumDecoder.decode(prediction.probabilities)
                var answer = extracted.rows[first]
                answer.code = policy.answer(for: decoded)
                predictions.append(Prediction(row: answer, digits: prediction, decoded: decoded,
                                              flipped: extracted.flipped[first]))
            }
            progress.update("predicting", done: batchStart + batch.count, of: readable.count, since: start)
        }
        progress.finish()
        return (predictions, skipped)
    }
}
