import ArgumentParser
import BoostBarcode
import Foundation

extension BoostBarcodeCommand {
    struct Detect: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Find the EAN-13 symbol in each photo of a folder and write its quad to a markup file.",
            discussion: """
                Writes one row per photo (PNG or JPEG, recognised by their bytes; sorted by name): the quad of the most likely EAN-13 bars \
                region, top-left, top-right, bottom-right, bottom-left as read (the reading direction is \
                a guess from the guard bars), the code left empty. A photo where nothing looks like bars \
                gets a row with an empty quad. With --models, the candidates are also read as predict \
                --images reads them, and the one whose reading is the most confident (at least \
                --min-confidence) is written, in the direction it read (its refitted quad when that read \
                best); otherwise the localizer's best. \
                With --truth, prints how often the candidates match the true quads (IoU ≥ 0.7) and the \
                median time of the localizer per photo; use --threads 1 for honest timing.
                """
        )

        @Option(help: "Folder of photos (PNG or JPEG).") var images: String
        @Option(help: "Markup file to write (course layout, UTF-16 with BOM unless --encoding).") var out: String
        @Option(help: "Encoding of the markup file: \(MarkupEncoding.allCases.map(\.rawValue).joined(separator: ", ")).")
        var encoding: MarkupEncoding = .utf16
        @Option(help: "Candidates kept per photo (the evaluation counts a hit among them).") var maxCandidates = 3
        @Option(help: ArgumentHelp("Write a sketch of every photo's regions and candidates to this folder.", valueName: "dir"))
        var debugPng: String?
        @Option(help: ArgumentHelp("Markup with the true quads: print the detection rates.", valueName: "markup.csv"))
        var truth: String?
        @Option(help: ArgumentHelp("Model folder written by 'train': choose among the candidates, and the reading direction, by reading them.",
                                   valueName: "dir"))
        var models: String?
        @OptionGroup(title: "With --models: the readings that choose a candidate") var confidence: ConfidenceOptions
        @OptionGroup var common: RunOptions

        func validate() throws {
            guard maxCandidates >= 1 else { throw ValidationError("--max-candidates must be at least 1") }
        }

        func run() throws {
            let folder = URL(cliPath: images)
            let names = try ImageFile.pictures(in: folder)
            let truthRows = try truth.map { try MarkupFile.read(contentsOf: URL(cliPath: $0)) } ?? []
            var detection = FolderDetection()
            detection.localizer.maximumCandidates = maxCandidates
            detection.threads = common.threads
            detection.sketchFolder = debugPng.map(URL.init(cliPath:))
            let reader = try models.map {
                var reader = try PhotoReader(forests: try DigitForests.load(from: URL(cliPath: $0)), policy: AnswerPolicy(minimumConfidence: confidence.minConfidence))
                reader.searchConfidence = confidence.searchConfidence
                return reader
            }
            detection.truth = Dictionary(truthRows.compactMap { row in row.quad.map { (row.path, $0) } },
                                         uniquingKeysWith: { first, _ in first })
            let start = Date()
            let results = detection.run(folder: folder, names: names, progress: common.progress, reader: reader)
            let seconds = Date().timeIntervalSince(start)
            for result in results { if let failure = result.failure { common.note("\(result.path): \(failure)") } }
            let rows = results.map { MarkupRow(path: $0.path, code: nil, quad: $0.candidates.first?.quad) }
            try MarkupFile.write(rows, to: URL(cliPath: out), encoding: encoding)
            common.note(String(format: "%d photos in %.1f s, %d with a quad; wrote %@", results.count, seconds,
                               rows.filter { $0.quad != nil }.count, out))
            if truth != nil {
                let outcomes = results.map {
                    DetectionEvaluation.Outcome(path: $0.path, candidates: $0.candidates.map(\.quad),
                                                truth: detection.truth[$0.path], milliseconds: $0.milliseconds)
                }
                print(DetectionEvaluation(outcomes).table(among: maxCandidates))
            }
        }
    }
}
