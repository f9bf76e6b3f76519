import Foundation

/// `manifest.json` of a model folder: what was trained, on what, with which settings.
public struct ModelManifest: Codable, Equatable, Sendable {
    /// Bumped when the folder layout changes incompatibly.
    public static let currentFormatVersion = 1

    public var formatVersion = ModelManifest.currentFormatVersion
    public var features: FeatureConfig
    public var featureCount: Int
    public var parameters: BoosterParameters
    public var validationRatio: Double
    public var earlyStoppingRounds: Int?
    public var xgboostVersion: String
    /// Rows of the training matrix: with augmentation, each training image gives `1 + copies` rows.
    public var trainingRows: Int
    public var validationRows: Int
    /// Validation accuracy of the whole 13-digit code, when there was a validation split.
    public var validationCodeAccuracy: Double?
    /// How the training images were augmented; absent when each was read through its own quad only.
    public var augmentation: Augmentation?
    public var positions: [Position]
    // No creation time: retraining on the same data and settings gives the same folder, byte for byte
    // (the shipped model is checked that way). Manifests that have one still load.

    /// One booster file and what is known of it.
    public struct Position: Codable, Equatable, Sendable {
        public var position: Int
        public var file: String
        public var byteCount: Int
        /// FNV-1a 64-bit hash of the file, hex: a damaged or swapped file is refused on load.
        public var checksum: String
        public var boostedRounds: Int
        public var validationAccuracy: Double?
    }

    /// The settings of `QuadAugmentation`, kept so a model says how it was trained.
    public struct Augmentation: Codable, Equatable, Sendable {
        public var copies: Int
        public var jitterFraction: Double
        /// Along the bars, as a share of the quad's height (absent in manifests from before it existed,
        /// where it was `jitterFraction`).
        public var jitterAlongBarsFraction: Double?
        public var seed: UInt64

        public init(_ augmentation: QuadAugmentation) {
            (copies, jitterFraction, seed) = (augmentation.copies, augmentation.jitter.fraction, augmentation.seed)
            jitterAlongBarsFraction = augmentation.jitter.alongBarsFraction
        }
    }
}

/// FNV-1a, 64 bit: a fast, dependency-free fingerprint to notice damaged booster files.
func fnv1a64(_ data: Data) -> String {
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    // Through the raw bytes: `Data`'s own iterator costs several times the hash.
    data.withUnsafeBytes { bytes in
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01B3
        }
    }
    return String(hash, radix: 16)
}
