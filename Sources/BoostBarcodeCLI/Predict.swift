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
                the code, left empty when its confidence is below --min-confidence. A quad whose reading is not \
                sure (below 0.9) is read again as --images reads an unsure candidate (--no-search: each quad \
                once). When the split's markup has codes, the report follows. Beside the answer, answer.readings.csv keeps every row's \
                raw and constrained code, confidence and orientation (see docs/DATA-FORMAT.md). With --images \
                instead of --data, the photos of a folder are read without quads: the localizer's candidates \
                are read best first, an unsure one again through other quads around it; the first sure reading, \
                else the most confident one, answers (its quad is written too), and a photo where it does not \
                reach --min-confidence (--search-confidence after such a search) gets an empty row. Each photo is \
                read on one thread, its processor time measured (--times).
                """
        )

        @Option(help: "Split folder to read (holding markup.csv and Images/).") var data: String?
        @Option(help: "Folder of photos (PNG or JPEG) to read without quads (instead of --data).") var images: String?
        @Option(help: "Model folder written by 'train' (default: $BOOSTBARCODE_MODELS, ./models, else the shipped model).")
        var models: String?
        @Option(help: "Answer file to write.") var out = "answer.csv"
        @Option(help: "Encoding of the answer file: \(MarkupEncoding.allCases.map(\.rawValue).joined(separator: ", ")).")
        var encoding: MarkupEncoding = .utf16
        @Option(help: "Markup file to read instead of the split's markup.csv (same images).") var markup: String?
        @Flag(help: "Answer the most probable digit at each position, ignoring the check digit.")
        var unconstrained = false
        @Option(help: "Images per prediction batch.") var batchSize = 256
        @Option(help: ArgumentHelp("Read each quad this many times: as given, then nudged by up to 0.5 % per corner; the probabilities are averaged.",
                                   discussion: "More views cost proportionally more time and steady readings near the guard bars."))
        var views = 1
        @Flag(inversion: .prefixedNo,
              help: ArgumentHelp("With --data: read a quad whose reading is not sure (below 0.9) again as a photo with that quad known.",
                                 discussion: "Through quads around it, round cylinders and as a defocused symbol, as --images reads a candidate; its answer, when it gives one at --search-confidence, replaces the quad's own. Costs up to a second per unsure photo."))
        var search = true
        @Option(help: ArgumentHelp("With --images: markup files holding the photos' true codes (repeatable); prints right / wrong / empty.",
                                   valueName: "markup.csv"))
        var truth: [String] = []
        @Option(help: ArgumentHelp("With --images: write each photo's processor time (decoding, reading) to this CSV.",
                                   valueName: "file"))
        var times: String?
        @Option(help: ArgumentHelp("With --images: decode a large JPEG at 1/2 or 1/4 scale while its longer side stays at least this many pixels (0: always in full).",
                                   valueName: "pixels"))
        var jpegShrinkSide = 2000
        @OptionGroup var confidence: ConfidenceOptions
        @OptionGroup var common: RunOptions
        @OptionGroup(title: "Feature settings (must match the model's; normally left unset)")
        var featureOptions: FeatureOptions

        func validate() throws {
            guard (data == nil) != (images == nil) else { throw ValidationError("give either --data or --images") }
            guard jpegShrinkSide >= 0 else { throw ValidationError("--jpeg-shrink-side must be 0 (never) or more") }
        }

        func run() throws {
            let modelURL = ModelLocation.resolve(explicit: models)
            let expected = featureOptions.isEmpty ? nil : try featureOptions.config()
            let policy = AnswerPolicy(checksumConstrained: !unconstrained, minimumConfidence: confidence.minConfidence)
            if let images {
                let forests = try DigitForests.load(from: modelURL, expecting: expected)
                return try readPhotos(URL(cliPath: images), forests: forests, policy: policy)
            }
            let model = try CodeModel.load(from: modelURL, expecting: expected)
            let split = try DatasetSplit(root: URL(cliPath: data!), markup: markup.map(URL.init(cliPath:)))
            var searchReader: PhotoReader?
            if search {
                searchReader = try PhotoReader(model: model, policy: policy)
                searchReader?.searchConfidence = confidence.searchConfidence
            }
            let predictor = try Predictor(model: model, policy: policy, threads: common.threads, batchSize: batchSize,
                                          views: views, search: searchReader)
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
                               confidence.minConfidence, out, readingsURL.lastPathComponent))
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
    /// `--images`: every photo of the folder, localized and read, one answer row each; the readings beside
    /// the answer, per-photo times with --times, and the right / wrong / empty counts with --truth.
    func readPhotos(_ folder: URL, forests: DigitForests, policy: AnswerPolicy) throws {
        let names = try ImageFile.pictures(in: folder)
        // The true codes first: a bad truth file stops the command before anything is read or written.
        var codes: [String: EAN13Code] = [:]
        for file in truth {
            for row in try MarkupFile.read(contentsOf: URL(cliPath: file)) { if let code = row.code { codes[row.path] = code } }
        }
        let start = Date()
        var reader = try PhotoReader(forests: forests, policy: policy)
        reader.searchConfidence = confidence.searchConfidence
        var reading = FolderReading(reader: reader, threads: common.threads)
        reading.jpegShrinkLongSide = jpegShrinkSide > 0 ? jpegShrinkSide : nil
        let results = try reading.run(folder: folder, names: names, progress: common.progress)
        let seconds = Date().timeIntervalSince(start)
        for result in results { if let failure = result.failure { common.note("\(result.path): \(failure)") } }
        let rows = results.map { MarkupRow(path: $0.path, code: $0.reading?.code, quad: $0.reading?.quad) }
        let readings = results.compactMap { result in
            result.reading?.decoded.map {
                Reading(path: result.path, answer: result.reading?.code, raw: $0.raw, constrained: $0.constrained,
                        confidence: $0.confidence, flipped: result.reading?.turned ?? false)
            }
        }
        let answerURL = URL(cliPath: out)
        try MarkupFile.write(rows, to: answerURL, encoding: encoding)
        try ReadingsFile.write(readings, to: ReadingsFile.url(besideAnswer: answerURL))
        if let times {
            try FolderReading.writeTimes(results, to: URL(cliPath: times))
        }
        common.note(String(format: "read %d photos in %.1f s, %d with a code; wrote %@", rows.count, seconds,
                           rows.filter { $0.code != nil }.count, out))
        if !truth.isEmpty {
            let evaluation = ReadingEvaluation(results.map {
                .init(path: $0.path, answer: $0.reading?.code, truth: codes[$0.path], milliseconds: $0.milliseconds)
            })
            print(evaluation.table)
        }
        if results.contains(where: { $0.failure != nil }) { throw ExitCode.someRowsFailed }
    }
}

extension MarkupEncoding: ExpressibleByArgument {}
