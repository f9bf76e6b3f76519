/// One edge of a grey profile: where the level changes fastest between a bar and a space.
struct ProfileEdge: Equatable {
    /// Sub-sample position in the profile.
    var position: Double
    /// Whether the level rises there (a bar ends, going forward) or falls (a bar begins).
    var rising: Bool
    var strength: Float
}

/// The edges of a 1-D grey profile: peaks of its derivative above a threshold, alternating in sign
/// (of two neighbouring peaks of one sign only the stronger is kept).
enum ProfileEdges {
    /// `reference` is the part of the profile the threshold is measured on: a peak counts when it
    /// reaches `relativeThreshold` of the 90th percentile of the reference's peaks, and `floor` in any case.
    static func find(in profile: [Float], reference: Range<Int>, relativeThreshold: Float = 0.2,
                     floor: Float = 3) -> [ProfileEdge] {
        let n = profile.count
        guard n >= 3 else { return [] }
        var derivative = [Float](repeating: 0, count: n)
        for i in 1..<n - 1 { derivative[i] = profile[i + 1] - profile[i - 1] }
        func isPeak(_ i: Int) -> Bool {
            let d = derivative[i]
            return d > 0 ? d >= derivative[i - 1] && d > derivative[i + 1] : d <= derivative[i - 1] && d < derivative[i + 1]
        }
        let (low, high) = (max(1, reference.lowerBound), min(n - 1, reference.upperBound))
        var referencePeaks: [Float] = []
        if low < high {
            for i in low..<high where derivative[i] != 0 && isPeak(i) { referencePeaks.append(abs(derivative[i])) }
        }
        referencePeaks.sort()
        let typical = referencePeaks.isEmpty ? 0 : referencePeaks[referencePeaks.count * 9 / 10]
        let threshold = max(floor, relativeThreshold * typical)
        var edges: [ProfileEdge] = []
        for i in 1..<n - 1 where abs(derivative[i]) >= threshold && isPeak(i) {
            let (a, b, c) = (abs(derivative[i - 1]), abs(derivative[i]), abs(derivative[i + 1]))
            let curvature = a - 2 * b + c
            let offset = curvature < 0 ? Double(0.5 * (a - c) / curvature) : 0
            let edge = ProfileEdge(position: Double(i) + offset, rising: derivative[i] > 0, strength: b)
            if let last = edges.last, last.rising == edge.rising {
                if edge.strength > last.strength { edges[edges.count - 1] = edge }
            } else {
                edges.append(edge)
            }
        }
        return edges
    }
}
