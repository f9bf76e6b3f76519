/// Where the bars begin and end on one line across them, found from the line's edges: starting at the
/// edge nearest the middle, the span grows over gaps of up to 5.5 modules (an EAN-13 bar or space is
/// at most 4 modules wide, a quiet zone at least 7), and it starts with a bar's falling edge and ends
/// with a bar's rising edge. An EAN-13 symbol has 60 edges over 95 modules, so the module is taken as
/// the mean gap between edges near the middle over 1.6.
struct BarsSpan: Equatable {
    /// Profile positions of the outer edges of the first and last bar.
    var start: Double
    var end: Double
    var edgeCount: Int
    /// The module width measured near the middle, in profile samples.
    var module: Double
    /// Standard deviation of the gaps between the span's edges over their mean: about 0.45–0.6 for
    /// EAN-13 (bars and spaces of 1 to 4 modules), much less for regular stripes.
    var widthVariation: Double
    /// Whether the span's quiet zone could not be confirmed on one side, because the profile ended first.
    var isCut: Bool

    /// `window` is how far from `middle` edges count for the typical spacing.
    static func find(in edges: [ProfileEdge], middle: Double, window: Double, profileLength: Int,
                     gapLimit: Double = 5.5, minimumEdges: Int = 12) -> BarsSpan? {
        let nearby = edges.filter { abs($0.position - middle) <= window }
        guard nearby.count >= 5 else { return nil }
        let gaps = zip(nearby.dropFirst(), nearby).map { $0.position - $1.position }.sorted()
        let module = gaps.reduce(0, +) / Double(gaps.count) / 1.6
        let largestGap = gapLimit * module
        guard let nearest = edges.indices.min(by: { abs(edges[$0].position - middle) < abs(edges[$1].position - middle) })
        else { return nil }
        var (first, last) = (nearest, nearest)
        while first > 0, edges[first].position - edges[first - 1].position <= largestGap { first -= 1 }
        while last < edges.count - 1, edges[last + 1].position - edges[last].position <= largestGap { last += 1 }
        if edges[first].rising { first += 1 }
        if !edges[last].rising { last -= 1 }
        guard last - first + 1 >= minimumEdges else { return nil }
        let isCut = edges[first].position - largestGap < 0 || edges[last].position + largestGap > Double(profileLength - 1)
        let widths = (first..<last).map { edges[$0 + 1].position - edges[$0].position }
        let mean = widths.reduce(0, +) / Double(widths.count)
        let deviation = (widths.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(widths.count)).squareRoot()
        return BarsSpan(start: edges[first].position, end: edges[last].position, edgeCount: last - first + 1,
                        module: module, widthVariation: deviation / mean, isCut: isCut)
    }
}
