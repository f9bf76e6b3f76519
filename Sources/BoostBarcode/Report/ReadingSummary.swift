/// What the readings file adds: how good the model's own digits are (raw, and the best code with a
/// valid check digit) whatever predict chose to answer, and what each confidence cut would give.
public struct ReadingSummary: Codable, Equatable, Sendable {
    /// Labelled rows that have a reading; the shares below are of all labelled rows.
    public var matched: Int
    public var rawPositionCorrect: [Int]
    public var rawPositionAccuracy: [Double]
    /// Raw codes (each position's most probable digit) that are right, and that pass the check digit.
    public var rawCodesCorrect: Int
    public var rawCodeAccuracy: Double
    public var rawCheckDigitValid: Int
    /// Constrained codes (the most probable valid code) that are right.
    public var constrainedCodesCorrect: Int
    public var constrainedCodeAccuracy: Double
    /// Readings whose strip was turned half a turn by the orientation check.
    public var flipped: Int
    /// For each cut: answering only the constrained codes at least this confident.
    public var confidenceCuts: [ConfidenceCut]

    static let cuts = [0, 0.5, 0.8, 0.9, 0.95, 0.98, 0.99, 0.995, 0.999]

    init(truth: [(path: String, code: EAN13Code)], readings: [Reading]) {
        var byPath: [String: Reading] = [:]
        for reading in readings { byPath[reading.path] = reading }
        let matchedPairs = truth.compactMap { row in byPath[row.path].map { (truth: row.code, reading: $0) } }
        let denominator = Double(max(truth.count, 1))
        matched = matchedPairs.count
        rawPositionCorrect = (0..<13).map { p in matchedPairs.count { $0.truth.digits[p] == $0.reading.raw.digits[p] } }
        rawPositionAccuracy = rawPositionCorrect.map { Double($0) / denominator }
        rawCodesCorrect = matchedPairs.count { $0.reading.raw == $0.truth }
        rawCodeAccuracy = Double(rawCodesCorrect) / denominator
        rawCheckDigitValid = matchedPairs.count { $0.reading.raw.isCheckDigitValid }
        constrainedCodesCorrect = matchedPairs.count { $0.reading.constrained == $0.truth }
        constrainedCodeAccuracy = Double(constrainedCodesCorrect) / denominator
        flipped = matchedPairs.count { $0.reading.flipped }
        confidenceCuts = ReadingSummary.cuts.map { cut in
            let answered = matchedPairs.filter { $0.reading.confidence >= cut }
            let right = answered.count { $0.reading.constrained == $0.truth }
            return ConfidenceCut(minConfidence: cut, right: right, wrong: answered.count - right,
                                 withheld: truth.count - answered.count,
                                 wrongShare: Double(answered.count - right) / denominator)
        }
    }
}

/// The outcome of answering only constrained codes with confidence ≥ `minConfidence` (rows without
/// a reading count as withheld).
public struct ConfidenceCut: Codable, Equatable, Sendable {
    public var minConfidence: Double
    public var right: Int
    public var wrong: Int
    public var withheld: Int
    /// `wrong` over all labelled rows.
    public var wrongShare: Double
}
