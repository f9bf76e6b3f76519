/// Guard-aligned module features: sample the symbol and its margins in module units, find the real
/// module grid of every row from the known modules (`GuardAligner`), optionally turn a strip read
/// upside down the right way round, then read each band of rows at fixed positions of the 95 modules.
struct AlignedFeatureExtractor {
    let config: FeatureConfig

    func features(of image: Image, quad: Quad, bend: CylinderBend = .flat,
                  search: GuardAligner.Search = .exhaustive) throws -> ExtractedImageFeatures {
        let strip = try ModuleStrip(image: image, quad: quad, bend: bend)
        let grids = GuardAligner.align(strip, search: search)
        var rows = AlignedRows(strip: strip, grids: grids, samplesPerModule: PatternScores.samplesPerModule)
        var profile = rows.meanProfile
        var scores = PatternScores(profile: profile)
        var flipped = false
        if config.orientationCheck {
            let reversed = rows.reversed
            let reversedProfile = reversed.meanProfile
            let reversedScores = PatternScores(profile: reversedProfile)
            if reversedScores.readingScore > scores.readingScore {
                (rows, profile, scores, flipped) = (reversed, reversedProfile, reversedScores, true)
            }
        }
        var features = bandValues(rows.resampled(samplesPerModule: config.samplesPerModule), levels: LevelNormaliser(profile))
        if config.patternScores { features += scores.features }
        return ExtractedImageFeatures(values: features, flipped: flipped)
    }

    /// Per band of rows, the mean level at every sample position, scaled between the strip's dark and
    /// light levels (grey) or compared with its Otsu threshold (binary).
    private func bandValues(_ rows: AlignedRows, levels: LevelNormaliser) -> [UInt8] {
        let bands = config.alignedBandCount, rowsPerBand = rows.rowCount / bands
        let width = rows.samplesPerRow
        var means = [Float](repeating: 0, count: bands * width)
        for row in 0..<rows.rowCount {
            let band = row / rowsPerBand
            for i in 0..<width { means[band * width + i] += rows.values[row * width + i] / Float(rowsPerBand) }
        }
        func bytes(_ scaled: [Float]) -> [UInt8] { scaled.map { UInt8(max(0, min(255, ($0 * 255).rounded()))) } }
        switch config.values {
        case .grey:
            return bytes(levels.apply(means))
        case .localGrey:
            let floor = LocalLevels.floorShare * max(levels.white - levels.black, 1)
            return (0..<bands).flatMap { band in
                bytes(LocalLevels.apply(Array(means[band * width..<(band + 1) * width]),
                                        radius: LocalLevels.radius * config.samplesPerModule, floor: floor))
            }
        case .binary:
            let threshold: Float = config.threshold == .otsu
                ? Float(OtsuThreshold.level(of: rows.values.map { UInt8(max(0, min(255, $0))) }))
                : Float(config.greyThreshold)
            return means.map { $0 > threshold ? 1 : 0 }
        }
    }
}

/// Each strip row resampled on its own module grid: `samplesPerModule` samples per module over the
/// 95 modules, sample k of module m at m + (k + ½) / samplesPerModule.
struct AlignedRows {
    let rowCount: Int
    let samplesPerRow: Int
    /// `values[row * samplesPerRow + i]`.
    var values: [Float]
    private var source: (strip: ModuleStrip, grids: [GuardAligner.Grid], reversed: Bool)

    init(strip: ModuleStrip, grids: [GuardAligner.Grid], samplesPerModule: Int, reversed: Bool = false) {
        rowCount = ModuleStrip.rowCount
        samplesPerRow = EAN13Symbology.moduleCount * samplesPerModule
        source = (strip, grids, reversed)
        values = [Float](repeating: 0, count: rowCount * samplesPerRow)
        let (columns, rowCount, samplesPerRow) = (ModuleStrip.columnCount, rowCount, samplesPerRow)
        strip.values.withUnsafeBufferPointer { strip in
            values.withUnsafeMutableBufferPointer { values in
                for row in 0..<rowCount {
                    // Upside down, the last row is the first and the last module the first.
                    let sourceRow = reversed ? rowCount - 1 - row : row
                    let profile = UnsafeBufferPointer(rebasing: strip[sourceRow * columns..<(sourceRow + 1) * columns])
                    let grid = grids[sourceRow]
                    for i in 0..<samplesPerRow {
                        var module = (Double(i) + 0.5) / Double(samplesPerModule)
                        if reversed { module = Double(EAN13Symbology.moduleCount) - module }
                        let column = ModuleStrip.column(ofModule: grid.position(ofModule: module))
                        values[row * samplesPerRow + i] = LinearProfile.value(profile, at: column)
                    }
                }
            }
        }
    }

    /// The same rows read upside down: the last row first, each from its last sample. Sample k of n per
    /// module lies at module (k + ½) / n, upside down at 95 − (k + ½) / n, which is where sample 95n − 1 − k
    /// lies: the same values in reverse order, without sampling the strip again (the same bits too when
    /// n is a power of two, as the pattern scores' 4 is: both positions are then exact).
    var reversed: AlignedRows {
        var turned = self
        turned.values.reverse()
        turned.source.reversed.toggle()
        return turned
    }

    /// The same rows at another sampling density.
    func resampled(samplesPerModule: Int) -> AlignedRows {
        guard samplesPerModule * EAN13Symbology.moduleCount != samplesPerRow else { return self }
        return AlignedRows(strip: source.strip, grids: source.grids, samplesPerModule: samplesPerModule,
                           reversed: source.reversed)
    }

    /// The mean of all rows.
    var meanProfile: [Float] {
        var mean = [Float](repeating: 0, count: samplesPerRow)
        for row in 0..<rowCount {
            for i in 0..<samplesPerRow { mean[i] += values[row * samplesPerRow + i] }
        }
        return mean.map { $0 / Float(rowCount) }
    }
}

/// Levels scaled between the darkest and lightest value within a window around each: every 15 modules
/// of an EAN-13 symbol hold a bar and a space (none is wider than 4 modules), so the window always
/// spans the local contrast, whatever glare or shadow lies over it.
enum LocalLevels {
    /// Window half-width, in modules.
    static let radius = 7
    /// The smallest range a window is stretched from, as a share of the strip's own: a window of
    /// nearly one level is noise, not faint bars.
    static let floorShare: Float = 0.05

    static func apply(_ values: [Float], radius: Int, floor: Float) -> [Float] {
        values.indices.map { i in
            let window = values[max(0, i - radius)...min(values.count - 1, i + radius)]
            let (low, high) = (window.min()!, window.max()!)
            return (values[i] - low) / max(high - low, floor)
        }
    }
}
