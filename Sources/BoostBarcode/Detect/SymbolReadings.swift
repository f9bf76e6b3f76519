/// A photo's answered readings, one per symbol (`PhotoReader.readAll`): a reading of a symbol kept
/// already replaces it when more confident and is dropped otherwise. Two readings are of the same symbol
/// when their quads overlap by more than `sameSymbolOverlap` (intersection over union; a reading's quad
/// may be a variant of its candidate's, such as its upper part), or give the same code and overlap at
/// all. Two labels of one product are two symbols.
struct SymbolReadings {
    static let sameSymbolOverlap = 0.3
    private var kept: [PhotoReader.Reading] = []

    /// Keeps `reading` when it has a code (and so a quad).
    mutating func add(_ reading: PhotoReader.Reading) {
        guard let code = reading.code, let quad = reading.quad, let confidence = reading.decoded?.confidence else { return }
        guard let same = kept.firstIndex(where: { Self.sameSymbol($0, quad, code) }) else {
            kept.append(reading)
            return
        }
        if confidence > kept[same].decoded!.confidence { kept[same] = reading }
    }

    /// Whether a reading of `quad` would be of a symbol kept, whatever its code.
    func covers(_ quad: Quad) -> Bool {
        kept.contains { QuadOverlap.intersectionOverUnion($0.quad!, quad) > Self.sameSymbolOverlap }
    }

    /// The readings kept, the most confident first (of equals, the one kept first).
    var mostConfidentFirst: [PhotoReader.Reading] {
        kept.enumerated().sorted { a, b in
            let (x, y) = (a.element.decoded!.confidence, b.element.decoded!.confidence)
            return x != y ? x > y : a.offset < b.offset
        }.map(\.element)
    }

    private static func sameSymbol(_ reading: PhotoReader.Reading, _ quad: Quad, _ code: EAN13Code) -> Bool {
        let overlap = QuadOverlap.intersectionOverUnion(reading.quad!, quad)
        return overlap > sameSymbolOverlap || (reading.code == code && overlap > 0)
    }
}
