import Foundation

extension Report {
    /// A plain-text report for people. The full confusion matrices are only in `json()`.
    public var table: String {
        var lines = readings == nil ? ["position  correct  accuracy"] : ["position  correct  accuracy  raw digits"]
        for p in 0..<13 {
            var line = String(format: "%8d  %7d  %8.4f", p, positionCorrect[p], positionAccuracy[p])
            if let readings { line += String(format: "  %10.4f", readings.rawPositionAccuracy[p]) }
            lines.append(line)
        }
        lines.append("")
        lines.append(String(format: "full code: %d of %d correct (%.4f)", codesCorrect, truthRows, codeAccuracy))
        lines.append(String(format: "wrong codes: %d of %d (%.2f %%); withheld: %d (%.2f %%)", wrong, truthRows,
                            100 * wrongShare, withheld, 100 * withheldShare))
        lines.append("answered: \(answered) of \(truthRows) labelled images"
                     + (unanswered > 0 ? "; \(unanswered) have no answer row" : ""))
        lines.append("check digit valid: \(checkDigitValid) of \(answered) answers")
        lines.append("wrong with a valid check digit: \(wrongWithValidCheckDigit); wrong and failing it: \(wrongWithInvalidCheckDigit)")
        if answersWithoutTruth > 0 { lines.append("answers with no truth row: \(answersWithoutTruth)") }
        if let readings { lines += readingLines(readings) }
        lines += confusionLines()
        if let difficulty { lines += difficultyLines(difficulty) }
        return lines.joined(separator: "\n")
    }

    private func readingLines(_ readings: ReadingSummary) -> [String] {
        var lines = ["", "readings: \(readings.matched) of \(truthRows) labelled images; \(readings.flipped) read upside down",
                     String(format: "full code, raw digits: %d correct (%.4f), %d pass the check digit",
                            readings.rawCodesCorrect, readings.rawCodeAccuracy, readings.rawCheckDigitValid),
                     String(format: "full code, best valid code: %d correct (%.4f)",
                            readings.constrainedCodesCorrect, readings.constrainedCodeAccuracy),
                     "answering only the codes at least this confident:",
                     "  min confidence  right  withheld  wrong  wrong %"]
        for cut in readings.confidenceCuts {
            lines.append(String(format: "  %14.3f  %5d  %8d  %5d  %7.2f", cut.minConfidence, cut.right, cut.withheld,
                                cut.wrong, 100 * cut.wrongShare))
        }
        return lines
    }

    private func confusionLines() -> [String] {
        guard !topConfusions.isEmpty else { return [] }
        let items = topConfusions.map { "\($0.position): \($0.truth)->\($0.read) x\($0.count)" }
        var lines = ["", "most frequent misreads of the \(confusionSource.rawValue) (position: true->read x count):"]
        for start in stride(from: 0, to: items.count, by: 5) {
            lines.append("  " + items[start..<min(start + 5, items.count)].map { $0.padding(toLength: 16, withPad: " ", startingAt: 0) }
                .joined().trimmingCharacters(in: .whitespaces))
        }
        return lines
    }

    private func difficultyLines(_ difficulty: DifficultyBreakdown) -> [String] {
        var lines = ["", "full code by difficulty factor (share of the bin's rows):",
                     "  factor        bin          rows   right  withheld   wrong" + (readings == nil ? "" : "  best valid")]
        for factor in difficulty.factors {
            for (index, bin) in factor.bins.enumerated() {
                let name = (index == 0 ? factor.factor : "").padding(toLength: 12, withPad: " ", startingAt: 0)
                let rows = Double(max(bin.rows, 1))
                var line = "  \(name)  \(bin.label.padding(toLength: 10, withPad: " ", startingAt: 0))"
                    + String(format: " %6d  %6.3f  %8.3f  %6.3f", bin.rows, bin.accuracy, Double(bin.withheld) / rows,
                             Double(bin.wrong) / rows)
                if let constrained = bin.constrainedRight { line += String(format: "  %10.3f", Double(constrained) / rows) }
                lines.append(line)
            }
        }
        if difficulty.rowsWithoutFactors > 0 { lines.append("  (\(difficulty.rowsWithoutFactors) labelled rows have no factors row)") }
        return lines
    }
}
