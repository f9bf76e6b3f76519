import Foundation

/// The 13 digit classifiers and the feature settings they were trained on. A model is a folder:
/// `digit-00.ubj` … `digit-12.ubj` (UBJSON boosters) and `manifest.json`.
/// XGBoost trains, saves and loads the boosters; predictions walk their trees laid out flat
/// (`DigitForests`), which gives XGBoost's probabilities at a small part of its cost per row.
/// Not `Sendable`: its boosters' XGBoost handles belong to one task. Its `forests` are, and are
/// what threads that read photos share.
public final class CodeModel {
    public static let positionCount = 13
    public let manifest: ModelManifest
    let boosters: [Booster]
    /// What prediction needs, and nothing of XGBoost's: safe to share between threads.
    public let forests: DigitForests

    init(manifest: ModelManifest, boosters: [Booster], forests: [FlatForest]) {
        precondition(boosters.count == Self.positionCount && forests.count == Self.positionCount)
        self.manifest = manifest
        self.boosters = boosters
        self.forests = DigitForests(manifest: manifest, forests: forests)
    }

    /// A model of freshly trained boosters.
    convenience init(manifest: ModelManifest, boosters: [Booster]) throws {
        try self.init(manifest: manifest, boosters: boosters,
                      forests: boosters.map { try FlatForest(ubj: $0.serialized(format: "ubj")) })
    }

    public static func boosterFileName(position: Int) -> String {
        "digit-" + (position < 10 ? "0" : "") + "\(position).ubj"
    }

    /// Class probabilities per position: `[position][row * 10 + digit]`.
    public func probabilities(_ features: FeatureMatrix) throws -> [[Float]] { try forests.probabilities(features) }

    /// The most probable digit at each position, one code per row.
    public func predictCodes(_ features: FeatureMatrix) throws -> [DigitPredictions] { try forests.predictCodes(features) }

    // MARK: Saving and loading

    /// Name of the per-round validation log written beside the boosters.
    public static let trainingLogFileName = "training-log.csv"

    /// Writes the folder atomically: everything goes to a temporary sibling folder, which then
    /// replaces `folder`. Files in an existing folder that are not part of a model are carried over.
    public func save(to folder: URL, trainingLog: TrainingLog? = nil) throws {
        let fileManager = FileManager.default
        let parent = folder.deletingLastPathComponent()
        try fileManager.createDirectory(at: parent, withIntermediateDirectories: true)
        let staging = parent.appendingPathComponent(".\(folder.lastPathComponent).saving-\(UUID().uuidString)")
        try fileManager.createDirectory(at: staging, withIntermediateDirectories: false)
        do {
            try ScratchPaths.removingOnInterrupt(staging) {
                var manifest = self.manifest
                for (position, booster) in boosters.enumerated() {
                    let data = try booster.serialized(format: "ubj")
                    let name = Self.boosterFileName(position: position)
                    try data.write(to: staging.appendingPathComponent(name))
                    manifest.positions[position].file = name
                    manifest.positions[position].byteCount = data.count
                    manifest.positions[position].checksum = fnv1a64(data)
                }
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                try encoder.encode(manifest).write(to: staging.appendingPathComponent("manifest.json"))
                if let trainingLog {
                    try Data(trainingLog.csv.utf8).write(to: staging.appendingPathComponent(Self.trainingLogFileName))
                }
                try carryOverForeignFiles(from: folder, to: staging)
                try AtomicFile.replaceDirectory(folder, with: staging)
            }
        } catch {
            try? fileManager.removeItem(at: staging)
            throw error
        }
    }

    /// Reads a model folder, refusing one that is incomplete, damaged, or trained on features other
    /// than `expected` (when given).
    public static func load(from folder: URL, expecting expected: FeatureConfig? = nil) throws -> CodeModel {
        let (manifest, files) = try verifiedFiles(in: folder, expecting: expected)
        var boosters: [Booster] = []
        for (entry, data) in files {
            let booster: Booster
            do { booster = try Booster(modelData: data) } catch {
                throw BoostBarcodeError.badModel(path: folder.path, reason: "XGBoost cannot load \(entry.file): \(error) (\(retrain))")
            }
            boosters.append(booster)
        }
        let forests = try files.map { try forest(of: $0.entry, data: $0.data, manifest: manifest, folder: folder) }
        return CodeModel(manifest: manifest, boosters: boosters, forests: forests)
    }

    /// The manifest, and each booster file's bytes once they match its size and checksum.
    static func verifiedFiles(in folder: URL, expecting expected: FeatureConfig?) throws
        -> (manifest: ModelManifest, files: [(entry: ModelManifest.Position, data: Data)]) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw BoostBarcodeError.badModel(path: folder.path, reason: "no such folder (\(trainFirst))")
        }
        let manifest = try readManifest(folder)
        if let expected, expected != manifest.features {
            throw BoostBarcodeError.featureMismatch(
                path: folder.path, reason: expected.differences(from: manifest.features).joined(separator: ", "))
        }
        let files = try manifest.positions.map { entry in
            guard let data = try? Data(contentsOf: folder.appendingPathComponent(entry.file)) else {
                throw BoostBarcodeError.badModel(path: folder.path, reason: "\(entry.file) is missing or unreadable (\(retrain))")
            }
            guard data.count == entry.byteCount, fnv1a64(data) == entry.checksum else {
                throw BoostBarcodeError.badModel(
                    path: folder.path, reason: "\(entry.file) does not match its checksum in manifest.json (damaged or replaced; \(retrain))")
            }
            return (entry, data)
        }
        return (manifest, files)
    }

    /// One booster file's trees laid out flat, refused unless its features and classes are the manifest's.
    static func forest(of entry: ModelManifest.Position, data: Data, manifest: ModelManifest, folder: URL) throws -> FlatForest {
        let forest: FlatForest
        do { forest = try FlatForest(ubj: data) } catch {
            throw BoostBarcodeError.badModel(path: folder.path, reason: "\(entry.file): \(error) (\(retrain))")
        }
        guard forest.featureCount == manifest.featureCount else {
            throw BoostBarcodeError.featureMismatch(
                path: folder.path, reason: "\(entry.file) takes \(forest.featureCount) features, manifest says \(manifest.featureCount)")
        }
        guard forest.classCount == manifest.parameters.classCount else {
            throw BoostBarcodeError.badModel(
                path: folder.path, reason: "\(entry.file) has \(forest.classCount) classes, manifest says \(manifest.parameters.classCount) (\(retrain))")
        }
        return forest
    }

    static let trainFirst = "train a model first: boostbarcode train --data SPLIT --models FOLDER, or make train"
    static let retrain = "retrain with boostbarcode train, or restore the folder from a copy"

    private static func readManifest(_ folder: URL) throws -> ModelManifest {
        let url = folder.appendingPathComponent("manifest.json")
        guard let data = try? Data(contentsOf: url) else {
            throw BoostBarcodeError.badModel(path: folder.path, reason: "no manifest.json (\(trainFirst))")
        }
        // The version first: a newer layout may not decode as this one.
        struct Version: Decodable { let formatVersion: Int }
        let version: Int
        do { version = try JSONDecoder().decode(Version.self, from: data).formatVersion } catch {
            throw BoostBarcodeError.badModel(path: folder.path, reason: "manifest.json is not a model manifest (\(error); \(retrain))")
        }
        let current = ModelManifest.currentFormatVersion
        guard version <= current else {
            throw BoostBarcodeError.badModel(path: folder.path, reason: "manifest format \(version) is newer than this boostbarcode reads (\(current)): update boostbarcode, or retrain with this one")
        }
        guard version == current else {
            throw BoostBarcodeError.badModel(path: folder.path, reason: "manifest format \(version) is older than this boostbarcode reads (\(current)): retrain with this one")
        }
        let manifest: ModelManifest
        do { manifest = try JSONDecoder().decode(ModelManifest.self, from: data) } catch {
            throw BoostBarcodeError.badModel(path: folder.path, reason: "manifest.json is not a model manifest (\(error); \(retrain))")
        }
        guard manifest.positions.map(\.position) == Array(0..<positionCount) else {
            throw BoostBarcodeError.badModel(path: folder.path, reason: "manifest.json must list positions 0...12 in order")
        }
        guard manifest.parameters.classCount == 10 else {
            throw BoostBarcodeError.badModel(path: folder.path, reason: "manifest.json says \(manifest.parameters.classCount) classes; a digit has 10")
        }
        do { try manifest.features.validate() } catch {
            throw BoostBarcodeError.badModel(path: folder.path, reason: "manifest.json has unusable \(error)")
        }
        guard manifest.featureCount == manifest.features.featureCount else {
            throw BoostBarcodeError.badModel(path: folder.path, reason: "manifest feature count disagrees with its feature settings")
        }
        return manifest
    }

    private func carryOverForeignFiles(from folder: URL, to staging: URL) throws {
        let fileManager = FileManager.default
        guard let names = try? fileManager.contentsOfDirectory(atPath: folder.path) else { return }
        let modelFiles = Set((0..<Self.positionCount).map(Self.boosterFileName)
                            + ["manifest.json", Self.trainingLogFileName])
        for name in names where !modelFiles.contains(name) {
            try fileManager.copyItem(at: folder.appendingPathComponent(name), to: staging.appendingPathComponent(name))
        }
    }
}

/// The 13 boosters' trees laid out flat (`FlatForest`): immutable values, so one copy serves every
/// thread that reads.
public struct DigitForests: Sendable {
    public let manifest: ModelManifest
    let forests: [FlatForest]

    public var featureCount: Int { manifest.featureCount }
    public var classCount: Int { manifest.parameters.classCount }

    /// Reads a model folder for prediction only: the checks of `CodeModel.load(from:expecting:)`, but
    /// XGBoost does not load the boosters (which, with its thread pool starting, is most of a model's
    /// load time; a cold `read` of one photo pays it otherwise).
    public static func load(from folder: URL, expecting expected: FeatureConfig? = nil) throws -> DigitForests {
        let (manifest, files) = try CodeModel.verifiedFiles(in: folder, expecting: expected)
        return DigitForests(manifest: manifest, forests: try files.map {
            try CodeModel.forest(of: $0.entry, data: $0.data, manifest: manifest, folder: folder)
        })
    }

    /// Class probabilities per position: `[position][row * classCount + digit]`.
    public func probabilities(_ features: FeatureMatrix) throws -> [[Float]] {
        guard features.columnCount == featureCount else {
            throw BoostBarcodeError.featureMismatch(
                path: "model", reason: "\(features.columnCount) features given, model takes \(featureCount)")
        }
        return features.values.withUnsafeBufferPointer { values in
            forests.map { forest in
                (0..<features.rowCount).flatMap { row in
                    forest.probabilities(UnsafeBufferPointer(rebasing: values[row * features.columnCount..<(row + 1) * features.columnCount]))
                }
            }
        }
    }

    /// The most probable digit at each position, one code per row.
    public func predictCodes(_ features: FeatureMatrix) throws -> [DigitPredictions] {
        let probabilities = try probabilities(features)
        return (0..<features.rowCount).map { row in
            DigitPredictions(probabilities: probabilities.map { Array($0[row * classCount..<(row + 1) * classCount]) })
        }
    }
}

/// The 13 per-position probability vectors of one image, and the code they spell.
public struct DigitPredictions: Sendable, Equatable {
    /// `[position][digit]`.
    public let probabilities: [[Float]]

    /// The most probable digit at each position.
    public var code: EAN13Code {
        EAN13Code(digits: probabilities.map { mostProbableDigit($0[...]) })!
    }

    /// Probability of the chosen digit at each position.
    public var confidences: [Float] { probabilities.map { $0.max()! } }
}

extension DigitPredictions {
    /// The mean of several readings of one symbol, position by position and digit by digit.
    init(averaging readings: ArraySlice<DigitPredictions>) {
        guard readings.count > 1 else { self = readings.first!; return }
        var sums = readings.first!.probabilities
        for reading in readings.dropFirst() {
            for position in sums.indices {
                for digit in sums[position].indices { sums[position][digit] += reading.probabilities[position][digit] }
            }
        }
        let scale = 1 / Float(readings.count)
        probabilities = sums.map { $0.map { $0 * scale } }
    }
}

/// The index of the largest of ten class probabilities (the first, on a tie).
func mostProbableDigit(_ probabilities: ArraySlice<Float>) -> UInt8 {
    UInt8(probabilities.indices.max { probabilities[$0] < probabilities[$1] }! - probabilities.startIndex)
}
