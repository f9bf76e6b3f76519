/// Where the bars begin and end on one line across them, found from the line's edges: starting at the
/// edge nearest the middle, the span grows over gaps of up to 5.5 modules (an EAN-13 bar or space is
/// at most 4 modules wide, a quiet zone at least 7), and it starts with a bar's falling edge and ends
/// with a bar's rising edge. An EAN-13 symbol has 60 edges over 95 modules, so the module is taken as
/// the mean gap between edges near the middle over 1.6.
///
/// Behind a lens disc the centre guard's thin bars and spaces blur to a grey without edges, and with
/// them the bars beside it: the line then shows two spans, one per half, across a gap as wide as a
/// quiet zone. A span of 8 to 39 edges (`halvesFewestEdges`, `halvesMostEdges`) that meets, across a
/// gap of up to `halvesGapLimit` modules, a span alike in width (within a quarter) and in edges
/// (within 35 %) is joined with it: two halves of one symbol look alike, a half and the text or
/// print beside it seldom do, and a whole symbol (60 edges, fewer blurred) is not split.
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

    /// Each of two halves joined across their centre guard has at least `halvesFewestEdges` edges and
    /// fewer than `halvesMostEdges` (`find`'s `halvesGapLimit`).
    static let halvesFewestEdges = 8, halvesMostEdges = 40

    /// `window` is how far from `middle` edges count for the typical spacing.
    static func find(in edges: [ProfileEdge], middle: Double, window: Double, profileLength: Int,
                     gapLimit: Double = 5.5, minimumEdges: Int = 12, halvesGapLimit: Double? = nil) -> BarsSpan? {
        let nearby = edges.filter { abs($0.position - middle) <= window }
        guard nearby.count >= 5 else { return nil }
        let gaps = zip(nearby.dropFirst(), nearby).map { $0.position - $1.position }.sorted()
        let module = gaps.reduce(0, +) / Double(gaps.count) / 1.6
        let largestGap = gapLimit * module
        guard let nearest = edges.indices.min(by: { abs(edges[$0].position - middle) < abs(edges[$1].position - middle) })
        else { return nil }
        // The edges a span grows to from `seed`, over gaps of up to `largestGap`.
        func grown(from seed: Int) -> ClosedRange<Int> {
            var (first, last) = (seed, seed)
            while first > 0, edges[first].position - edges[first - 1].position <= largestGap { first -= 1 }
            while last < edges.count - 1, edges[last + 1].position - edges[last].position <= largestGap { last += 1 }
            return first...last
        }
        var span = grown(from: nearest)
        if let halvesGapLimit {
            func alike(_ a: ClosedRange<Int>, _ b: ClosedRange<Int>) -> Bool {
                let (widthA, widthB) = (edges[a.upperBound].position - edges[a.lowerBound].position,
                                        edges[b.upperBound].position - edges[b.lowerBound].position)
                let (edgesA, edgesB) = (Double(a.count), Double(b.count))
                return [edgesA, edgesB].allSatisfy { $0 >= Double(halvesFewestEdges) && $0 < Double(halvesMostEdges) }
                    && abs(widthA - widthB) <= 0.25 * max(widthA, widthB) && abs(edgesA - edgesB) <= 0.35 * max(edgesA, edgesB)
            }
            let reach = halvesGapLimit * module
            if span.upperBound < edges.count - 1, edges[span.upperBound + 1].position - edges[span.upperBound].position <= reach,
               case let next = grown(from: span.upperBound + 1), alike(span, next) {
                span = span.lowerBound...next.upperBound
            } else if span.lowerBound > 0, edges[span.lowerBound].position - edges[span.lowerBound - 1].position <= reach,
                      case let previous = grown(from: span.lowerBound - 1), alike(previous, span) {
                span = previous.lowerBound...span.upperBound
            }
        }
        var (first, last) = (span.lowerBound, span.upperBound)
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
