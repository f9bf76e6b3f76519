import Foundation

/// How a synthetic dataset was drawn, written as `synth.json` beside its splits: the seed, the counts,
/// the quad jitter and every generator setting, so that the dataset says how to make it again (the
/// unseen set's settings, fixed before any tuning, are on record with its pictures).
public struct SynthRecord: Codable, Equatable, Sendable {
    public static let fileName = "synth.json"

    public var seed: UInt64
    public var trainCount: Int
    public var testCount: Int
    public var trainJitter: Double
    public var trainJitterAlongBars: Double
    public var testJitter: Double
    public var testJitterAlongBars: Double
    /// Lower and upper bound.
    public var longSide: [Int]
    public var moduleWidth: [Double]
    public var hardCases: Bool
    public var softFocusShare: Double
    public var lensDefocusShare: Double
    /// Nil (the key left out): a manufacturer of its own for every code (`synth --companies any`).
    public var companiesPerPrefix: Int?
    /// `CameraEffect` names, sorted.
    public var withoutEffects: [String]

    public init(_ generator: DatasetGenerator) {
        let settings = generator.settings
        seed = generator.seed
        (trainCount, testCount) = (generator.trainCount, generator.testCount)
        (trainJitter, trainJitterAlongBars) = (generator.trainJitter.fraction, generator.trainJitter.alongBarsFraction)
        (testJitter, testJitterAlongBars) = (generator.testJitter.fraction, generator.testJitter.alongBarsFraction)
        longSide = [settings.longSide.lowerBound, settings.longSide.upperBound]
        moduleWidth = [settings.moduleWidth.lowerBound, settings.moduleWidth.upperBound]
        hardCases = settings.hardCases
        softFocusShare = settings.softFocusShare
        lensDefocusShare = settings.lensDefocusShare
        companiesPerPrefix = settings.companiesPerPrefix
        withoutEffects = settings.withoutEffects.map(\.rawValue).sorted()
    }

    /// The record as written: pretty-printed JSON with sorted keys.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        var data = try encoder.encode(self)
        data.append(0x0A)
        return data
    }

    public static func read(contentsOf url: URL) throws -> SynthRecord {
        try JSONDecoder().decode(SynthRecord.self, from: Data(contentsOf: url))
    }
}
