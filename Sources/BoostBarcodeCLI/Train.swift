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
        @OptionGroup var common: RunOptions
        @OptionGroup(title: "Feature settings") var featureOptions: FeatureOptions

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
    }
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
