import Foundation

/// Accuracy of predicted codes against truth: per position, whole code, the check-digit verdict,
/// what was withheld, digit confusions, and, given predict's readings and synth's difficulty factors,
/// the model's raw and constrained accuracy and accuracy by difficulty.
///
/// Every labelled truth row ends up right, wrong, withheld (an answer row with an empty code) or
/// unanswered (no answer row); the shares are of all labelled rows.
public struct Report: Codable, Equatable, Sendable {
    /// Truth rows that have a code.
    public var truthRows: Int
    /// Of those, how many have an answer row with a code.
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
    /// Answered with a wrong code, and that as a share of the labelled rows (a target figure).
    public var wrong: Int
    public var wrongShare: Double
    /// Answer rows left empty (predict withheld a code it was not confident of), and their share.
    public var withheld: Int
    public var withheldShare: Double
    /// Labelled rows with no answer row at all (predict skipped the image).
    public var unanswered: Int
    /// Digit confusions of the raw readings when there are readings, else of the answers.
    public var confusion: DigitConfusion
    public var confusionSource: ConfusionSource
    /// The ten most frequent misreads in `confusion`.
    public var topConfusions: [Misread]
    /// Present when readings were given.
    public var readings: ReadingSummary?
    /// Present when difficulty factors were given.
    public var difficulty: DifficultyBreakdown?

    public enum ConfusionSource: String, Codable, Sendable {
        case rawReadings = "raw readings"
        case answers
    }

    /// Compares answer rows (and readings, and factors) with truth rows by `path`.
    public init(truth: [MarkupRow], answers: [MarkupRow], readings: [Reading]? = nil, factors: [DifficultyFactors]? = nil) {
        var answerByPath: [String: EAN13Code?] = [:]
        for answer in answers { answerByPath[answer.path] = answer.code }
        let labelled = truth.compactMap { row in row.code.map { (path: row.path, code: $0) } }
        truthRows = labelled.count
        positionCorrect = Array(repeating: 0, count: 13)
        (answered, codesCorrect, checkDigitValid, wrongWithValidCheckDigit, wrongWithInvalidCheckDigit) = (0, 0, 0, 0, 0)
        (withheld, unanswered) = (0, 0)
        confusion = DigitConfusion()
        var outcomes: [String: Outcome] = [:]
        for row in labelled {
            guard let answerRow = answerByPath[row.path] else { unanswered += 1; outcomes[row.path] = .withheld; continue }
            guard let predicted = answerRow else { withheld += 1; outcomes[row.path] = .withheld; continue }
            answered += 1
            if readings == nil { confusion.add(truth: row.code, read: predicted) }
            for p in 0..<13 where predicted.digits[p] == row.code.digits[p] { positionCorrect[p] += 1 }
            let valid = predicted.isCheckDigitValid
            if valid { checkDigitValid += 1 }
            if predicted == row.code { codesCorrect += 1 }
            else if valid { wrongWithValidCheckDigit += 1 }
            else { wrongWithInvalidCheckDigit += 1 }
            outcomes[row.path] = predicted == row.code ? .right : .wrong
        }
        let denominator = Double(max(truthRows, 1))
        positionAccuracy = positionCorrect.map { Double($0) / denominator }
        codeAccuracy = Double(codesCorrect) / denominator
        wrong = answered - codesCorrect
        wrongShare = Double(wrong) / denominator
        withheldShare = Double(withheld) / denominator
        answersWithoutTruth = Set(answerByPath.keys).subtracting(labelled.map(\.path)).count

        confusionSource = readings == nil ? .answers : .rawReadings
        var constrainedRight: Set<String>?
        if let readings {
            let truthByPath = Dictionary(labelled.map { ($0.path, $0.code) }, uniquingKeysWith: { first, _ in first })
            for reading in Dictionary(readings.map { ($0.path, $0) }, uniquingKeysWith: { _, last in last }).values {
                if let code = truthByPath[reading.path] { confusion.add(truth: code, read: reading.raw) }
            }
            self.readings = ReadingSummary(truth: labelled, readings: readings)
            constrainedRight = Set(readings.filter { truthByPath[$0.path] == $0.constrained }.map(\.path))
        }
        topConfusions = confusion.mostFrequent(10)
        if let factors {
            difficulty = DifficultyBreakdown(outcomes: outcomes, factors: factors, constrainedRight: constrainedRight)
        }
    }

    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }
}

/// What became of one labelled row; unanswered rows count as withheld.
enum Outcome {
    case right, wrong, withheld
}

extension DifficultyBreakdown {
    /// Tallies each labelled row (a key of `outcomes`) into one bin per factor.
    init(outcomes: [String: Outcome], factors: [DifficultyFactors], constrainedRight: Set<String>?) {
        let factorsByPath = Dictionary(factors.map { ($0.path, $0) }, uniquingKeysWith: { _, last in last })
        var tables = FactorBinning.all.map { $0.emptyBins(countingConstrained: constrainedRight != nil) }
        for (path, outcome) in outcomes {
            guard let rowFactors = factorsByPath[path] else { continue }
            for (factor, binning) in FactorBinning.all.enumerated() {
                let index = binning.bin(of: rowFactors)
                tables[factor][index].rows += 1
                switch outcome {
                case .right: tables[factor][index].right += 1
                case .wrong: tables[factor][index].wrong += 1
                case .withheld: tables[factor][index].withheld += 1
                }
                if constrainedRight?.contains(path) == true { tables[factor][index].constrainedRight! += 1 }
            }
        }
        self.factors = zip(FactorBinning.all, tables).map { binning, bins in
            FactorAccuracy(factor: binning.factor, bins: bins.map { bin in
                var bin = bin
                bin.accuracy = Double(bin.right) / Double(max(bin.rows, 1))
                return bin
            })
        }
        rowsWithoutFactors = outcomes.keys.count { factorsByPath[$0] == nil }
    }
}
