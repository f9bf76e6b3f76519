/// Reads a photo that comes without a quad: the localizer's candidates, each in both reading
/// directions, are read with the model, and the reading with the highest confidence wins. Nothing is
/// answered when no reading reaches the policy's minimum confidence.
public struct PhotoReader {
    public let model: CodeModel
    public let extractor: FeatureExtractor
    public var localizer = BarcodeLocalizer()
    public var policy: AnswerPolicy

    /// What a photo gave: the quad and decoding of the best reading, and the answer (nil below the
    /// minimum confidence, and then no quad either).
    public struct Reading: Sendable {
        public var quad: Quad?
        public var decoded: DecodedCode?
        public var code: EAN13Code?
    }

    public init(model: CodeModel, policy: AnswerPolicy = AnswerPolicy()) throws {
        self.model = model
        self.extractor = try FeatureExtractor(config: model.manifest.features)
        self.policy = policy
    }

    public func read(_ image: Image) throws -> Reading {
        let quads = localizer.candidates(in: image).flatMap { [$0.quad, $0.flipped] }
        var values: [UInt8] = []
        var read: [Quad] = []
        for quad in quads {
            guard let features = try? extractor.features(of: image, quad: quad) else { continue }
            values += features.values
            // The extractor's own orientation check may have read the strip the other way round.
            read.append(features.flipped ? quad.rotatedHalfTurn : quad)
        }
        guard !read.isEmpty else { return Reading(quad: nil, decoded: nil, code: nil) }
        let matrix = FeatureMatrix(columnCount: extractor.config.featureCount, values: values)
        let decoded = try model.predictCodes(matrix).map { ChecksumDecoder.decode($0.probabilities) }
        let best = decoded.indices.max { decoded[$0].confidence < decoded[$1].confidence }!
        guard let code = policy.answer(for: decoded[best]) else { return Reading(quad: nil, decoded: decoded[best], code: nil) }
        return Reading(quad: read[best], decoded: decoded[best], code: code)
    }
}
