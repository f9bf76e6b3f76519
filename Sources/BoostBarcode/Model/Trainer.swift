import Foundation

/// Settings of a training run beyond the booster parameters.
public struct TrainingOptions: Sendable {
    public var parameters = BoosterParameters()
    /// Share of the rows held out for validation (0 = none), drawn with `parameters.seed`.
    public var validationRatio = 0.1
    /// Stop a position after this many rounds without a lower validation error; keep the best round.
    public var earlyStoppingRounds: Int?

    public init() {}

    public func validate() throws {
        try parameters.validate()
        guard (0..<1).contains(validationRatio) else {
            throw BoostBarcodeError.invalidArgument("--val-ratio must be in [0, 1)")
        }
        if let earlyStoppingRounds {
            guard earlyStoppingRounds >= 1 else { throw BoostBarcodeError.invalidArgument("--early-stopping must be at least 1") }
            guard validationRatio > 0 else {
                throw BoostBarcodeError.invalidArgument("--early-stopping needs a validation split (--val-ratio > 0)")
            }
        }
    }
}

/// Validation error per round of each position, as trained: `[position][round]`.
public struct TrainingLog: Sendable {
    public var validationErrors: [[Double]] = Array(repeating: [], count: CodeModel.positionCount)

    /// CSV with a header: `round,digit-00,...,digit-12`; empty cells where a position stopped early.
    public var csv: String {
        let rounds = validationErrors.map(\.count).max() ?? 0
        var lines = ["round," + (0..<CodeModel.positionCount).map { String(format: "digit-%02d", $0) }.joined(separator: ",")]
        for round in 0..<rounds {
            let cells = validationErrors.map { round < $0.count ? String(format: "%.6f", $0[round]) : "" }
            lines.append("\(round)," + cells.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// Trains one 10-class booster per digit position on band features (DATA.md section 3, step 7).
public struct Trainer {
    public let options: TrainingOptions
    public let features: FeatureConfig

    public init(options: TrainingOptions, features: FeatureConfig) throws {
        try options.validate()
        self.options = options
        self.features = features
    }

    /// Row indices for training and validation: a seeded shuffle; validation takes ceil(ratio · n)
    /// rows, as scikit-learn's `train_test_split` does, but at least one row must remain for training.
    public func split(rowCount: Int) -> (training: [Int], validation: [Int]) {
        // Our own Fisher–Yates: the standard library does not promise `shuffled(using:)` stays the same.
        var random = SeededRandom(seed: UInt64(truncatingIfNeeded: options.parameters.seed))
        var order = Array(0..<rowCount)
        for i in stride(from: rowCount - 1, to: 0, by: -1) { order.swapAt(i, random.integer(in: 0...i)) }
        let validationCount = min(Int((Double(rowCount) * options.validationRatio).rounded(.up)), rowCount - 1)
        return (Array(order[validationCount...]), Array(order[..<validationCount]))
    }

    /// Trains the 13 boosters. `progress` shows rounds; the returned log holds each round's validation error.
    /// With augmentation each image fills `1 + copies` consecutive rows, its own quad first: the split
    /// keeps an image's rows together, and validation reads held-out images through their own quads only.
    public func train(_ features: FeatureMatrix, codes: [EAN13Code], augmentation: QuadAugmentation? = nil,
                      progress: ProgressReporter = ProgressReporter(isEnabled: false)) throws -> (CodeModel, TrainingLog) {
        guard features.rowCount == codes.count, features.rowCount >= 2 else {
            throw BoostBarcodeError.invalidArgument("need at least 2 labelled images to train, have \(features.rowCount)")
        }
        guard features.columnCount == self.features.featureCount else {
            throw BoostBarcodeError.invalidArgument("features have \(features.columnCount) columns, settings give \(self.features.featureCount)")
        }
        let rowsPerImage = 1 + (augmentation?.copies ?? 0)
        guard rowsPerImage >= 1, features.rowCount % rowsPerImage == 0 else {
            throw BoostBarcodeError.invalidArgument("\(features.rowCount) rows do not make whole images of \(rowsPerImage) rows")
        }
        let (trainingImages, validationImages) = split(rowCount: features.rowCount / rowsPerImage)
        let trainingRows = trainingImages.flatMap { image in (0..<rowsPerImage).map { image * rowsPerImage + $0 } }
        let validationRows = validationImages.map { $0 * rowsPerImage }
        let (training, validation) = try matrices(features, training: trainingRows, validation: validationRows)
        var boosters: [Booster] = [], positions: [ModelManifest.Position] = [], log = TrainingLog()
        var validationPredictions: [[UInt8]] = []
        let start = Date()
        for position in 0..<CodeModel.positionCount {
            let labels = { (rows: [Int]) in rows.map { Float(codes[$0].digits[position]) } }
            try training.setLabels(labels(trainingRows))
            try validation?.setLabels(labels(validationRows))
            let booster = try trainPosition(position, training: training, validation: validation,
                                            log: &log, progress: progress, start: start)
            var accuracy: Double?
            if let validation {
                let predicted = try argmax(booster.predictProbabilities(validation, classCount: options.parameters.classCount))
                validationPredictions.append(predicted)
                accuracy = Double(zip(predicted, validationRows).filter { $0.0 == codes[$0.1].digits[position] }.count)
                    / Double(validationRows.count)
            }
            positions.append(.init(position: position, file: CodeModel.boosterFileName(position: position), byteCount: 0,
                                   checksum: "", boostedRounds: try booster.boostedRounds, validationAccuracy: accuracy))
            boosters.append(booster)
        }
        progress.finish()
        let manifest = ModelManifest(
            features: self.features, featureCount: features.columnCount, parameters: options.parameters,
            validationRatio: options.validationRatio, earlyStoppingRounds: options.earlyStoppingRounds,
            xgboostVersion: xgboostVersion, trainingRows: trainingRows.count, validationRows: validationRows.count,
            validationCodeAccuracy: codeAccuracy(validationPredictions, rows: validationRows, codes: codes),
            augmentation: augmentation.map(ModelManifest.Augmentation.init), positions: positions)
        return (try CodeModel(manifest: manifest, boosters: boosters), log)
    }

    /// XGBoost's matrices of the two row sets, built once and relabelled for each position. For `hist`,
    /// quantised as Python's `XGBClassifier` does (the validation rows share the training bins), which
    /// keeps one byte per cell instead of XGBoost's 8-byte sparse entries.
    private func matrices(_ features: FeatureMatrix, training: [Int], validation: [Int]) throws -> (DMatrix, DMatrix?) {
        let threads = options.parameters.threads
        guard options.parameters.treeMethod == "hist" else {
            return (try features.selecting(training).dMatrix(threads: threads),
                    validation.isEmpty ? nil : try features.selecting(validation).dMatrix(threads: threads))
        }
        let trainingMatrix = try features.selecting(training).quantisedDMatrix(threads: threads)
        let validationMatrix = validation.isEmpty ? nil
            : try features.selecting(validation).quantisedDMatrix(reference: trainingMatrix, threads: threads)
        return (trainingMatrix, validationMatrix)
    }

    /// Boosts one position round by round, logging validation error; with early stopping, returns
    /// the booster cut back to its best round.
    private func trainPosition(_ position: Int, training: DMatrix, validation: DMatrix?, log: inout TrainingLog,
                               progress: ProgressReporter, start: Date) throws -> Booster {
        let booster = try Booster(training: training, parameters: options.parameters)
        let rounds = options.parameters.rounds
        var best = (round: 0, error: Double.infinity)
        for round in 0..<rounds {
            try booster.updateOneIteration(round, training: training)
            var detail = "digit \(position)"
            if let validation {
                let error = try booster.error(on: validation, iteration: round)
                log.validationErrors[position].append(error)
                detail += String(format: " val-error %.4f", error)
                if error < best.error { best = (round, error) }
                if let patience = options.earlyStoppingRounds, round - best.round >= patience {
                    return try booster.keepingFirst(best.round + 1)
                }
            }
            progress.update("training", done: position * rounds + round + 1, of: CodeModel.positionCount * rounds,
                            since: start, detail: detail)
        }
        return booster
    }

    private func argmax(_ probabilities: [Float]) -> [UInt8] {
        let classes = options.parameters.classCount
        return stride(from: 0, to: probabilities.count, by: classes).map {
            mostProbableDigit(probabilities[$0..<$0 + classes])
        }
    }

    private func codeAccuracy(_ predictions: [[UInt8]], rows: [Int], codes: [EAN13Code]) -> Double? {
        guard predictions.count == CodeModel.positionCount, !rows.isEmpty else { return nil }
        let correct = rows.indices.filter { i in
            (0..<CodeModel.positionCount).allSatisfy { predictions[$0][i] == codes[rows[i]].digits[$0] }
        }.count
        return Double(correct) / Double(rows.count)
    }
}
