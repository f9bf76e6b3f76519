import Foundation

/// One read image: its markup row with the answer, the per-position probabilities, and the decoding.
public struct Prediction: Sendable {
    /// The input row, its code replaced by the answer (nil when withheld).
    public var row: MarkupRow
    /// The per-position probabilities of the row's own quad.
    public let digits: DigitPredictions
    /// The decoding of the row's own quad, or of the search's best reading when one answered.
    public var decoded: DecodedCode
    /// The orientation check read the strip upside down.
    public var flipped: Bool
    /// The answer came from a search around the quad (`Predictor.search`), not from the quad alone.
    public var searched = false

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
    /// When set, a row whose own quad does not read surely (below the reader's `sureConfidence`) is
    /// read again by it as a photo with that quad known (`PhotoReader.read(_:knownQuad:)`): through
    /// the quads around it, round cylinders, as a defocused symbol. The search's answer, when it gives
    /// one, replaces the row's; else the row's own reading stands at the policy's cut.
    public let search: PhotoReader?

    public init(model: CodeModel, policy: AnswerPolicy = AnswerPolicy(), threads: Int = 0, batchSize: Int = 256,
                views: Int = 1, search: PhotoReader? = nil) throws {
        self.model = model
        self.search = search
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
        if let search { predictions = searchUnsure(predictions, with: search, split: split, progress: progress) }
        return (predictions, skipped)
    }

    /// `predictions` with the unsure ones read again by `reader`, in parallel; a photo that cannot be
    /// decoded again keeps its own reading.
    private func searchUnsure(_ predictions: [Prediction], with reader: PhotoReader, split: DatasetSplit,
                              progress: ProgressReporter) -> [Prediction] {
        let unsure = predictions.indices.filter { predictions[$0].decoded.confidence < reader.sureConfidence }
        let readings = ResultSlots<PhotoReader.Reading>(count: unsure.count)
        let done = LockedCounter(), start = Date()
        parallelForEach(unsure.count, threads: extraction.threads) { slot in
            let row = predictions[unsure[slot]].row
            if let quad = row.quad, let image = try? ImageFile.read(contentsOf: split.imageURL(for: row)) {
                readings[slot] = try? reader.read(image, knownQuad: quad)
            }
            progress.update("searching unsure quads", done: done.takeNext() + 1, of: unsure.count, since: start)
        }
        progress.finish()
        var searched = predictions
        for (slot, index) in unsure.enumerated() {
            guard let reading = readings[slot], let code = reading.code, let decoded = reading.decoded else { continue }
            searched[index].row.code = code
            searched[index].decoded = decoded
            searched[index].flipped = reading.turned
            searched[index].searched = true
        }
        return searched
    }
}
