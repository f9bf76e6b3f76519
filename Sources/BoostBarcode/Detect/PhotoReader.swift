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
        /// The best reading is of the localizer's `candidate`-th candidate (0 = its first).
        public var candidate: Int?
        /// The best reading runs the other way round from the localizer's guess.
        public var turned = false
        /// Strips read with the model.
        public var stripsRead = 0
    }

    public init(model: CodeModel, policy: AnswerPolicy = AnswerPolicy()) throws {
        self.model = model
        self.extractor = try FeatureExtractor(config: model.manifest.features)
        self.policy = policy
    }

    public func read(_ image: Image) throws -> Reading {
        let candidates = localizer.candidates(in: image)
        var values: [UInt8] = []
        var read: [(quad: Quad, candidate: Int, turned: Bool)] = []
        for (index, candidate) in candidates.enumerated() {
            for (quad, turned) in [(candidate.quad, false), (candidate.flipped, true)] {
                guard let features = try? extractor.features(of: image, quad: quad) else { continue }
                values += features.values
                // The extractor's own orientation check may have read the strip the other way round.
                read.append(features.flipped ? (quad.rotatedHalfTurn, index, !turned) : (quad, index, turned))
            }
        }
        guard !read.isEmpty else { return Reading() }
        let matrix = FeatureMatrix(columnCount: extractor.config.featureCount, values: values)
        let decoded = try model.predictCodes(matrix).map { ChecksumDecoder.decode($0.probabilities) }
        let best = decoded.indices.max { decoded[$0].confidence < decoded[$1].confidence }!
        var reading = Reading(decoded: decoded[best], candidate: read[best].candidate, turned: read[best].turned,
                              stripsRead: read.count)
        guard let code = policy.answer(for: decoded[best]) else { return reading }
        (reading.quad, reading.code) = (read[best].quad, code)
        return reading
    }
}
