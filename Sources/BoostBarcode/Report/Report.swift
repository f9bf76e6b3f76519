import Foundation

/// Accuracy of predicted codes against truth: per position, whole code, and the check-digit verdict.
public struct Report: Codable, Equatable, Sendable {
    /// Truth rows that have a code.
    public var truthRows: Int
    /// Of those, how many have an answer row.
    public var answered: Int
    /// `accuracy[p]`: share of truth rows whose answer has the right digit at position p
    /// (rows with no answer count as wrong).
    public var positionAccuracy: [Double]
    public var positionCorrect: [Int]
    /// Whole 13-digit codes right.
    public var codesCorrect: Int
    public var codeAccuracy: Double
    /// Answers whose check digit is valid (right or wrong).
    public var checkDigitValid: Int
    /// Answers that are wrong although their check digit is valid: the dangerous misreads.
    public var wrongWithValidCheckDigit: Int
    /// Answers that are wrong and fail the check digit: detectable misreads.
    public var wrongWithInvalidCheckDigit: Int
    /// Answer rows whose path has no truth row.
    public var answersWithoutTruth: Int

    /// Compares answer rows with truth rows by `path`.
    public init(truth: [MarkupRow], answers: [MarkupRow]) {
        var answerByPath: [String: EAN13Code] = [:]
        for answer in answers { if let code = answer.code { answerByPath[answer.path] = code } }
        let labelled = truth.filter { $0.code != nil }
        let truthPaths = Set(labelled.map(\.path))
        truthRows = labelled.count
        positionCorrect = Array(repeating: 0, count: 13)
        (answered, codesCorrect, checkDigitValid, wrongWithValidCheckDigit, wrongWithInvalidCheckDigit) = (0, 0, 0, 0, 0)
        for row in labelled {
            guard let predicted = answerByPath[row.path], let actual = row.code else { continue }
            answered += 1
            for p in 0..<13 where predicted.digits[p] == actual.digits[p] { positionCorrect[p] += 1 }
            let valid = predicted.isCheckDigitValid
            if valid { checkDigitValid += 1 }
            if predicted == actual { codesCorrect += 1 }
            else if valid { wrongWithValidCheckDigit += 1 }
            else { wrongWithInvalidCheckDigit += 1 }
        }
        let denominator = Double(max(truthRows, 1))
        positionAccuracy = positionCorrect.map { Double($0) / denominator }
        codeAccuracy = Double(codesCorrect) / denominator
        answersWithoutTruth = Set(answerByPath.keys).subtracting(truthPaths).count
    }

    /// A plain-text table for people.
    public var table: String {
        var lines = ["position  correct  accuracy"]
        for p in 0..<13 {
            lines.append(String(format: "%8d  %7d  %8.4f", p, positionCorrect[p], positionAccuracy[p]))
        }
        lines.append("")
        lines.append(String(format: "full code: %d of %d correct (%.4f)", codesCorrect, truthRows, codeAccuracy))
        lines.append("answered: \(answered) of \(truthRows) labelled images")
        lines.append("check digit valid: \(checkDigitValid) of \(answered) answers")
        lines.append("wrong with a valid check digit: \(wrongWithValidCheckDigit); wrong and failing it: \(wrongWithInvalidCheckDigit)")
        if answersWithoutTruth > 0 { lines.append("answers with no truth row: \(answersWithoutTruth)") }
        return lines.joined(separator: "\n")
    }

    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }
}
