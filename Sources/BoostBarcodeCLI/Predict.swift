import ArgumentParser
import BoostBarcode
import Foundation

extension BoostBarcodeCommand {
    struct Predict: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Read the codes of a split with a trained model and write answer.csv.",
            discussion: """
                Loads the 13 boosters once, extracts features with the model's own settings and predicts \
                in batches. Each code is the most probable one whose check digit is valid (--unconstrained: \
                the most probable digit at each position), with a confidence: its probability among all \
                valid codes. answer.csv has the input's format: the rows that could be read, quads copied, \
                the code, left empty when its confidence is below --min-confidence. When the split's markup \
                has codes, the report follows. Beside the answer, answer.readings.csv keeps every row's \
                raw and constrained code, confidence and orientation (see docs/DATA-FORMAT.md). With --images \
                instead of --data, the photos of a folder are read without quads: the localizer's candidates \
                are read in both directions and the most confident reading answers (its quad is written too); a \
                photo where none reaches --min-confidence gets an empty row.
                """
        )

        @Option(help: "Split folder to read (holding markup.csv and Images/).") var data: String?
        @Option(help: "Folder of PNG photos to read without quads (instead of --data).") var images: String?
        @Option(help: "Model folder written by 'train'.") var models = "models"
        @Option(help: "Answer file to write.") var out = "answer.csv"
        @Option(help: "Encoding of the answer file: \(MarkupEncoding.allCases.map(\.rawValue).joined(separator: ", ")).")
        var encoding: MarkupEncoding = .utf16
        @Option(help: "Markup file to read instead of the split's markup.csv (same images).") var markup: String?
        @Option(help: "Leave a code empty when its confidence (0...1) is below this, rather than risk a wrong one.")
        var minConfidence = AnswerPolicy.defaultMinimumConfidence
        @Flag(help: "Answer the most probable digit at each position, ignoring the check digit.")
        var unconstrained = false
        @Option(help: "Images per prediction batch.") var batchSize = 256
        @Option(help: ArgumentHelp("Read each quad this many times: as given, then nudged by up to 0.5 % per corner; the probabilities are averaged.",
                                   discussion: "More views cost proportionally more time and steady readings near the guard bars."))
        var views = 1
        @OptionGroup var common: RunOptions
        @OptionGroup(title: "Feature settings (must match the model's; normally left unset)")
        var featureOptions: FeatureOptions

        func validate() throws {
            guard (data == nil) != (images == nil) else { throw ValidationError("give either --data or --images") }
        }

        func run() throws {
            let modelURL = URL(cliPath: models)
            let expected = featureOptions.isEmpty ? nil : try featureOptions.config()
            let model = try CodeModel.load(from: modelURL, expecting: expected)
            guard (0...1).contains(minConfidence) else { throw ValidationError("--min-confidence must be in 0...1") }
            let policy = AnswerPolicy(checksumConstrained: !unconstrained, minimumConfidence: minConfidence)
            if let images { return try readPhotos(URL(cliPath: images), model: model, policy: policy) }
            let split = try DatasetSplit(root: URL(cliPath: data!), markup: markup.map(URL.init(cliPath:)))
            let predictor = try Predictor(model: model, policy: policy, threads: common.threads, batchSize: batchSize,
                                          views: views)
            let start = Date()
            let (predictions, skipped) = try predictor.predict(split, progress: common.progress)
            let seconds = Date().timeIntervalSince(start)
            let failed = common.reportSkipped(skipped, of: split)
            guard !predictions.isEmpty else { throw BoostBarcodeError.emptyDataset(path: split.root.path) }
            let answerURL = URL(cliPath: out), readingsURL = ReadingsFile.url(besideAnswer: answerURL)
            let readings = predictions.map(\.reading)
            // The answer first: when it cannot be written, nothing of this run is left behind.
            try MarkupFile.write(predictions.map(\.row), to: answerURL, encoding: encoding)
            try ReadingsFile.write(readings, to: readingsURL)
            let withheld = predictions.filter { $0.row.code == nil }.count
            common.note(String(format: "read %d images in %.1f s (%.1f images/s); %d left empty below confidence %.2f; wrote %@ and %@",
                               predictions.count, seconds, Double(predictions.count) / max(seconds, 1e-9), withheld,
                               minConfidence, out, readingsURL.lastPathComponent))
            if split.allRows.contains(where: { $0.code != nil }) {
                let factorsURL = FactorsFile.url(besideMarkup: split.root.appendingPathComponent("markup.csv"))
                let factors = FileManager.default.fileExists(atPath: factorsURL.path) ? try FactorsFile.read(contentsOf: factorsURL) : nil
                print(BoostBarcode.Report(truth: split.allRows, answers: predictions.map(\.row), readings: readings,
                                          factors: factors).table)
            }
            if let failed { throw failed }
        }
    }
}

extension BoostBarcodeCommand.Predict {
    /// `--images`: every PNG of the folder, localized and read, one answer row each.
    func readPhotos(_ folder: URL, model: CodeModel, policy: AnswerPolicy) throws {
        let names = try FolderDetection.photos(in: folder)
        let reader = try PhotoReader(model: model, policy: policy)
        let start = Date()
        var rows: [MarkupRow] = []
        let progress = common.progress
        for (index, name) in names.enumerated() {
            var row = MarkupRow(path: name, code: nil, quad: nil)
            do {
                let reading = try reader.read(try PNGCodec.read(contentsOf: folder.appendingPathComponent(name)))
                (row.code, row.quad) = (reading.code, reading.quad)
            } catch let error as PNGError {
                common.note("\(name): \(error)")
            }
            rows.append(row)
            progress.update("reading", done: index + 1, of: names.count, since: start)
        }
        progress.finish()
        let seconds = Date().timeIntervalSince(start)
        try MarkupFile.write(rows, to: URL(cliPath: out), encoding: encoding)
        common.note(String(format: "read %d photos in %.1f s, %d with a code; wrote %@", rows.count, seconds,
                           rows.filter { $0.code != nil }.count, out))
    }
}

extension MarkupEncoding: ExpressibleByArgument {}
