import ArgumentParser
import BoostBarcode
import Foundation

extension BoostBarcodeCommand {
    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compare an answer file with the truth: per-position and full-code accuracy, and more.",
            discussion: """
                Rows are matched by path. Each labelled image is right, wrong, withheld (an empty answer) \
                or has no answer row; a labelled image with no answer counts as wrong at every position. \
                Wrong answers are split by whether their check digit is valid (an undetectable misread) or \
                not. With predict's readings file, the raw and best-valid codes are scored too and the \
                confusions are those of the raw digits; with synth's factors.csv, full-code accuracy is \
                broken down by module width, blur, tilt, rotation, contrast and picture size.
                """
        )

        @Option(help: "markup.csv with the true codes.") var truth: String
        @Option(help: "answer.csv written by 'predict' (or any file in the same format).") var answer: String
        @Option(help: "Predict's readings file (default: ANSWER's name with .readings.csv, when it exists).")
        var readings: String?
        @Option(help: "Synth's factors.csv (default: factors.csv beside TRUTH, when it exists).") var factors: String?
        @Option(help: "Also write the report as JSON to this file.") var json: String?
        @Option(help: ArgumentHelp("Also draw the per-position accuracy as a bar chart.", valueName: "file.png"))
        var png: String?

        func run() throws {
            let truthURL = URL(cliPath: truth), answerURL = URL(cliPath: answer)
            let readingsURL = readings.map(URL.init(cliPath:)) ?? existing(ReadingsFile.url(besideAnswer: answerURL))
            let factorsURL = factors.map(URL.init(cliPath:)) ?? existing(FactorsFile.url(besideMarkup: truthURL))
            let report = BoostBarcode.Report(
                truth: try MarkupFile.read(contentsOf: truthURL), answers: try MarkupFile.read(contentsOf: answerURL),
                readings: try readingsURL.map(ReadingsFile.read(contentsOf:)),
                factors: try factorsURL.map(FactorsFile.read(contentsOf:)))
            for (name, url) in [("readings", readingsURL), ("factors", factorsURL)] {
                if let url { FileHandle.standardError.write(Data("\(name): \(url.path)\n".utf8)) }
            }
            print(report.table)
            if let json { try AtomicFile.write(report.json(), to: URL(cliPath: json)) }
            if let png { try AtomicFile.write(AccuracyChart(report: report).png(), to: URL(cliPath: png)) }
        }

        private func existing(_ url: URL) -> URL? { FileManager.default.fileExists(atPath: url.path) ? url : nil }
    }
}
