/// How well a localizer's candidates match the true quads: a detection is right when its quad and the
/// truth overlap with an intersection over union of at least `threshold` (corner order aside; the
/// reading direction is counted apart).
public struct DetectionEvaluation: Sendable {
    public struct Outcome: Sendable {
        public var path: String
        /// Candidate quads, best first.
        public var candidates: [Quad]
        public var truth: Quad?
        public var milliseconds: Double

        public init(path: String, candidates: [Quad], truth: Quad?, milliseconds: Double) {
            self.path = path
            self.candidates = candidates
            self.truth = truth
            self.milliseconds = milliseconds
        }
    }

    public var threshold = 0.7
    public let outcomes: [Outcome]

    public init(_ outcomes: [Outcome], threshold: Double = 0.7) {
        self.outcomes = outcomes
        self.threshold = threshold
    }

    /// Images with a true quad.
    public var labelled: [Outcome] { outcomes.filter { $0.truth != nil } }

    public func overlap(_ outcome: Outcome, candidate index: Int) -> Double {
        guard let truth = outcome.truth, index < outcome.candidates.count else { return 0 }
        return QuadOverlap.intersectionOverUnion(outcome.candidates[index], truth)
    }

    /// The first candidate matches.
    public func topIsRight(_ outcome: Outcome) -> Bool { overlap(outcome, candidate: 0) >= threshold }

    /// The first candidate matches and its corners are in the true reading order (not turned by 180°).
    public func topIsRightWayRound(_ outcome: Outcome) -> Bool {
        guard topIsRight(outcome), let truth = outcome.truth else { return false }
        let quad = outcome.candidates[0]
        return Self.cornerDistance(quad, truth) < Self.cornerDistance(quad.rotatedHalfTurn, truth)
    }

    /// One of the first `count` candidates matches.
    public func anyIsRight(_ outcome: Outcome, among count: Int) -> Bool {
        (0..<min(count, outcome.candidates.count)).contains { overlap(outcome, candidate: $0) >= threshold }
    }

    public var medianMilliseconds: Double {
        let times = outcomes.map(\.milliseconds).sorted()
        guard !times.isEmpty else { return .nan }
        return times.count % 2 == 1 ? times[times.count / 2] : (times[times.count / 2 - 1] + times[times.count / 2]) / 2
    }

    /// The rates as a small table for people.
    public func table(among count: Int) -> String {
        let rows = labelled
        let n = rows.count
        func line(_ label: String, _ hits: Int) -> String {
            label.padding(toLength: 40, withPad: " ", startingAt: 0)
                + "\(hits) / \(n)  (\(String(format: "%.1f", n == 0 ? 0 : 100 * Double(hits) / Double(n))) %)"
        }
        let unlabelled = outcomes.filter { $0.truth == nil }
        var lines = [
            "detection at IoU ≥ \(threshold) on \(n) images with a true quad",
            line("top candidate (either direction)", rows.filter(topIsRight).count),
            line("top candidate, reading direction right", rows.filter(topIsRightWayRound).count),
            line("any of the first \(count) candidates", rows.filter { anyIsRight($0, among: count) }.count),
            line("no candidate at all", rows.filter { $0.candidates.isEmpty }.count),
        ]
        if !unlabelled.isEmpty {
            lines.append("images without a true quad: \(unlabelled.count), \(unlabelled.filter { !$0.candidates.isEmpty }.count) with a candidate")
        }
        lines.append(String(format: "median %.2f ms of processor time per image (grey conversion and localization; %d images)",
                            medianMilliseconds, outcomes.count))
        return lines.joined(separator: "\n")
    }

    static func cornerDistance(_ a: Quad, _ b: Quad) -> Double {
        zip(a.corners, b.corners).reduce(0) { $0 + $1.0.distance(to: $1.1) }
    }
}
