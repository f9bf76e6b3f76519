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
                misread) or not. Lines of either file that cannot be read are listed on stderr and left \
                out (exit status 1).
                """
        )

        @Option(help: "markup.csv with the true codes.") var truth: String
        @Option(help: "answer.csv written by 'predict' (or any file in the same format).") var answer: String
        @Option(help: "Also write the report as JSON to this file.") var json: String?

        func run() throws {
            let truthFile = try MarkupFile.readContents(of: URL(cliPath: truth))
            let answerFile = try MarkupFile.readContents(of: URL(cliPath: answer))
            let report = BoostBarcode.Report(truth: truthFile.rows, answers: answerFile.rows)
            print(report.table)
            if let json { try AtomicFile.write(report.json(), to: URL(cliPath: json)) }
            let problems = truthFile.problems + answerFile.problems
            guard problems.isEmpty else {
                for problem in problems { standardError("  \(problem)") }
                standardError("\(problems.count) markup lines could not be read and were left out of the report")
                throw ExitCode.someRowsFailed
            }
        }
    }
}
