import Foundation

/// How a synthetic dataset was drawn, written as `synth.json` beside its splits: the seed, the counts,
/// the quad jitter and the generator's settings whole, so that the dataset says how to make it again
/// (the unseen set's settings, fixed before any tuning, are on record with its pictures).
public struct SynthRecord: Codable, Equatable, Sendable {
    public static let fileName = "synth.json"

    public var seed: UInt64
    public var trainCount: Int
    public var testCount: Int
    public var trainJitter: QuadJitter
    public var testJitter: QuadJitter
    /// Ranges as [lower, upper]; `companiesPerPrefix` left out when nil (`synth --companies any`).
    public var settings: SynthSettings

    public init(_ generator: DatasetGenerator) {
        seed = generator.seed
        (trainCount, testCount) = (generator.trainCount, generator.testCount)
        (trainJitter, testJitter) = (generator.trainJitter, generator.testJitter)
        settings = generator.settings
    }

    /// A generator that draws the recorded dataset again (on its default threads).
    public var generator: DatasetGenerator {
        var generator = DatasetGenerator(trainCount: trainCount, testCount: testCount, seed: seed)
        (generator.trainJitter, generator.testJitter, generator.settings) = (trainJitter, testJitter, settings)
        return generator
    }

    /// The record as written: pretty-printed JSON with sorted keys.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        var data = try encoder.encode(self)
        data.append(0x0A)
        return data
    }

    /// The record at `url`; one this version cannot read (an earlier layout, a file edited by hand) is
    /// refused with what to do.
    public static func read(contentsOf url: URL) throws -> SynthRecord {
        let data = try Data(contentsOf: url)
        do { return try JSONDecoder().decode(SynthRecord.self, from: data) } catch {
            throw BoostBarcodeError.unreadableFile(
                path: url.path, reason: "not a dataset record this boostbarcode reads (\(error)); move it aside and give the options the dataset was made with")
        }
    }
}
