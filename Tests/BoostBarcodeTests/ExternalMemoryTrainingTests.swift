import Foundation
import Testing
@testable import BoostBarcode

/// `train --external-memory`: features cached on disk in batches, XGBoost's external-memory matrices,
/// and the same model as training in memory.
@Suite struct ExternalMemoryTrainingTests {
    let tiny = ["--features", "notebook", "--resized-width", "190", "--resized-height", "100", "--column-white-count", "9"]

    func training(_ train: URL) -> [String] {
        ["--data", train.path, "--rounds", "3", "--augment-copies", "1", "--threads", "1"] + tiny
    }

    func contents(of folder: URL) throws -> [String: Data] { try FailureTests().contents(of: folder) }

    /// 24 clean photos in `folder`/Train and the model `train` makes of them in memory, at `models`.
    func splitAndInMemoryModel(in folder: URL, models: String) throws -> (train: URL, models: URL) {
        let train = folder.appendingPathComponent("Train")
        _ = try writeSplit(at: train, codes: sampleCodes(24, seed: 5))
        let inMemory = folder.appendingPathComponent(models)
        let single = try FailureTests().run(["train", "--models", inMemory.path, "--quiet"] + training(train))
        #expect(single.status == 0, "\(single.standardError)")
        return (train, inMemory)
    }

    @Test func externalMemoryTrainsTheModelInMemoryTrainingTrains() throws {
        let folder = try makeTemporaryFolder()
        defer { removeTemporaryFolder(folder) }
        let (train, inMemory) = try splitAndInMemoryModel(in: folder, models: "in-memory")

        let cache = folder.appendingPathComponent("cache")
        let external = folder.appendingPathComponent("external")
        // 5-row batches: several batches and several XGBoost pages, one ending short.
        let run = try FailureTests().run(["train", "--models", external.path, "--quiet", "--external-memory",
                                          "--cache", cache.path, "--cache-batch-rows", "5"] + training(train))
        #expect(run.status == 0, "\(run.standardError)")
        #expect(try contents(of: external) == contents(of: inMemory))
        // The run's cache folder, XGBoost's pages with it, is gone; the directory given stays.
        #expect(try FileManager.default.contentsOfDirectory(atPath: cache.path).isEmpty)
    }

    @Test func theDefaultCacheIsBesideTheModelAndIsRemoved() throws {
        let folder = try makeTemporaryFolder()
        defer { removeTemporaryFolder(folder) }
        let train = folder.appendingPathComponent("Train")
        _ = try writeSplit(at: train, codes: sampleCodes(8, seed: 3))
        let models = folder.appendingPathComponent("out/models")
        let run = try FailureTests().run(["train", "--models", models.path, "--external-memory"] + training(train))
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardError.contains("cached in \(folder.path)/out/boostbarcode-cache-"), "\(run.standardError)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: models.deletingLastPathComponent().path) == ["models"])
    }

    @Test(.enabled(if: DistributedTrainingTests.trackerIsInstalled,
                   "XGBoost 1.7 for Python (the tracker of scripts/train-distributed) is not installed: run scripts/ensure-tracker"))
    func workersWithExternalMemoryTrainTheModelOneProcessTrains() throws {
        let folder = try makeTemporaryFolder()
        defer { removeTemporaryFolder(folder) }
        let (train, whole) = try splitAndInMemoryModel(in: folder, models: "whole/models")

        let cache = folder.appendingPathComponent("cache")
        let models = folder.appendingPathComponent("2-workers/models")
        let run = try DistributedTrainingTests.run(DistributedTrainingTests.script, [
            "--workers", "2", "--bin", FailureTests.binary.path, "--timeout", "120", "--",
            "--models", models.path, "--external-memory", "--cache", cache.path, "--cache-batch-rows", "4"] + training(train))
        #expect(run.status == 0, "\(run.standardError)")
        #expect(try contents(of: models) == contents(of: whole))
        #expect(try FileManager.default.contentsOfDirectory(atPath: cache.path).isEmpty)
    }

    @Test func aCacheThatCannotBeWrittenFailsClearlyAndLeavesTheModel() throws {
        let folder = try makeTemporaryFolder()
        defer { removeTemporaryFolder(folder) }
        let (_, models) = try FailureTests().trainedFixture(in: folder)
        let previous = try contents(of: models)
        // A file where the cache's directory should be: unwritable even for root.
        let notADirectory = folder.appendingPathComponent("file")
        try Data("x".utf8).write(to: notADirectory)
        let run = try FailureTests().run(["train", "--data", folder.appendingPathComponent("Train").path,
                                          "--models", models.path, "--external-memory",
                                          "--cache", notADirectory.appendingPathComponent("cache").path] + tiny)
        #expect(run.status == 2)
        #expect(run.standardError.contains("cannot write the feature cache in \(notADirectory.path)/cache (--cache)"),
                "\(run.standardError)")
        #expect(try contents(of: models) == previous)
    }

    @Test func cacheOptionsNeedExternalMemory() throws {
        let folder = try makeTemporaryFolder()
        defer { removeTemporaryFolder(folder) }
        let run = try FailureTests().run(["train", "--data", folder.path, "--cache", folder.path])
        #expect(run.status != 0 && run.standardError.contains("--cache and --cache-batch-rows need --external-memory"))
    }

    /// XGBoost 1.7 reads the `next` callback's answer as a bool: a failing batch ends the data early,
    /// and its own error is what the caller sees.
    @Test func aBatchThatFailsIsTheErrorThrown() throws {
        let folder = try makeTemporaryFolder()
        defer { removeTemporaryFolder(folder) }
        struct BatchFailure: Error {}
        #expect(throws: BatchFailure.self) {
            _ = try DMatrix.external(batchCount: 3, columnCount: 2, cachePrefix: folder.appendingPathComponent("m").path) { batch in
                guard batch < 1 else { throw BatchFailure() }
                return FeatureMatrix(columnCount: 2, values: [0, 1, 1, 0])
            }
        }
        let matrix = try DMatrix.external(batchCount: 3, columnCount: 2, cachePrefix: folder.appendingPathComponent("n").path) { _ in
            FeatureMatrix(columnCount: 2, values: [0, 1, 1, 0])
        }
        #expect(matrix.rowCount == 6 && matrix.columnCount == 2)
    }
}
