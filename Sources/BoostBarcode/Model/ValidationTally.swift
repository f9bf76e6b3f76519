/// What a training counted: its rows, and how many validation images each position, and the whole
/// code, read right. Counts rather than shares, so that the workers of a distributed training can add theirs.
struct ValidationTally {
    var trainingRows: Int
    var validationRows: Int
    var correctDigits: [Int]
    var correctCodes: Int

    /// `predictions[position][row]`: each position's digits for the validation rows, whose codes are
    /// `codes` (both empty without validation).
    init(trainingRows: Int, predictions: [[UInt8]], codes: [EAN13Code]) {
        precondition(predictions.isEmpty ? codes.isEmpty : predictions.count == CodeModel.positionCount)
        precondition(predictions.allSatisfy { $0.count == codes.count })
        self.trainingRows = trainingRows
        validationRows = codes.count
        correctDigits = (0..<CodeModel.positionCount).map { position in
            predictions.isEmpty ? 0 : zip(predictions[position], codes).filter { $0 == $1.digits[position] }.count
        }
        correctCodes = predictions.isEmpty ? 0 : codes.indices.filter { row in
            (0..<CodeModel.positionCount).allSatisfy { predictions[$0][row] == codes[row].digits[$0] }
        }.count
    }

    /// The counts of all workers added up.
    func summed(over collective: Collective) throws -> ValidationTally {
        let all = try collective.sum(([trainingRows, validationRows, correctCodes] + correctDigits).map(Int64.init)).map(Int.init)
        var total = self
        (total.trainingRows, total.validationRows, total.correctCodes) = (all[0], all[1], all[2])
        total.correctDigits = Array(all[3...])
        return total
    }

    func digitAccuracy(position: Int) -> Double? {
        validationRows == 0 ? nil : Double(correctDigits[position]) / Double(validationRows)
    }

    var codeAccuracy: Double? { validationRows == 0 ? nil : Double(correctCodes) / Double(validationRows) }
}
