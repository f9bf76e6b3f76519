/// Otsu's threshold: the grey level that best splits a histogram into two classes (maximum
/// between-class variance). Levels above it are white, as with `cv2.threshold(..., THRESH_OTSU)`.
enum OtsuThreshold {
    static func level(of pixels: some Sequence<UInt8>) -> Int {
        var histogram = [Double](repeating: 0, count: 256)
        var count = 0.0
        for p in pixels { histogram[Int(p)] += 1; count += 1 }
        guard count > 0 else { return 127 }
        let totalSum = histogram.indices.reduce(0.0) { $0 + Double($1) * histogram[$1] }
        var (weightBelow, sumBelow) = (0.0, 0.0)
        var best = (variance: -1.0, level: 0)
        for level in 0..<256 {
            weightBelow += histogram[level]
            sumBelow += Double(level) * histogram[level]
            let weightAbove = count - weightBelow
            guard weightBelow > 0, weightAbove > 0 else { continue }
            let meanBelow = sumBelow / weightBelow, meanAbove = (totalSum - sumBelow) / weightAbove
            let variance = weightBelow * weightAbove * (meanBelow - meanAbove) * (meanBelow - meanAbove)
            if variance > best.variance { best = (variance, level) }
        }
        return best.level
    }
}
