/// One edge of a grey profile: where the level changes fastest between a bar and a space.
struct ProfileEdge: Equatable {
    /// Sub-sample position in the profile.
    var position: Double
    /// Whether the level rises there (a bar ends, going forward) or falls (a bar begins).
    var rising: Bool
    var strength: Float
}

/// The edges of a 1-D grey profile: peaks of its derivative above a threshold, alternating in sign
/// (of two neighbouring peaks of one sign only the stronger is kept). The threshold follows the local
/// contrast, so that bars under glare or in shadow still count, and stays above the sensor noise, so
/// that a quiet zone stays quiet.
enum ProfileEdges {
    static let defaultRelativeThreshold: Float = 0.1

    /// A peak counts when it reaches `relativeThreshold` of the profile's range within about
    /// `block` samples either side, and `noiseMultiple` times the derivative's noise.
    static func find(in profile: [Float], block: Int = 16, relativeThreshold: Float = defaultRelativeThreshold,
                     noiseMultiple: Float = 1.5, floor: Float = 2) -> [ProfileEdge] {
        let n = profile.count
        guard n >= 3 else { return [] }
        var derivative = [Float](repeating: 0, count: n)
        for i in 1..<n - 1 { derivative[i] = profile[i + 1] - profile[i - 1] }
        func isPeak(_ i: Int) -> Bool {
            let d = derivative[i]
            return d > 0 ? d >= derivative[i - 1] && d > derivative[i + 1] : d <= derivative[i - 1] && d < derivative[i + 1]
        }
        let noiseThreshold = max(floor, noiseMultiple * noiseLevel(derivative))
        let ranges = localRanges(profile, block: block)
        var edges: [ProfileEdge] = []
        for i in 1..<n - 1 where isPeak(i) {
            let b = abs(derivative[i])
            guard b >= noiseThreshold, b >= relativeThreshold * ranges[i / block] else { continue }
            let offset = Double(peakOffset(abs(derivative[i - 1]), b, abs(derivative[i + 1])))
            let edge = ProfileEdge(position: Double(i) + offset, rising: derivative[i] > 0, strength: b)
            if let last = edges.last, last.rising == edge.rising {
                if edge.strength > last.strength { edges[edges.count - 1] = edge }
            } else {
                edges.append(edge)
            }
        }
        return edges
    }

    /// The derivative's noise σ, from its lower quartile: for Gaussian noise a quarter of |d| lies
    /// below 0.32 σ, and the bars' edges take up less than three quarters of a line. (Quartile read
    /// from a histogram of quarter grey levels.)
    private static func noiseLevel(_ derivative: [Float]) -> Float {
        let bins = 2048, binsPerLevel: Float = 4
        var histogram = [Int](repeating: 0, count: bins)
        for d in derivative { histogram[min(bins - 1, Int(abs(d) * binsPerLevel))] += 1 }
        var (count, bin) = (0, 0)
        while bin < bins - 1 {
            count += histogram[bin]
            if count * 4 >= derivative.count { break }
            bin += 1
        }
        return (Float(bin) + 0.5) / binsPerLevel / 0.32
    }

    /// Per block of `block` samples: the profile's maximum minus minimum over it and its two neighbours.
    private static func localRanges(_ profile: [Float], block: Int) -> [Float] {
        let count = (profile.count + block - 1) / block
        var lows = [Float](repeating: .infinity, count: count), highs = [Float](repeating: -.infinity, count: count)
        for (i, value) in profile.enumerated() {
            lows[i / block] = min(lows[i / block], value)
            highs[i / block] = max(highs[i / block], value)
        }
        return (0..<count).map { k in
            let around = max(0, k - 1)...min(count - 1, k + 1)
            return around.map { highs[$0] }.max()! - around.map { lows[$0] }.min()!
        }
    }
}

/// Where the parabola through three neighbouring samples `a`, `b`, `c` (b the largest) peaks, in
/// samples from b's; 0 when they do not bend downwards.
func peakOffset<Value: BinaryFloatingPoint>(_ a: Value, _ b: Value, _ c: Value) -> Value {
    let curvature = a - 2 * b + c
    return curvature < 0 ? 0.5 * (a - c) / curvature : 0
}
