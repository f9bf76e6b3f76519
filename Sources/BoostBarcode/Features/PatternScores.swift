/// How well each digit slot of an aligned profile matches each EAN-13 digit pattern.
///
/// The profile holds `samplesPerModule` samples per module over modules 0…95, light = high. Each of
/// the twelve encoded slots (seven modules) is correlated (Pearson, so exposure and contrast drop
/// out) with the patterns it may hold: L and G for the left six, R for the right six. The first digit
/// has no slot of its own; it is spelled by which left slots are G, so its evidence is each left
/// slot's best L match minus its best G match, summed with the signs of each first digit's parity.
/// Each pattern may slide up to half a module either way within its slot, which absorbs what the
/// straight-line guard alignment leaves of a quad's perspective error.
struct PatternScores {
    static let samplesPerModule = 4
    static let shifts = -2...2
    /// 6 left slots × 20 patterns, 6 right slots × 10, 6 parity evidences, 10 first-digit scores.
    static let featureCount = 6 * 20 + 6 * 10 + 6 + 10

    /// `left[slot][0..<10]` = L patterns, `[10..<20]` = G patterns; `right[slot][digit]` = R.
    let left: [[Float]]
    let right: [[Float]]

    init(profile: [Float]) {
        precondition(profile.count == EAN13Symbology.moduleCount * Self.samplesPerModule)
        func bestMatch(_ firstModule: Int, _ template: [Float]) -> Float {
            Self.shifts.map { shift in
                let start = firstModule * Self.samplesPerModule + shift
                return Self.correlation(profile[start..<(start + template.count)], template)
            }.max()!
        }
        left = (0..<6).map { s in
            (Self.templates.l + Self.templates.g).map { bestMatch(3 + 7 * s, $0) }
        }
        right = (0..<6).map { s in
            Self.templates.r.map { bestMatch(50 + 7 * s, $0) }
        }
    }

    /// Per left slot: best L correlation minus best G correlation (positive = looks like L).
    var parityEvidence: [Float] {
        left.map { $0[0..<10].max()! - $0[10..<20].max()! }
    }

    /// Per first digit: agreement of the left slots' parity evidence with that digit's parity pattern.
    var firstDigitScores: [Float] {
        let evidence = parityEvidence
        return EAN13Symbology.firstDigitParity.map { parity in
            zip(parity, evidence).reduce(0) { $0 + ($1.0 ? -$1.1 : $1.1) }
        }
    }

    /// How much the profile looks like a symbol read this way round: every slot's best allowed match,
    /// plus the best first-digit agreement (a symbol read backwards has G-only left slots, which no
    /// first digit allows, and reversed L patterns on the right, which match no R).
    var readingScore: Float {
        left.reduce(0) { $0 + $1.max()! } + right.reduce(0) { $0 + $1.max()! } + firstDigitScores.max()!
    }

    /// The features, each scaled to 0…255.
    var features: [UInt8] {
        func byte(_ value: Float, _ range: Float) -> UInt8 {
            UInt8(max(0, min(255, ((value + range) / (2 * range) * 255).rounded())))
        }
        var out: [UInt8] = []
        out.reserveCapacity(Self.featureCount)
        for slot in left { out += slot.map { byte($0, 1) } }
        for slot in right { out += slot.map { byte($0, 1) } }
        out += parityEvidence.map { byte($0, 2) }
        out += firstDigitScores.map { byte($0, 12) }
        return out
    }

    /// Each pattern as light (1) / dark (0) samples.
    private static let templates: (l: [[Float]], g: [[Float]], r: [[Float]]) = {
        func samples(_ pattern: [Bool]) -> [Float] {
            pattern.flatMap { bar in Array(repeating: bar ? Float(0) : 1, count: samplesPerModule) }
        }
        return (EAN13Symbology.lPatterns.map(samples), EAN13Symbology.gPatterns.map(samples),
                EAN13Symbology.rPatterns.map(samples))
    }()

    /// Pearson correlation; 0 when either side is flat.
    static func correlation(_ a: ArraySlice<Float>, _ b: [Float]) -> Float {
        let n = Float(b.count)
        var sumA: Float = 0, sumB: Float = 0
        for (x, y) in zip(a, b) { sumA += x; sumB += y }
        let meanA = sumA / n, meanB = sumB / n
        var sab: Float = 0, saa: Float = 0, sbb: Float = 0
        for (x, y) in zip(a, b) {
            let (da, db) = (x - meanA, y - meanB)
            sab += da * db; saa += da * da; sbb += db * db
        }
        let denominator = (saa * sbb).squareRoot()
        return denominator > 1e-6 ? sab / denominator : 0
    }
}
