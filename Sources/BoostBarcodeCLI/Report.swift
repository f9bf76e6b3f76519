import ArgumentParser
import BoostBarcode
import Foundation

extension BoostBarcodeCommand {
    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compare an answer file with the truth: per-position and full-code accuracy.",
            discussion: """
                Rows are matched by path. A labelled image with no answer counts as wrong at every \
                position. Wrong answers are split by whether their check digit is valid (an undetectable \
                misread) or not.
                """
        )

        @Option(help: "markup.csv with the true codes.") var truth: String
        @Option(help: "answer.csv written by 'predict' (or any file in the same format).") var answer: String
        @Option(help: "Also write the report as JSON to this file.") var json: String?

        func run() throws {
            let truthRows = try MarkupFile.read(contentsOf: URL(cliPath: truth))
            let answerRows = try MarkupFile.read(contentsOf: URL(cliPath: answer))
            let report = BoostBarcode.Report(truth: truthRows, answers: answerRows)
            print(report.table)
            if let json { try AtomicFile.write(report.json(), to: URL(cliPath: json)) }
        }
    }
}
