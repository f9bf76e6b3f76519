import ArgumentParser
import BoostBarcode
import Foundation

extension BoostBarcodeCommand {
    struct Predict: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Read the codes of a split with a trained model and write answer.csv.",
            discussion: """
                Loads the 13 boosters once, extracts features with the model's own settings and predicts \
                in batches. answer.csv has the input's format: the rows that could be read, quads copied, \
                13-digit predicted codes. When the split's markup has codes, the accuracy table follows.
                """
        )

        @Option(help: "Split folder to read (holding markup.csv and Images/).") var data: String
        @Option(help: "Model folder written by 'train'.") var models = "models"
        @Option(help: "Answer file to write.") var out = "answer.csv"
        @Option(help: "Encoding of the answer file: \(MarkupEncoding.allCases.map(\.rawValue).joined(separator: ", ")).")
        var encoding: MarkupEncoding = .utf16
        @Option(help: "Images per prediction batch.") var batchSize = 256
        @OptionGroup var common: RunOptions
        @OptionGroup(title: "Feature settings (must match the model's; normally left unset)")
        var featureOptions: FeatureOptions

        func run() throws {
            let modelURL = URL(cliPath: models)
            let expected = featureOptions.isEmpty ? nil : try featureOptions.config()
            let model = try CodeModel.load(from: modelURL, expecting: expected)
            let split = try DatasetSplit(root: URL(cliPath: data))
            let predictor = try Predictor(model: model, threads: common.threads, batchSize: batchSize)
            let start = Date()
            let (predictions, skipped) = try predictor.predict(split, progress: common.progress)
            let seconds = Date().timeIntervalSince(start)
            let failed = common.reportSkipped(skipped, of: split)
            guard !predictions.isEmpty else { throw BoostBarcodeError.emptyDataset(path: split.root.path) }
            try MarkupFile.write(predictions.map(\.row), to: URL(cliPath: out), encoding: encoding)
            common.note(String(format: "read %d images in %.1f s (%.1f images/s); wrote %@", predictions.count, seconds,
                            Double(predictions.count) / max(seconds, 1e-9), out))
            if split.allRows.contains(where: { $0.code != nil }) {
                print(BoostBarcode.Report(truth: split.allRows, answers: predictions.map(\.row)).table)
            }
            if let failed { throw failed }
        }
    }
}

extension MarkupEncoding: ExpressibleByArgument {}
