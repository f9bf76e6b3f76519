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
        let windows = Self.shifts.count
        // Every pattern of a slot is compared with the same five windows of the profile: each window is
        // centred once, and each pattern's centred samples are fixed.
        func bestMatches(_ firstModule: Int, _ patterns: [CentredSamples]) -> [Float] {
            let centred = Self.shifts.map { shift in
                CentredSamples(profile[(firstModule * Self.samplesPerModule + shift)...].prefix(Self.slotSamples))
            }
            return patterns.map { pattern in
                var best = -Float.infinity
                for window in 0..<windows { best = max(best, centred[window].correlation(with: pattern)) }
                return best
            }
        }
        left = (0..<6).map { bestMatches(3 + 7 * $0, Self.templates.l + Self.templates.g) }
        right = (0..<6).map { bestMatches(50 + 7 * $0, Self.templates.r) }
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

    /// Samples in a digit slot: seven modules.
    static let slotSamples = 7 * samplesPerModule

    /// Each pattern as light (1) / dark (0) samples, centred.
    private static let templates: (l: [CentredSamples], g: [CentredSamples], r: [CentredSamples]) = {
        func samples(_ pattern: [Bool]) -> CentredSamples {
            CentredSamples(pattern.flatMap { bar in Array(repeating: bar ? Float(0) : 1, count: samplesPerModule) }[...])
        }
        return (EAN13Symbology.lPatterns.map(samples), EAN13Symbology.gPatterns.map(samples),
                EAN13Symbology.rPatterns.map(samples))
    }()
}

/// Samples less their mean, and the sum of their squares: one side of a Pearson correlation.
struct CentredSamples {
    let values: [Float]
    let squares: Float

    init(_ samples: ArraySlice<Float>) {
        var sum: Float = 0
        for x in samples { sum += x }
        let mean = sum / Float(samples.count)
        values = samples.map { $0 - mean }
        var squares: Float = 0
        for d in values { squares += d * d }
        self.squares = squares
    }

    /// Pearson correlation with as many other samples; 0 when either side is flat.
    func correlation(with other: CentredSamples) -> Float {
        precondition(values.count == other.values.count)
        var products: Float = 0
        values.withUnsafeBufferPointer { a in
            other.values.withUnsafeBufferPointer { b in
                for i in 0..<a.count { products += a[i] * b[i] }
            }
        }
        let denominator = (squares * other.squares).squareRoot()
        return denominator > 1e-6 ? products / denominator : 0
    }
}
