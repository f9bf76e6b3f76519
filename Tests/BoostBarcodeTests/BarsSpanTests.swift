import Testing
@testable import BoostBarcode

/// `BarsSpan.find` on made-up edges: bars 3 samples apart (a module of 3 / 1.6 samples by its rule).
@Suite struct BarsSpanTests {
    /// `count` edges from `start`, `spacing` apart, a bar beginning (falling) first.
    static func bars(from start: Double, count: Int, spacing: Double = 3) -> [ProfileEdge] {
        (0..<count).map { ProfileEdge(position: start + Double($0) * spacing, rising: $0 % 2 == 1, strength: 1) }
    }

    static func span(_ edges: [ProfileEdge], halvesGapLimit: Double?) -> BarsSpan? {
        BarsSpan.find(in: edges, middle: 40, window: 20, profileLength: 400, halvesGapLimit: halvesGapLimit)
    }

    /// Two halves of 20 edges either side of a gap of 8 modules (15 samples): joined into one span
    /// when halves may be joined, the middle's half alone when not.
    @Test func joinsTwoHalvesAcrossTheirCentreGuard() throws {
        let left = Self.bars(from: 20, count: 20), right = Self.bars(from: 20 + 19 * 3 + 15, count: 20)
        let joined = try #require(Self.span(left + right, halvesGapLimit: 10))
        #expect(joined.start == 20 && joined.end == right.last!.position && joined.edgeCount == 40)
        let half = try #require(Self.span(left + right, halvesGapLimit: nil))
        #expect(half.start == 20 && half.end == left.last!.position && half.edgeCount == 20)
    }

    /// The half the line's middle is not in may lie either side: the one before is joined too.
    @Test func joinsTheHalfBeforeAsWellAsTheOneAfter() throws {
        let left = Self.bars(from: -50, count: 20), right = Self.bars(from: -50 + 19 * 3 + 15, count: 20)
        #expect(right.first!.position <= 40 && right.last!.position >= 40)
        let joined = try #require(Self.span(left + right, halvesGapLimit: 10))
        #expect(joined.start == -50 && joined.end == right.last!.position)
    }

    /// Not joined: a gap wider than the limit (a quiet zone), print beside the bars that is not alike
    /// (6 edges, or as many edges over twice the width), and two whole symbols of 60 edges side by side.
    @Test func joinsNothingUnlikeAHalf() throws {
        let half = Self.bars(from: 20, count: 20)
        let end = half.last!.position
        let unlike = [
            half + Self.bars(from: end + 25, count: 20),
            half + Self.bars(from: end + 15, count: 6),
            half + Self.bars(from: end + 15, count: 20, spacing: 6),
        ]
        for edges in unlike { #expect(try #require(Self.span(edges, halvesGapLimit: 10)).end == end) }
        let whole = Self.bars(from: 20, count: 60)
        let twoWhole = whole + Self.bars(from: whole.last!.position + 15, count: 60)
        #expect(try #require(Self.span(twoWhole, halvesGapLimit: 10)).end == whole.last!.position)
    }
}
