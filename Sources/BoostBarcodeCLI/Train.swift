import ArgumentParser
import BoostBarcode
import Foundation

extension BoostBarcodeCommand {
    struct Train: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Train the 13 digit classifiers on a labelled split and save them.",
            discussion: """
                Extracts features (--features, default the best preset of the README's ablation) from every row with an image, a quad and a code, holds out a \
                seeded validation share, trains one 10-class booster per position (multi:softprob, hist) \
                and saves digit-00.ubj ... digit-12.ubj, manifest.json and training-log.csv (validation \
                error per round) to the model folder, replacing it atomically.
                """
        )

        @Option(help: "Split folder to train on (holding markup.csv and Images/).") var data: String
        @Option(help: "Model folder to write.") var models = "models"
        @Option(help: "Markup file to read instead of the split's markup.csv (same images).") var markup: String?
        @Option(help: "Boosting rounds per position.") var rounds = 100
        @Option(help: "Maximum tree depth.") var maxDepth = 6
        @Option(help: "Learning rate (eta).") var eta = 0.3
        @Option(help: "Share of rows held out for validation, 0 for none.") var valRatio = 0.1
        @Option(help: "Stop a position after N rounds without a lower validation error, keeping the best round.")
        var earlyStopping: Int?
        @Option(help: "Seed of the validation split, the quad jitter and XGBoost.") var seed = 0
        @Option(help: "Augment: read each training image through this many extra jittered quads as well.")
        var augmentCopies = 0
        @Option(help: "Augment: move each corner of those quads across the bars by up to this share of the quad's width.")
        var augmentJitter = 0.02
        @Option(help: ArgumentHelp(
            "Augment: and along the bars by up to this share of the quad's height.",
            discussion: """
                A detector places the bars' ends less surely than the guard bars, and the perspective two \
                misplaced ends imply is what a model trained on exact quads forgives least (README, \
                augmentation).
                """))
        var augmentJitterAlong = 0.06
        @Option(help: ArgumentHelp(
            "Train as worker I of N workers (e.g. 0/4) of one distributed training.",
            discussion: """
                Each worker reads and featurises only its share of the images and XGBoost trains the 13 \
                boosters jointly, through the tracker named by DMLC_TRACKER_URI and DMLC_TRACKER_PORT in \
                the environment; worker 0 writes the model. The validation images are the same whatever \
                N. scripts/train-distributed runs the tracker and the workers; see docs/DISTRIBUTED.md.
                """),
                transform: { try Shard($0) })
        var shard: Shard?
        @Option(help: "With --shard: fail when the other workers have not all joined, or a link to one of them has moved nothing, for this many seconds.")
        var collectiveTimeout = 600
        @Flag(help: ArgumentHelp(
            "Keep the features on disk, not in memory: XGBoost's external-memory matrices.",
            discussion: """
                The features are extracted in batches into a cache folder of this run's own inside \
                --cache, and XGBoost builds its matrices from it a batch at a time, keeping its pages \
                beside them; the folder is deleted when train ends. The same boosters as without it; \
                see docs/DISTRIBUTED.md, Memory.
                """))
        var externalMemory = false
        @Option(help: "With --external-memory: the directory to make the cache folder in (default: the parent of --models).")
        var cache: String?
        @Option(help: "With --external-memory: feature rows per batch, extracted and handed to XGBoost at a time (default 4096).")
        var cacheBatchRows: Int?
        @OptionGroup var common: RunOptions
        @OptionGroup(title: "Feature settings") var featureOptions: FeatureOptions

        func validate() throws {
            guard collectiveTimeout >= 1 else { throw ValidationError("--collective-timeout must be at least 1 s") }
            guard externalMemory || (cache == nil && cacheBatchRows == nil) else {
                throw ValidationError("--cache and --cache-batch-rows need --external-memory")
            }
            guard (cacheBatchRows ?? 1) >= 1 else { throw ValidationError("--cache-batch-rows must be at least 1") }
        }

        func run() throws {
            var options = TrainingOptions()
            options.parameters.rounds = rounds
            options.parameters.maxDepth = maxDepth
            options.parameters.learningRate = eta
            options.parameters.seed = seed
            options.parameters.threads = common.threads
            options.validationRatio = valRatio
            options.earlyStoppingRounds = earlyStopping
            let config = try featureOptions.config()
            let trainer = try Trainer(options: options, features: config)

            let split = try DatasetSplit(root: URL(cliPath: data), markup: markup.map(URL.init(cliPath:)))
            guard augmentCopies >= 0, (0...0.5).contains(augmentJitter), (0...0.5).contains(augmentJitterAlong) else {
                throw ValidationError("--augment-copies must be 0 or more, --augment-jitter and --augment-jitter-along in 0...0.5")
            }
            let augmentation = augmentCopies > 0
                ? QuadAugmentation(fraction: augmentJitter, alongBars: augmentJitterAlong, copies: augmentCopies,
                                   seed: UInt64(truncatingIfNeeded: seed)) : nil
            let extraction = FeatureExtraction(extractor: try FeatureExtractor(config: config), threads: common.threads,
                                               augmentation: augmentation)
            let featureCache = externalMemory
                ? try FeatureCache(in: URL(cliPath: cache ?? URL(cliPath: models).deletingLastPathComponent().path),
                                   columnCount: config.featureCount) : nil
            defer { featureCache?.remove() }
            if let shard {
                try trainShard(shard, trainer: trainer, split: split, extraction: extraction, cache: featureCache)
                return
            }
            if let featureCache {
                try trainFromCache(featureCache, trainer: trainer, split: split, extraction: extraction)
                return
            }
            let extractStart = Date()
            let extracted = extraction.extract(split, requireCodes: true, progress: common.progress)
            let extractSeconds = Date().timeIntervalSince(extractStart)
            let failed = common.reportSkipped(extracted.skipped, of: split)
            guard extracted.features.rowCount >= 2 else { throw BoostBarcodeError.emptyDataset(path: split.root.path) }
            let images = extracted.features.rowCount / (1 + augmentCopies)
            common.note(String(format: "features: %d images (%d rows) in %.1f s (%.1f images/s)", images,
                               extracted.features.rowCount, extractSeconds, Double(images) / extractSeconds))

            let trainStart = Date()
            let (model, log) = try trainer.train(extracted.features, codes: extracted.rows.map { $0.code! },
                                                 augmentation: augmentation, progress: common.progress)
            let trainSeconds = Date().timeIntervalSince(trainStart)
            try model.save(to: URL(cliPath: models), trainingLog: log)
            common.note(String(format: "trained 13 boosters in %.1f s; saved to %@", trainSeconds, models))
            print(ValidationTable(manifest: model.manifest).text)
            if let failed { throw failed }
        }

        private var batchRows: Int { cacheBatchRows ?? 4096 }

        /// Images per batch of extraction into the cache: about `batchRows` rows.
        private func imagesPerBatch(_ extraction: FeatureExtraction) -> Int {
            max(1, batchRows / (1 + (extraction.augmentation?.copies ?? 0)))
        }

        /// `train` with --external-memory and no --shard: the same rows and split, kept in `cache`.
        private func trainFromCache(_ cache: FeatureCache, trainer: Trainer, split: DatasetSplit,
                                    extraction: FeatureExtraction) throws {
            let (usable, markupSkipped) = split.usableRows(requireCodes: true)
            let extractStart = Date()
            let extracted = try extraction.extract(usable, imageURL: split.imageURL(for:), into: cache,
                                                   imagesPerBatch: imagesPerBatch(extraction), progress: common.progress)
            let extractSeconds = Date().timeIntervalSince(extractStart)
            let failed = common.reportSkipped(markupSkipped + extracted.skipped, of: split)
            guard extracted.rows.count >= 2 else { throw BoostBarcodeError.emptyDataset(path: split.root.path) }
            let images = extracted.rows.count / (1 + augmentCopies)
            common.note(String(format: "features: %d images (%d rows) in %.1f s (%.1f images/s), cached in %@", images,
                               extracted.rows.count, extractSeconds, Double(images) / extractSeconds, cache.folder.path))

            let trainStart = Date()
            let (model, log) = try trainer.train(cache, rows: Array(extracted.indices), codes: extracted.rows.map { $0.code! },
                                                 augmentation: extraction.augmentation, batchRows: batchRows,
                                                 progress: common.progress)
            let trainSeconds = Date().timeIntervalSince(trainStart)
            try model.save(to: URL(cliPath: models), trainingLog: log)
            common.note(String(format: "trained 13 boosters in %.1f s; saved to %@", trainSeconds, models))
            print(ValidationTable(manifest: model.manifest).text)
            if let failed { throw failed }
        }

        /// One worker of a distributed training: joins the others first (a tracker out of reach fails
        /// before any image is read), featurises its share of the whole split's training and validation
        /// images, and trains with them. Worker 0 alone writes the model, once every worker is done.
        private func trainShard(_ shard: Shard, trainer: Trainer, split: DatasetSplit, extraction: FeatureExtraction,
                                cache: FeatureCache?) throws {
            let (usable, markupSkipped) = split.usableRows(requireCodes: true)
            guard usable.count >= 2 else { throw BoostBarcodeError.emptyDataset(path: split.root.path) }
            let (trainingImages, validationImages) = try trainer.split(rowCount: usable.count, shard: shard)
            var settings = try CollectiveSettings(environment: ProcessInfo.processInfo.environment,
                                                  workerCount: shard.count, taskID: "\(shard.index)")
            settings.timeoutSeconds = collectiveTimeout
            common.note("worker \(shard): joining \(shard.count) workers through the tracker at \(settings.trackerHost):\(settings.trackerPort)")
            let joining = ProcessDeadline(seconds: collectiveTimeout, message: """
                Error: worker \(shard): the \(shard.count) workers did not all join within \(collectiveTimeout) s \
                (--collective-timeout); is every worker started, with the same tracker?
                """)
            let collective = try Collective(settings)
            joining.cancel()
            try collective.checkDistinct(shard)

            let extractStart = Date()
            let share = try ShareFeatures(trainingRows: trainingImages.map { usable[$0] }, jitterNumbers: trainingImages,
                                          validationRows: validationImages.map { usable[$0] }, split: split,
                                          extraction: extraction, cache: cache, imagesPerBatch: imagesPerBatch(extraction),
                                          progress: common.progress)
            let extractSeconds = Date().timeIntervalSince(extractStart)
            let failed = common.reportSkipped((shard.index == 0 ? markupSkipped : []) + share.skipped, of: split)
            guard share.trainingRowCount > 0, validationImages.isEmpty || share.validationRowCount > 0 else {
                throw BoostBarcodeError.invalidArgument(
                    "worker \(shard): none of its \(share.trainingRowCount > 0 ? "validation" : "training") images could be read")
            }
            common.note(String(format: "worker %@ features: %d training rows, %d validation images in %.1f s", "\(shard)",
                               share.trainingRowCount, share.validationRowCount, extractSeconds))

            let trainStart = Date()
            let (model, log) = try share.train(trainer, augmentation: extraction.augmentation, collective: collective,
                                               batchRows: batchRows, progress: common.progress)
            try collective.finish()
            let trainSeconds = Date().timeIntervalSince(trainStart)
            if shard.index == 0 {
                try model.save(to: URL(cliPath: models), trainingLog: log)
                common.note(String(format: "trained 13 boosters on %d workers in %.1f s; saved to %@", shard.count, trainSeconds, models))
                print(ValidationTable(manifest: model.manifest).text)
            } else {
                common.note(String(format: "worker %@ trained in %.1f s; worker 0 writes the model", "\(shard)", trainSeconds))
            }
            if let failed { throw failed }
        }
    }
}

/// A worker's training and validation rows, featurised in memory, or into a cache (--external-memory).
private enum ShareFeatures {
    case memory(training: ExtractedFeatures, validation: ExtractedFeatures)
    case cache(FeatureCache, training: CachedExtraction, validation: CachedExtraction)

    /// Validation reads each image through its own quad only, as on one process; training images
    /// are jittered as the rows numbered `jitterNumbers` of the whole split.
    init(trainingRows: [MarkupRow], jitterNumbers: [Int], validationRows: [MarkupRow], split: DatasetSplit,
         extraction: FeatureExtraction, cache: FeatureCache?, imagesPerBatch: Int, progress: ProgressReporter) throws {
        let validationExtraction = FeatureExtraction(extractor: extraction.extractor, threads: extraction.threads)
        guard let cache else {
            self = .memory(
                training: extraction.extract(trainingRows, jitterNumbers: jitterNumbers, imageURL: split.imageURL(for:), progress: progress),
                validation: validationExtraction.extract(validationRows, imageURL: split.imageURL(for:), progress: progress))
            return
        }
        let training = try extraction.extract(trainingRows, jitterNumbers: jitterNumbers, imageURL: split.imageURL(for:),
                                              into: cache, imagesPerBatch: imagesPerBatch, progress: progress)
        let validation = try validationExtraction.extract(validationRows, imageURL: split.imageURL(for:), into: cache,
                                                          imagesPerBatch: imagesPerBatch, progress: progress)
        self = .cache(cache, training: training, validation: validation)
    }

    var trainingRowCount: Int {
        switch self {
        case .memory(let training, _): training.rows.count
        case .cache(_, let training, _): training.rows.count
        }
    }

    var validationRowCount: Int {
        switch self {
        case .memory(_, let validation): validation.rows.count
        case .cache(_, _, let validation): validation.rows.count
        }
    }

    var skipped: [SkippedRow] {
        switch self {
        case .memory(let training, let validation): training.skipped + validation.skipped
        case .cache(_, let training, let validation): training.skipped + validation.skipped
        }
    }

    func train(_ trainer: Trainer, augmentation: QuadAugmentation?, collective: Collective, batchRows: Int,
               progress: ProgressReporter) throws -> (CodeModel, TrainingLog) {
        switch self {
        case .memory(let training, let validation):
            return try trainer.train(training: LabelledRows(training), validation: validation.rows.isEmpty ? nil : LabelledRows(validation),
                                     augmentation: augmentation, collective: collective, progress: progress)
        case .cache(let cache, let training, let validation):
            let rows = { (extracted: CachedExtraction) in
                CachedRows(cache: cache, indices: Array(extracted.indices), codes: extracted.rows.map { $0.code! })
            }
            return try trainer.train(training: rows(training), validation: validation.rows.isEmpty ? nil : rows(validation),
                                     augmentation: augmentation, collective: collective, batchRows: batchRows,
                                     progress: progress)
        }
    }
}

/// Ends the process with `message` on stderr and exit status 2 unless cancelled within `seconds`:
/// XGBoost waits for the workers to join with no timeout of its own, blocked inside the library.
private struct ProcessDeadline {
    private let work: DispatchWorkItem

    init(seconds: Int, message: String) {
        work = DispatchWorkItem {
            standardError(message)
            _exit(ExitCode.fatal.rawValue)
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + .seconds(seconds), execute: work)
    }

    func cancel() { work.cancel() }
}

/// The per-position validation accuracy of a freshly trained model.
struct ValidationTable {
    let manifest: ModelManifest

    var text: String {
        guard manifest.validationRows > 0 else {
            return "trained on \(manifest.trainingRows) rows; no validation split"
        }
        var lines = ["validation on \(manifest.validationRows) images (trained on \(manifest.trainingRows) rows)",
                     "position  rounds  accuracy"]
        for entry in manifest.positions {
            lines.append(String(format: "%8d  %6d  %8.4f", entry.position, entry.boostedRounds, entry.validationAccuracy ?? .nan))
        }
        lines.append(String(format: "full code: %.4f", manifest.validationCodeAccuracy ?? .nan))
        return lines.joined(separator: "\n")
    }
}
