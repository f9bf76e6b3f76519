/// Finds EAN-13 symbols in a photo without being told where they are: a coherence map of the gradient
/// structure tensor on a downscaled copy gives candidate regions, each is refined at full resolution
/// to the quad of its bars region, and the candidates come back best first.
public struct BarcodeLocalizer: Sendable {
    /// The search copy is shrunk by a whole factor until its long side is at most this.
    public var searchLongSide = 640
    /// Search-copy pixels per side of an orientation cell.
    public var cellSize = 4
    /// At most this many regions are refined (the strongest first).
    public var maximumRegions = 8

    public init() {}

    /// Candidates best first, none overlapping another by more than half; empty when nothing looks like bars.
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
        let search = plane.downscaled(by: factor)
        let smoothing = max(1, max(search.width, search.height) / 320)
        let field = OrientationField(search, cellSize: cellSize, smoothingRadius: smoothing)
        let regions = Array(CandidateRegionFinder().regions(in: field, scale: factor).prefix(maximumRegions))
        let refiner = QuadRefiner()
        var found: [BarcodeCandidate] = []
        for region in regions {
            guard let candidate = refiner.refine(region, in: plane) else { continue }
            found.append(candidate)
        }
        found.sort { $0.score > $1.score }
        var kept: [BarcodeCandidate] = []
        for candidate in found where !kept.contains(where: { QuadOverlap.intersectionOverUnion($0.quad, candidate.quad) > 0.5 }) {
            kept.append(candidate)
        }
        return (regions.map(\.rectangle), kept)
    }
}
