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

    public init() {}

    /// Candidates best first, none overlapping an earlier one by more than half; empty when nothing looks like bars.
    public func candidates(in image: Image) -> [BarcodeCandidate] {
        candidates(in: GreyPlane(image))
    }

    public func candidates(in plane: GreyPlane) -> [BarcodeCandidate] {
        regions(in: plane).candidates
    }

    /// The coarse regions as well as the refined candidates (for drawing).
    public func regions(in plane: GreyPlane) -> (regions: [OrientedRectangle], candidates: [BarcodeCandidate]) {
        guard plane.width >= 8, plane.height >= 8 else { return ([], []) }
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
            if regions.contains(where: { QuadOverlap.intersectionOverUnion($0.rectangle.quad, region.rectangle.quad) > 0.3 }) {
                continue
            }
            regions.append(region)
        }
        let refiner = QuadRefiner()
        var kept: [BarcodeCandidate] = []
        for region in regions where kept.count < maximumCandidates {
            guard let candidate = refiner.refine(region, in: plane),
                  !kept.contains(where: { QuadOverlap.intersectionOverUnion($0.quad, candidate.quad) > 0.5 }) else { continue }
            kept.append(candidate)
        }
        return (regions.map(\.rectangle), kept.sorted { $0.score > $1.score })
    }

    private func field(of search: GreyPlane) -> OrientationField {
        OrientationField(search, cellSize: cellSize, smoothingRadius: max(1, max(search.width, search.height) / 320))
    }
}
