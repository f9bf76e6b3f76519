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
                broken down by module width, blur, tilt, rotation, contrast and picture size. Lines of either file that cannot be read are \
                listed on stderr and left out (exit status 1).
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
            let truthFile = try MarkupFile.readContents(of: truthURL)
            let answerFile = try MarkupFile.readContents(of: answerURL)
            let readingsURL = readings.map(URL.init(cliPath:)) ?? existing(ReadingsFile.url(besideAnswer: answerURL))
            let factorsURL = factors.map(URL.init(cliPath:)) ?? existing(FactorsFile.url(besideMarkup: truthURL))
            let report = BoostBarcode.Report(
                truth: truthFile.rows, answers: answerFile.rows,
                readings: try readingsURL.map(ReadingsFile.read(contentsOf:)),
                factors: try factorsURL.map(FactorsFile.read(contentsOf:)))
            for (name, url) in [("readings", readingsURL), ("factors", factorsURL)] {
                if let url { standardError("\(name): \(url.path)") }
            }
            print(report.table)
            if let json { try AtomicFile.write(report.json(), to: URL(cliPath: json)) }
            if let png { try AtomicFile.write(AccuracyChart(report: report).png(), to: URL(cliPath: png)) }
            let problems = truthFile.problems + answerFile.problems
            guard problems.isEmpty else {
                for problem in problems { standardError("  \(problem)") }
                standardError("\(problems.count) markup lines could not be read and were left out of the report")
                throw ExitCode.someRowsFailed
            }
        }

        private func existing(_ url: URL) -> URL? { FileManager.default.fileExists(atPath: url.path) ? url : nil }
    }
}
