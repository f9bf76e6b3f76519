import Foundation
import Glibc
import Testing
@testable import BoostBarcode

/// `boostbarcode train --shard I/N` through scripts/train-distributed (XGBoost's rabit tracker on
/// loopback) against one process on the same data, and a worker that cannot join failing in time.
@Suite struct DistributedTrainingTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("scripts/train-distributed")

    /// scripts/train-distributed finds XGBoost 1.7's tracker for Python (scripts/ensure-tracker, run by make test, installs it).
    static let trackerIsInstalled = (try? run(script, ["--check-tracker"]).status) == 0

    let tiny = ["--features", "notebook", "--resized-width", "190", "--resized-height", "100", "--column-white-count", "9"]

    /// Runs `executable` with `environment` added to this process's; stdout through a file, as
    /// `FailureTests.run` does, so that a talkative command cannot stall on a full pipe.
    static func run(_ executable: URL, _ arguments: [String], environment: [String: String] = [:]) throws -> FailureTests.Run {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let errors = Pipe()
        process.standardError = errors
        let outputFile = FileManager.default.temporaryDirectory.appendingPathComponent("boostbarcode-stdout-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: outputFile.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: outputFile) }
        process.standardOutput = try FileHandle(forWritingTo: outputFile)
        try process.run()
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return FailureTests.Run(status: process.terminationStatus, standardError: text,
                                standardOutput: String(decoding: try Data(contentsOf: outputFile), as: UTF8.self))
    }

    func contents(of folder: URL) throws -> [String: Data] { try FailureTests().contents(of: folder) }

    @Test(.enabled(if: DistributedTrainingTests.trackerIsInstalled,
                   "XGBoost 1.7 for Python (the tracker of scripts/train-distributed) is not installed: run scripts/ensure-tracker"))
    func workersTrainTheModelOneProcessTrains() throws {
        let folder = try makeTemporaryFolder()
        defer { removeTemporaryFolder(folder) }
        let train = folder.appendingPathComponent("Train"), test = folder.appendingPathComponent("Test")
        _ = try writeSplit(at: train, codes: sampleCodes(24, seed: 5))
        _ = try writeSplit(at: test, codes: sampleCodes(4, seed: 6))
        let training = ["--data", train.path, "--rounds", "3", "--augment-copies", "1", "--threads", "1"] + tiny
        let whole = folder.appendingPathComponent("whole/models")
        let single = try FailureTests().run(["train", "--models", whole.path, "--quiet"] + training)
        #expect(single.status == 0, "\(single.standardError)")
        let wholeModel = try CodeModel.load(from: whole)

        for workers in [1, 2] {
            let models = folder.appendingPathComponent("\(workers)-workers/models")
            let run = try Self.run(Self.script, ["--workers", "\(workers)", "--bin", FailureTests.binary.path, "--timeout", "120",
                                                 "--", "--models", models.path] + training)
            #expect(run.status == 0, "\(run.standardError)")
            // Written once, by worker 0, and nothing else beside it.
            #expect(run.standardError.components(separatedBy: "saved to \(models.path)").count == 2, "\(run.standardError)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: models.deletingLastPathComponent().path) == ["models"])
            #expect(run.standardOutput.contains("validation on \(wholeModel.manifest.validationRows) images"))

            let model = try CodeModel.load(from: models)
            #expect(model.manifest.trainingRows == wholeModel.manifest.trainingRows)
            #expect(model.manifest.validationRows == wholeModel.manifest.validationRows)
            #expect(model.manifest.positions.map(\.validationAccuracy) == wholeModel.manifest.positions.map(\.validationAccuracy))
            #expect(model.manifest.validationCodeAccuracy == wholeModel.manifest.validationCodeAccuracy)
            // On data this small the quantile sketch is exact and the histograms' sums come out the same:
            // the very same boosters, and the same validation errors round by round.
            #expect(try contents(of: models) == contents(of: whole))

            let answer = folder.appendingPathComponent("\(workers)-workers/answer.csv")
            let predicted = try FailureTests().run(["predict", "--no-search", "--data", test.path, "--models", models.path, "--out", answer.path])
            #expect(predicted.status == 0, "\(predicted.standardError)")
            #expect(try MarkupFile.read(contentsOf: answer).count == 4)
        }
    }

    /// A TCP port on loopback that refuses connections (bound, never listening) or, with `listening`,
    /// accepts them and never answers; closed by `close`.
    struct LoopbackPort {
        let socket: Int32
        let number: Int

        init(listening: Bool) throws {
            let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let bound = withUnsafeMutablePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0
                }
            }
            try #require(socket >= 0 && bound && (!listening || listen(socket, 8) == 0), "cannot open a loopback port")
            self.socket = socket
            number = Int(UInt16(bigEndian: address.sin_port))
        }

        func close() { _ = Glibc.close(socket) }
    }

    @Test func aWorkerThatCannotJoinFailsInTimeAndLeavesTheModel() throws {
        let folder = try makeTemporaryFolder()
        defer { removeTemporaryFolder(folder) }
        let (_, models) = try FailureTests().trainedFixture(in: folder)
        let previous = try contents(of: models)
        let train = ["train", "--data", folder.appendingPathComponent("Train").path, "--models", models.path,
                     "--rounds", "2", "--threads", "1", "--shard", "0/2"] + tiny

        let noTracker = try Self.run(FailureTests.binary, train)
        #expect(noTracker.status == 2 && noTracker.standardError.contains("--shard needs the tracker's address in DMLC_TRACKER_URI"))

        // Nobody listens: rabit tries twice, 2 s apart.
        let refusing = try LoopbackPort(listening: false)
        defer { refusing.close() }
        var start = Date()
        let refused = try Self.run(FailureTests.binary, train, environment: [
            "DMLC_TRACKER_URI": "127.0.0.1", "DMLC_TRACKER_PORT": "\(refusing.number)", "DMLC_WORKER_CONNECT_RETRY": "2"])
        #expect(Date().timeIntervalSince(start) < 30)
        #expect(refused.status == 2)
        #expect(refused.standardError.contains("cannot join the workers through the tracker at 127.0.0.1:\(refusing.number) (2 tries"),
                "\(refused.standardError)")

        // Something listens but no tracker answers (or the other workers never come): --collective-timeout.
        let silent = try LoopbackPort(listening: true)
        defer { silent.close() }
        start = Date()
        let unanswered = try Self.run(FailureTests.binary, train + ["--collective-timeout", "2"], environment: [
            "DMLC_TRACKER_URI": "127.0.0.1", "DMLC_TRACKER_PORT": "\(silent.number)"])
        #expect(Date().timeIntervalSince(start) < 30)
        #expect(unanswered.status == 2)
        #expect(unanswered.standardError.contains("worker 0/2: the 2 workers did not all join within 2 s"), "\(unanswered.standardError)")

        #expect(try contents(of: models) == previous)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["Test", "Train", "models"])
    }

    @Test func shardsDealOutTheWholeSplit() throws {
        var options = TrainingOptions()
        options.validationRatio = 0.25
        let trainer = try Trainer(options: options, features: smallFeatures)
        let whole = trainer.split(rowCount: 21)
        let shards = try (0..<3).map { try trainer.split(rowCount: 21, shard: Shard(index: $0, count: 3)) }
        #expect(Set(shards.flatMap(\.validation)) == Set(whole.validation))
        #expect(shards.flatMap(\.validation).count == whole.validation.count)
        #expect(Set(shards.flatMap(\.training)) == Set(whole.training))
        #expect(shards.map(\.validation.count) == [2, 2, 2])
        let one = try trainer.split(rowCount: 21, shard: Shard("0/1"))
        #expect(one.training == whole.training && one.validation == whole.validation)
        #expect(throws: BoostBarcodeError.self) { try trainer.split(rowCount: 21, shard: Shard(index: 0, count: 7)) }
        for text in ["2/2", "1", "a/3", "0/0", "-1/2"] {
            #expect(throws: BoostBarcodeError.self, "\(text)") { try Shard(text) }
        }
    }
}
