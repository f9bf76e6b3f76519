import Foundation
import Testing
@testable import BoostBarcode

/// What the `boostbarcode` binary does when things go wrong: its exit status (0 every row done,
/// 1 some rows failed, 2 usage or fatal error) and that a failed write leaves the old output.
/// Runs the binary the package builds beside this test bundle.
@Suite struct FailureTests {
    struct Run {
        let status: Int32
        let standardError: String
        let standardOutput: String
    }

    /// The CLI built with the tests (the test target depends on it).
    static let binary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        .deletingLastPathComponent().appendingPathComponent("boostbarcode")

    /// Runs the CLI through `sh`; with `fileBlocks`, under `ulimit -f` (512-byte blocks) with SIGXFSZ
    /// ignored, so that a write past the limit fails with EFBIG as on a full disk.
    func run(_ arguments: [String], fileBlocks: Int? = nil) throws -> Run {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary.path), "build the CLI: swift build")
        let limit = fileBlocks.map { "trap '' XFSZ; ulimit -f \($0); " } ?? ""
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", limit + #"exec "$0" "$@""#, Self.binary.path] + arguments
        let errors = Pipe()
        process.standardError = errors
        // stdout to a file: a pipe read only after stderr would fill and stall a talkative command.
        let outputFile = FileManager.default.temporaryDirectory.appendingPathComponent("boostbarcode-stdout-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: outputFile.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: outputFile) }
        process.standardOutput = try FileHandle(forWritingTo: outputFile)
        try process.run()
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return Run(status: process.terminationStatus, standardError: text,
                   standardOutput: String(decoding: try Data(contentsOf: outputFile), as: UTF8.self))
    }

    let small = ["--resized-width", "190", "--resized-height", "100", "--column-white-count", "9"]

    /// A Train and a Test split of clean symbols and a model trained on Train.
    func trainedFixture(in folder: URL) throws -> (test: URL, models: URL) {
        let train = folder.appendingPathComponent("Train"), test = folder.appendingPathComponent("Test")
        _ = try writeSplit(at: train, codes: sampleCodes(20, seed: 5))
        _ = try writeSplit(at: test, codes: sampleCodes(4, seed: 6))
        let models = folder.appendingPathComponent("models")
        let trained = try run(["train", "--data", train.path, "--models", models.path, "--rounds", "2", "--threads", "1", "--quiet"] + small)
        #expect(trained.status == 0, "\(trained.standardError)")
        return (test, models)
    }

    func contents(of folder: URL) throws -> [String: Data] {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        return try Dictionary(uniqueKeysWithValues: names.map { ($0, try Data(contentsOf: folder.appendingPathComponent($0))) })
    }

    @Test func usageAndFatalErrorsExitWithTwo() throws {
        let folder = try makeTemporaryFolder()
        defer { removeTemporaryFolder(folder) }
        #expect(try run(["--help"]).status == 0)
        let usage = try run(["train"])
        #expect(usage.status == 2 && usage.standardError.contains("Missing expected argument '--data"))
        #expect(try run(["predict", "--no-search", "--data", folder.path, "--threads", "-1"]).status == 2)
        let noModel = try run(["predict", "--no-search", "--data", folder.path, "--models", folder.appendingPathComponent("none").path])
        #expect(noModel.status == 2 && noModel.standardError.contains("no such folder (train a model first"))
        let noSplit = try run(["features", "--data", folder.appendingPathComponent("none").path, "--out", "x.npy"])
        #expect(noSplit.status == 2 && noSplit.standardError.contains("is not a dataset split"))
    }

    @Test func failedRowsAreListedAndExitWithOne() throws {
        let folder = try makeTemporaryFolder()
        defer { removeTemporaryFolder(folder) }
        let (test, models) = try trainedFixture(in: folder)
        let answer = folder.appendingPathComponent("answer.csv")
        let clean = try run(["predict", "--no-search", "--data", test.path, "--models", models.path, "--out", answer.path])
        #expect(clean.status == 0 && !clean.standardError.contains("skipped"))

        // One truncated image, one bad markup line, one quad off the picture: the other row is read.
        let markup = test.appendingPathComponent("markup.csv")
        var rows = try MarkupFile.read(contentsOf: markup)
        rows[2].quad = Quad(topLeft: Point(x: 900, y: 900), topRight: Point(x: 990, y: 900),
                            bottomRight: Point(x: 990, y: 930), bottomLeft: Point(x: 900, y: 930))
        try MarkupFile.write(rows, to: markup, encoding: .utf8)
        let text = try String(contentsOf: markup, encoding: .utf8)
        try Data((text + "extra.png,12x4,1,2,3,4,5,6,7,8,ean13\n").utf8).write(to: markup)
        let image = test.appendingPathComponent("Images").appendingPathComponent(rows[1].path)
        try Data(contentsOf: image).prefix(60).write(to: image)

        let partial = try run(["predict", "--no-search", "--data", test.path, "--models", models.path, "--out", answer.path])
        #expect(partial.status == 1)
        #expect(partial.standardError.contains("markup.csv:5: code '12x4' is not up to 13 digits"))
        #expect(partial.standardError.contains("markup.csv:2: \(rows[1].path): image unreadable (cannot read PNG \(image.path): "))
        #expect(partial.standardError.contains("markup.csv:3: \(rows[2].path): quad unusable (quad lies mostly outside the picture"))
        #expect(partial.standardError.contains("skipped 3 of 5 rows: 1 markup line unreadable, 1 image unreadable, 1 quad unusable"))
        #expect(try MarkupFile.read(contentsOf: answer).map(\.path) == [rows[0].path, rows[3].path])
        // --quiet keeps the summary, drops the per-row lines.
        let quiet = try run(["predict", "--no-search", "--data", test.path, "--models", models.path, "--out", answer.path, "--quiet"])
        #expect(quiet.status == 1 && quiet.standardError.contains("skipped 3 of 5 rows") && !quiet.standardError.contains("markup.csv:5"))

        let report = try run(["report", "--truth", markup.path, "--answer", answer.path])
        #expect(report.status == 1 && report.standardError.contains("markup.csv:5: code '12x4'"))
    }

    @Test func aFullDiskLeavesThePreviousOutputs() throws {
        let folder = try makeTemporaryFolder()
        defer { removeTemporaryFolder(folder) }
        let (test, models) = try trainedFixture(in: folder)
        let answer = folder.appendingPathComponent("out/answer.csv")
        #expect(try run(["predict", "--no-search", "--data", test.path, "--models", models.path, "--out", answer.path]).status == 0)
        let readings = ReadingsFile.url(besideAnswer: answer)
        let previousAnswer = try Data(contentsOf: answer), previousModel = try contents(of: models)
        let previousReadings = try Data(contentsOf: readings)

        let predict = try run(["predict", "--no-search", "--data", test.path, "--models", models.path, "--out", answer.path, "--encoding", "utf8"],
                              fileBlocks: 0)
        #expect(predict.status == 2 && predict.standardError.contains("answer.csv"))
        #expect(try Data(contentsOf: answer) == previousAnswer && Data(contentsOf: readings) == previousReadings)
        #expect(try FileManager.default.contentsOfDirectory(atPath: answer.deletingLastPathComponent().path).sorted()
                == ["answer.csv", "answer.readings.csv"])

        let train = try run(["train", "--data", folder.appendingPathComponent("Train").path, "--models", models.path,
                             "--rounds", "3", "--threads", "1", "--quiet"] + small, fileBlocks: 1)
        #expect(train.status == 2)
        #expect(try contents(of: models) == previousModel)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["Test", "Train", "models", "out"])
    }

    /// Ctrl-C (SIGINT) or `kill` (SIGTERM) in the middle of `synth` removes the hidden folder it was
    /// building, and the process ends as the signal ends it.
    @Test(arguments: [SIGINT, SIGTERM]) func anInterruptedSynthLeavesNothingBehind(signal number: Int32) throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary.path), "build the CLI: swift build")
        let folder = try makeTemporaryFolder()
        defer { removeTemporaryFolder(folder) }
        let files = FileManager.default
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = ["synth", "--out", folder.appendingPathComponent("data").path, "--train", "5000", "--test", "0",
                             "--threads", "1", "--quiet"]
        try process.run()
        // Interrupted once the hidden folder holds pictures.
        func pictures() -> [String] {
            let building = (try? files.contentsOfDirectory(atPath: folder.path))?.first
            return building.flatMap { try? files.contentsOfDirectory(atPath: folder.appendingPathComponent("\($0)/Train/Images").path) } ?? []
        }
        let deadline = Date().addingTimeInterval(60)
        while process.isRunning, Date() < deadline, pictures().isEmpty { usleep(20_000) }
        #expect(!pictures().isEmpty)
        kill(process.processIdentifier, number)
        let ending = Date().addingTimeInterval(30)
        while process.isRunning, Date() < ending { usleep(20_000) }
        #expect(!process.isRunning, "the signal did not end synth")
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal && process.terminationStatus == number)
        #expect(try files.contentsOfDirectory(atPath: folder.path) == [])
    }

    @Test func anUnwritableDestinationExitsWithTwo() throws {
        let folder = try makeTemporaryFolder()
        defer { removeTemporaryFolder(folder) }
        let (test, models) = try trainedFixture(in: folder)
        let blocker = folder.appendingPathComponent("a-file")
        try Data("x".utf8).write(to: blocker)
        let underFile = try run(["predict", "--no-search", "--data", test.path, "--models", models.path,
                                 "--out", blocker.appendingPathComponent("answer.csv").path])
        #expect(underFile.status == 2 && underFile.standardError.contains("a-file"))
        let directory = folder.appendingPathComponent("answer-dir")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("keep"), withIntermediateDirectories: true)
        let ontoDirectory = try run(["predict", "--no-search", "--data", test.path, "--models", models.path, "--out", directory.path])
        #expect(ontoDirectory.status == 2 && ontoDirectory.standardError.contains("cannot rename into place"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["keep"])
        #expect(try Data(contentsOf: blocker) == Data("x".utf8))
    }
}
