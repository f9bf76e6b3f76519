/// Photos read without quads, against the codes they should give: each photo with a true code is
/// right, wrong (a different code was answered) or empty (nothing was answered).
public struct ReadingEvaluation: Sendable {
    public struct Outcome: Sendable {
        public var path: String
        public var answer: EAN13Code?
        public var truth: EAN13Code?
        /// Processor time, PNG decoding included.
        public var milliseconds: Double

        public init(path: String, answer: EAN13Code?, truth: EAN13Code?, milliseconds: Double) {
            self.path = path
            self.answer = answer
            self.truth = truth
            self.milliseconds = milliseconds
        }
    }

    public let outcomes: [Outcome]

    public init(_ outcomes: [Outcome]) {
        self.outcomes = outcomes
    }

    public var labelled: [Outcome] { outcomes.filter { $0.truth != nil } }
    public var right: [Outcome] { labelled.filter { $0.answer != nil && $0.answer == $0.truth } }
    public var wrong: [Outcome] { labelled.filter { $0.answer != nil && $0.answer != $0.truth } }
    public var empty: [Outcome] { labelled.filter { $0.answer == nil } }

    public var medianMilliseconds: Double { Self.median(outcomes.map(\.milliseconds)) }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return .nan }
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    /// The counts as a few lines for people, the wrong and empty photos named.
    public var table: String {
        let n = labelled.count
        func share(_ count: Int) -> String { String(format: "%.1f %%", n == 0 ? 0 : 100 * Double(count) / Double(n)) }
        var lines = ["full code on \(n) photos with a true code: right \(right.count) (\(share(right.count))), "
                     + "wrong \(wrong.count), empty \(empty.count)"]
        if !wrong.isEmpty {
            lines.append("wrong: " + wrong.map { "\($0.path) (\($0.answer!) for \($0.truth!))" }.joined(separator: ", "))
        }
        lines.append(String(format: "median %.2f ms of processor time per photo (PNG decoding, localization, reading; %d photos)",
                            medianMilliseconds, outcomes.count))
        return lines.joined(separator: "\n")
    }
}
