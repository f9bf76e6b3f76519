import Foundation

/// One read image: its markup row with the predicted code, and the per-position probabilities.
public struct Prediction: Sendable {
    public let row: MarkupRow
    public let digits: DigitPredictions
}

/// Reads codes for a split with a trained model, in batches so memory stays flat on large splits.
public struct Predictor {
    public let model: CodeModel
    public let extraction: FeatureExtraction
    public let batchSize: Int

    public init(model: CodeModel, threads: Int = 0, batchSize: Int = 256) throws {
        try model.useThreads(threads)
        self.model = model
        self.extraction = FeatureExtraction(extractor: try BandFeatureExtractor(config: model.manifest.features),
                                            threads: threads)
        self.batchSize = max(1, batchSize)
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
            for (row, prediction) in zip(extracted.rows, digits) {
                var answer = row
                answer.code = prediction.code
                predictions.append(Prediction(row: answer, digits: prediction))
            }
            progress.update("predicting", done: batchStart + batch.count, of: readable.count, since: start)
        }
        progress.finish()
        return (predictions, skipped)
    }
}
