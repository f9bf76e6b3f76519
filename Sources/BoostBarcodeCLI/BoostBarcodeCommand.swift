import ArgumentParser
import BoostBarcode
import Foundation

@main
struct BoostBarcodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "boostbarcode",
        abstract: "Read EAN-13 barcodes from photos with one XGBoost classifier per digit position.",
        discussion: """
            To read the codes in your photos: boostbarcode read PHOTO-OR-FOLDER... (PNG or JPEG; the \
            model shipped in the package's models/ folder is used unless --models names another).

            To train on labelled photos: a dataset split is a folder holding markup.csv (no header; \
            path, code, x1..y4, barcode; UTF-16 or UTF-8) and Images/. Typical use: train on a Train \
            split, predict a Test split, then report accuracy against its truth. \
            boostbarcode help COMMAND explains every option of a command.

            Exit status: 0 when every row was done; 1 when some rows failed (each is listed on stderr \
            with its markup line, a summary follows, and the outputs hold the other rows); 2 on a usage \
            or fatal error (the outputs are left as they were).
            """,
        subcommands: [Read.self, Train.self, Predict.self, Report.self, Features.self, Synth.self, Jitter.self, Detect.self]
    )

    /// Runs the command and exits 0, 1 (some rows failed) or 2 (usage or fatal error), not
    /// ArgumentParser's own codes (64 for usage errors, 1 for every other error).
    static func main() {
        // An interrupt removes what a run was building (a dataset, a model, a temporary file) before the process ends.
        ScratchPaths.removeOnInterrupt()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let code as ExitCode {
            exit(withError: code)
        } catch {
            if exitCode(for: error) == .success { exit(withError: error) }  // --help, --version
            standardError(fullMessage(for: error))
            exit(withError: ExitCode.fatal)
        }
    }
}

extension ExitCode {
    /// Some rows could not be used; the outputs hold the others.
    static let someRowsFailed = ExitCode(1)
    /// Bad usage or an error that stopped the command; no output was changed.
    static let fatal = ExitCode(2)
}

/// Writes a line to stderr.
func standardError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// The two confidences an answer needs, as `predict`, `read` and `detect --models` read photos.
struct ConfidenceOptions: ParsableArguments {
    @Option(help: "Leave a code empty when its confidence (0...1) is below this, rather than risk a wrong one.")
    var minConfidence = AnswerPolicy.defaultMinimumConfidence
    @Option(help: "The confidence an answer needs when a photo's first reading was not sure and other quads were tried.")
    var searchConfidence = 0.99

    func validate() throws {
        guard (0...1).contains(minConfidence), (0...1).contains(searchConfidence) else {
            throw ValidationError("--min-confidence and --search-confidence must be in 0...1")
        }
    }
}

/// Options every long-running subcommand shares.
struct RunOptions: ParsableArguments {
    @Option(help: "Worker threads: image work and XGBoost training (0 = all cores).")
    var threads = 0

    @Flag(name: .shortAndLong, help: "No progress display and no notes on stderr; results still go to stdout, and failures are still summarised.")
    var quiet = false

    func validate() throws {
        guard threads >= 0 else { throw ValidationError("--threads must be 0 (all cores) or more") }
    }

    /// Progress shows only on a terminal, and never under --quiet.
    var progress: ProgressReporter {
        ProgressReporter(isEnabled: !quiet && ProgressReporter.standardErrorIsTerminal)
    }

    /// A note for people on stderr (not under --quiet).
    func note(_ text: String) {
        guard !quiet else { return }
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// Rows that could not be used: one stderr line each (not under --quiet), naming the markup line,
    /// the image and why, then a count per reason (always). Returns `ExitCode.someRowsFailed` when
    /// there are any, for the command to throw once its outputs are written.
    func reportSkipped(_ skipped: [SkippedRow], of split: DatasetSplit) -> ExitCode? {
        guard !skipped.isEmpty else { return nil }
        let markup = split.markupURL.lastPathComponent
        for entry in skipped {
            if entry.reason == .badMarkupRow { note("  \(entry.detail)"); continue }
            let place = split.line(of: entry.path).map { "\(markup):\($0): " } ?? ""
            note("  \(place)\(entry.path): \(entry.reason.rawValue)\(entry.detail.isEmpty ? "" : " (\(entry.detail))")")
        }
        let counts = Dictionary(grouping: skipped, by: \.reason).mapValues(\.count)
        let parts = SkipReason.allCases.compactMap { reason in counts[reason].map { "\($0) \(reason.rawValue)" } }
        standardError("skipped \(skipped.count) of \(split.rowCount) rows: " + parts.joined(separator: ", "))
        return .someRowsFailed
    }
}

/// The feature settings: a preset, and the notebook's band numbers (DATA.md section 3) over it. Unset
/// options take the default preset on `train` and `features`, and the model's own settings on `predict`.
struct FeatureOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Feature preset: \(FeatureConfig.presetNames.joined(separator: ", ")) (default \(FeatureConfig.defaultPresetName)).",
        discussion: """
            notebook = the notebook's exact band histograms; otsu = the same with Otsu's threshold; aligned = \
            binary columns at fixed module positions found from the guard bars; aligned-grey = grey levels there; \
            oriented = also turns strips read upside down; patterns = also each digit slot's match with every \
            L/G/R pattern; local = the grey levels scaled by their neighbours' (glare, shadow). See the README's \
            ablation.
            """))
    var features: String?
    @Option(help: "Columns of the resized strip (default 1200).") var resizedWidth: Int?
    @Option(help: "Rows of the resized strip (default 1000).") var resizedHeight: Int?
    @Option(help: "Grey level above which a pixel is white (default 50).") var greyThreshold: Int?
    @Option(help: "Horizontal bands the strip is split into (default 10).") var bandCount: Int?
    @Option(help: "A band column is 1 when more than this many of its pixels are white (default 99).")
    var columnWhiteCount: Int?
    @Option(help: "First band stacked into the features, 0-based (default 3).") var firstBand: Int?
    @Option(help: "Last band stacked into the features, inclusive (default 6).") var lastBand: Int?

    var isEmpty: Bool {
        features == nil && [resizedWidth, resizedHeight, greyThreshold, bandCount, columnWhiteCount, firstBand, lastBand]
            .allSatisfy { $0 == nil }
    }

    /// The named (or default) preset with every given option applied.
    func config() throws -> FeatureConfig {
        let name = features ?? FeatureConfig.defaultPresetName
        guard var config = FeatureConfig.named(name) else {
            throw ValidationError("unknown feature preset '\(name)'; choose one of \(FeatureConfig.presetNames.joined(separator: ", "))")
        }
        if let resizedWidth { config.resizedWidth = resizedWidth }
        if let resizedHeight { config.resizedHeight = resizedHeight }
        if let greyThreshold { config.greyThreshold = greyThreshold }
        if let bandCount { config.bandCount = bandCount }
        if let columnWhiteCount { config.columnWhiteCount = columnWhiteCount }
        if let firstBand { config.firstStackedBand = firstBand }
        if let lastBand { config.lastStackedBand = lastBand }
        try config.validate()
        return config
    }
}

extension URL {
    init(cliPath path: String) { self.init(fileURLWithPath: (path as NSString).expandingTildeInPath) }
}
