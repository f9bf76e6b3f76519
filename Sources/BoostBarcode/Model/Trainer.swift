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

    /// The images (indices among `rowCount`) that worker `shard` trains and validates on: the whole
    /// split's `split(rowCount:)`, whatever the number of workers, its training images and its
    /// validation images each dealt out in turn. Every worker must get at least one of each.
    public func split(rowCount: Int, shard: Shard) throws -> (training: [Int], validation: [Int]) {
        let (training, validation) = split(rowCount: rowCount)
        guard training.count >= shard.count, validation.isEmpty || validation.count >= shard.count else {
            throw BoostBarcodeError.invalidArgument(
                "\(shard.count) workers need at least \(shard.count) training and \(shard.count) validation images; the split has \(training.count) and \(validation.count)")
        }
        return (shard.share(of: training), shard.share(of: validation))
    }

    /// Trains the 13 boosters. `progress` shows rounds; the returned log holds each round's validation error.
    /// With augmentation each image fills `1 + copies` consecutive rows, its own quad first: the split
    /// keeps an image's rows together, and validation reads held-out images through their own quads only.
    public func train(_ features: FeatureMatrix, codes: [EAN13Code], augmentation: QuadAugmentation? = nil,
                      progress: ProgressReporter = ProgressReporter(isEnabled: false)) throws -> (CodeModel, TrainingLog) {
        guard features.rowCount == codes.count else {
            throw BoostBarcodeError.invalidArgument("\(features.rowCount) feature rows for \(codes.count) codes")
        }
        let (trainingRows, validationRows) = try splitRows(rowCount: features.rowCount, augmentation: augmentation)
        let rows = { (indices: [Int]) in LabelledRows(features: features.selecting(indices), codes: indices.map { codes[$0] }) }
        return try train(training: rows(trainingRows), validation: validationRows.isEmpty ? nil : rows(validationRows),
                         augmentation: augmentation, progress: progress)
    }

    /// `train(_:codes:augmentation:progress:)` on the rows of a feature cache (`--external-memory`):
    /// the same split and the same rows in the same order, but XGBoost reads them from disk,
    /// `batchRows` at a time, into external-memory matrices kept beside them.
    public func train(_ cache: FeatureCache, rows: [Int], codes: [EAN13Code], augmentation: QuadAugmentation? = nil,
                      batchRows: Int, progress: ProgressReporter = ProgressReporter(isEnabled: false)) throws -> (CodeModel, TrainingLog) {
        guard rows.count == codes.count else {
            throw BoostBarcodeError.invalidArgument("\(rows.count) feature rows for \(codes.count) codes")
        }
        let (trainingRows, validationRows) = try splitRows(rowCount: rows.count, augmentation: augmentation)
        let cached = { (picked: [Int]) in CachedRows(cache: cache, indices: picked.map { rows[$0] }, codes: picked.map { codes[$0] }) }
        return try train(training: cached(trainingRows), validation: validationRows.isEmpty ? nil : cached(validationRows),
                         augmentation: augmentation, batchRows: batchRows, progress: progress)
    }

    /// The split of `rowCount` rows of whole images (`1 + copies` rows each) into training rows (every
    /// row of the training images) and validation rows (each validation image's first, its own quad).
    private func splitRows(rowCount: Int, augmentation: QuadAugmentation?) throws -> (training: [Int], validation: [Int]) {
        guard rowCount >= 2 else {
            throw BoostBarcodeError.invalidArgument("need at least 2 labelled images to train, have \(rowCount)")
        }
        let rowsPerImage = 1 + (augmentation?.copies ?? 0)
        guard rowsPerImage >= 1, rowCount % rowsPerImage == 0 else {
            throw BoostBarcodeError.invalidArgument("\(rowCount) rows do not make whole images of \(rowsPerImage) rows")
        }
        let (trainingImages, validationImages) = split(rowCount: rowCount / rowsPerImage)
        return (trainingImages.flatMap { image in (0..<rowsPerImage).map { image * rowsPerImage + $0 } },
                validationImages.map { $0 * rowsPerImage })
    }

    /// Trains the 13 boosters on rows already divided: `training` (with augmentation, each image's
    /// `1 + copies` rows) and `validation` (one row per image, through its own quad). With
    /// `collective`, these are this worker's share: XGBoost trains the boosters jointly with the other
    /// workers, which must make the same calls (each with validation rows, or none with any), and the
    /// manifest's row counts and accuracies are those of all the workers' rows together.
    public func train(training: LabelledRows, validation: LabelledRows?, augmentation: QuadAugmentation? = nil,
                      collective: Collective? = nil,
                      progress: ProgressReporter = ProgressReporter(isEnabled: false)) throws -> (CodeModel, TrainingLog) {
        for rows in [training] + (validation.map { [$0] } ?? []) {
            guard rows.features.rowCount >= 1, rows.features.rowCount == rows.codes.count else {
                throw BoostBarcodeError.invalidArgument("\(rows.features.rowCount) feature rows and \(rows.codes.count) codes: need at least one of each, as many codes as rows")
            }
            guard rows.features.columnCount == features.featureCount else {
                throw BoostBarcodeError.invalidArgument("features have \(rows.features.columnCount) columns, settings give \(features.featureCount)")
            }
        }
        let (trainingMatrix, validationMatrix) = try matrices(training.features, validation: validation?.features)
        return try train(training: (trainingMatrix, training.codes), validation: validationMatrix.map { ($0, validation!.codes) },
                         augmentation: augmentation, collective: collective, progress: progress)
    }

    /// `train(training:validation:augmentation:collective:progress:)` on rows of a feature cache,
    /// through external-memory matrices read `batchRows` rows at a time (with `collective`, all of a
    /// worker's rows at once: see below).
    public func train(training: CachedRows, validation: CachedRows?, augmentation: QuadAugmentation? = nil,
                      collective: Collective? = nil, batchRows: Int,
                      progress: ProgressReporter = ProgressReporter(isEnabled: false)) throws -> (CodeModel, TrainingLog) {
        guard batchRows >= 1 else { throw BoostBarcodeError.invalidArgument("--cache-batch-rows must be at least 1") }
        for rows in [training] + (validation.map { [$0] } ?? []) {
            guard !rows.indices.isEmpty else { throw BoostBarcodeError.invalidArgument("no feature rows to train or validate on") }
            guard rows.cache.columnCount == features.featureCount else {
                throw BoostBarcodeError.invalidArgument("features have \(rows.cache.columnCount) columns, settings give \(features.featureCount)")
            }
        }
        let threads = options.parameters.threads
        // XGBoost 1.7.4 fails in its first distributed round on a matrix of more than one page
        // ("vector::_M_range_check: __n (which is 2147483647) >= this->size()"): one page per worker.
        let pageRows = { (rows: CachedRows) in collective == nil ? batchRows : rows.indices.count }
        let trainingMatrix = try training.dMatrix(name: "training", batchRows: pageRows(training), threads: threads)
        let validationMatrix = try validation.map { try $0.dMatrix(name: "validation", batchRows: pageRows($0), threads: threads) }
        return try train(training: (trainingMatrix, training.codes), validation: validationMatrix.map { ($0, validation!.codes) },
                         augmentation: augmentation, collective: collective, progress: progress)
    }

    /// The 13 boosters on XGBoost matrices made for them, with each row's code.
    private func train(training: (matrix: DMatrix, codes: [EAN13Code]), validation: (matrix: DMatrix, codes: [EAN13Code])?,
                       augmentation: QuadAugmentation?, collective: Collective?,
                       progress: ProgressReporter) throws -> (CodeModel, TrainingLog) {
        var boosters: [Booster] = [], log = TrainingLog(), validationPredictions: [[UInt8]] = []
        let start = Date()
        for position in 0..<CodeModel.positionCount {
            let labels = { (codes: [EAN13Code]) in codes.map { Float($0.digits[position]) } }
            try training.matrix.setLabels(labels(training.codes))
            if let validation { try validation.matrix.setLabels(labels(validation.codes)) }
            let booster = try trainPosition(position, training: training.matrix, validation: validation?.matrix,
                                            log: &log, progress: progress, start: start)
            if let validation {
                validationPredictions.append(
                    try argmax(booster.predictProbabilities(validation.matrix, classCount: options.parameters.classCount)))
            }
            // Thirteen trained boosters' histograms and buffers would otherwise all stay till the end.
            boosters.append(try booster.withoutTrainingState())
        }
        progress.finish()
        var tally = ValidationTally(trainingRows: training.codes.count, predictions: validationPredictions,
                                    codes: validation?.codes ?? [])
        if let collective { tally = try tally.summed(over: collective) }
        let positions = try boosters.enumerated().map { position, booster in
            ModelManifest.Position(position: position, file: CodeModel.boosterFileName(position: position), byteCount: 0,
                                   checksum: "", boostedRounds: try booster.boostedRounds,
                                   validationAccuracy: tally.digitAccuracy(position: position))
        }
        let manifest = ModelManifest(
            features: features, featureCount: training.matrix.columnCount, parameters: options.parameters,
            validationRatio: options.validationRatio, earlyStoppingRounds: options.earlyStoppingRounds,
            xgboostVersion: xgboostVersion, trainingRows: tally.trainingRows, validationRows: tally.validationRows,
            validationCodeAccuracy: tally.codeAccuracy,
            augmentation: augmentation.map(ModelManifest.Augmentation.init), positions: positions)
        return (try CodeModel(manifest: manifest, boosters: boosters), log)
    }

    /// XGBoost's matrices of the two row sets, built once and relabelled for each position. For `hist`,
    /// quantised as Python's `XGBClassifier` does (the validation rows share the training bins), which
    /// keeps one byte per cell instead of XGBoost's 8-byte sparse entries.
    private func matrices(_ training: FeatureMatrix, validation: FeatureMatrix?) throws -> (DMatrix, DMatrix?) {
        let threads = options.parameters.threads
        guard options.parameters.treeMethod == "hist" else {
            return (try training.dMatrix(threads: threads), try validation?.dMatrix(threads: threads))
        }
        let trainingMatrix = try training.quantisedDMatrix(threads: threads)
        return (trainingMatrix, try validation?.quantisedDMatrix(reference: trainingMatrix, threads: threads))
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
}
