import ArgumentParser
import BoostBarcode
import Foundation

extension BoostBarcodeCommand {
    struct Features: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a split's features (and labels) as NumPy .npy files.",
            discussion: """
                X has one row per usable image and one column per feature (4800 with --features notebook, \
                values 0 or 1; the aligned presets give 0...255); y has one row per image and 13 columns, the digits. Rows are in \
                markup order; rows without an image or quad (or, with --labels, without a code) are skipped. \
                In Python: X = np.load("X.npy"); y = np.load("y.npy").
                """
        )

        @Option(help: "Split folder (holding markup.csv and Images/).") var data: String
        @Option(help: "Feature matrix file to write (.npy).") var out: String
        @Option(help: "Label file to write (.npy, 13 digit columns); needs codes in the markup.") var labels: String?
        @Option(help: "Element type of the feature matrix: uint8 or float32.") var dtype: NumPyFile.ElementType = .uint8
        @OptionGroup var common: RunOptions
        @OptionGroup(title: "Feature settings") var featureOptions: FeatureOptions

        func run() throws {
            let config = try featureOptions.config()
            let split = try DatasetSplit(root: URL(cliPath: data))
            let extraction = FeatureExtraction(extractor: try FeatureExtractor(config: config), threads: common.threads)
            let extracted = extraction.extract(split, requireCodes: labels != nil, progress: common.progress)
            common.noteSkipped(extracted.skipped, total: split.allRows.count)
            let matrix = extracted.features
            try NumPyFile.write(matrix.values, shape: [matrix.rowCount, matrix.columnCount], as: dtype, to: URL(cliPath: out))
            if let labels {
                let digits = extracted.rows.flatMap { $0.code!.digits }
                try NumPyFile.write(digits, shape: [extracted.rows.count, 13], as: .uint8, to: URL(cliPath: labels))
            }
            common.note("wrote \(matrix.rowCount) × \(matrix.columnCount) features to \(out)")
        }
    }
}

extension NumPyFile.ElementType: ExpressibleByArgument {}
