import Foundation

/// One split of a synthetic dataset; its name is the folder name of the course layout.
public enum SynthSplit: String, Sendable, CaseIterable {
    case train = "Train"
    case test = "Test"

    /// Keeps the two splits' random streams apart.
    var streamTag: UInt64 { self == .train ? 1 : 2 }
}

/// What a generation run wrote.
public struct SynthSummary: Sendable {
    public let imageCount: Int
    public let bytes: Int
    public let seconds: Double
}

/// Writes a synthetic dataset in the course layout (DATA.md section 1): `Train/Images/*.png`,
/// `Train/markup.csv`, the same for `Test`, beside each markup its pictures' `factors.csv`, and at the
/// top how it was drawn (`synth.json`, `SynthRecord`). Image `i` of a split depends only on the seed, the split
/// and `i`, so the images are made on all cores in any order and the same seed gives the same bytes.
public struct DatasetGenerator: Sendable {
    public var trainCount: Int
    public var testCount: Int
    public var seed: UInt64
    /// Quad jitter written to each split's markup (the pictures do not change with it).
    public var trainJitter = QuadJitter(fraction: 0)
    public var testJitter = QuadJitter(fraction: 0)
    public var settings = SynthSettings()
    /// Worker threads, 0 for all cores.
    public var threads = 0

    public init(trainCount: Int, testCount: Int, seed: UInt64) {
        self.trainCount = trainCount
        self.testCount = testCount
        self.seed = seed
    }

    /// File name of image `index`.
    public static func imageName(_ index: Int) -> String { String(format: "%06d.png", index) }

    /// Picture `index` of `split` and its markup row (jittered as the split asks).
    public func photo(_ split: SynthSplit, index: Int) throws -> (image: Image, row: MarkupRow) {
        let (image, row, _) = try photoWithFactors(split, index: index)
        return (image, row)
    }

    /// The difficulty factors of picture `index` of `split`, from its recipe alone (nothing is rendered).
    public func factors(_ split: SynthSplit, index: Int) -> DifficultyFactors {
        DifficultyFactors(path: DatasetGenerator.imageName(index), recipe: recipe(split, index: index))
    }

    private func recipe(_ split: SynthSplit, index: Int) -> PhotoRecipe {
        var random = SeededRandom(seed: seed, path: split.streamTag, UInt64(index))
        // The shop follows the seed and the settings as they are now (a few hundred draws, beside a picture's rendering).
        let codes = CodeSampler(seed: seed, companiesPerPrefix: settings.companiesPerPrefix)
        return PhotoRecipe.random(codes: codes, settings: settings, using: &random)
    }

    private func photoWithFactors(_ split: SynthSplit, index: Int) throws -> (Image, MarkupRow, DifficultyFactors) {
        let recipe = recipe(split, index: index)
        let (image, quad) = try PhotoRenderer(recipe: recipe).render()
        var jitterRandom = SeededRandom(seed: seed, path: split.streamTag, UInt64(index), 0x717)
        let jitter = split == .train ? trainJitter : testJitter
        let row = MarkupRow(path: DatasetGenerator.imageName(index), code: recipe.layout.code,
                            quad: jitter.apply(to: quad, using: &jitterRandom))
        return (image, row, DifficultyFactors(path: row.path, recipe: recipe))
    }

    /// Writes the dataset to `folder`. It is built in a hidden sibling folder and renamed into place
    /// at the end, so an interrupted run never leaves a dataset that looks complete (the command-line
    /// tool removes the hidden folder on an interrupt, `ScratchPaths`). An existing
    /// `folder` is an error unless `replacing` is set.
    public func write(to folder: URL, replacing: Bool = false,
                      progress: ProgressReporter = ProgressReporter(isEnabled: false)) throws -> SynthSummary {
        let files = FileManager.default
        let folder = folder.standardizedFileURL
        if files.fileExists(atPath: folder.path) && !replacing {
            throw BoostBarcodeError.invalidArgument("\(folder.path) already exists (remove it, or replace it with --overwrite)")
        }
        let parent = folder.deletingLastPathComponent()
        try files.createDirectory(at: parent, withIntermediateDirectories: true)
        let building = parent.appendingPathComponent(".\(folder.lastPathComponent).partial-\(UUID().uuidString)")
        let start = Date()
        var bytes = 0
        do {
            try ScratchPaths.removingOnInterrupt(building) {
                for split in SynthSplit.allCases {
                    bytes += try writeSplit(split, count: split == .train ? trainCount : testCount,
                                            to: building.appendingPathComponent(split.rawValue), progress: progress)
                }
                let record = try SynthRecord(self).encoded()
                try record.write(to: building.appendingPathComponent(SynthRecord.fileName))
                bytes += record.count
                try AtomicFile.replaceDirectory(folder, with: building)
            }
        } catch {
            try? files.removeItem(at: building)
            throw error
        }
        return SynthSummary(imageCount: trainCount + testCount, bytes: bytes, seconds: Date().timeIntervalSince(start))
    }

    /// Writes one split's images, markup and factors; returns the bytes written.
    private func writeSplit(_ split: SynthSplit, count: Int, to root: URL, progress: ProgressReporter) throws -> Int {
        let images = root.appendingPathComponent("Images")
        try FileManager.default.createDirectory(at: images, withIntermediateDirectories: true)
        let results = ResultSlots<Result<(MarkupRow, DifficultyFactors, Int), Error>>(count: count)
        let done = LockedCounter()
        let start = Date()
        parallelForEach(count, threads: threads) { index in
            results[index] = Result {
                let (image, row, factors) = try photoWithFactors(split, index: index)
                let data = try PNGCodec.encode(image)
                try data.write(to: images.appendingPathComponent(row.path))
                return (row, factors, data.count)
            }
            progress.update(split.rawValue, done: done.takeNext() + 1, of: count, since: start)
        }
        progress.finish()
        let written = try results.values.map { try $0!.get() }
        let markup = root.appendingPathComponent("markup.csv")
        try MarkupFile.write(written.map(\.0), to: markup)
        let factors = FactorsFile.url(besideMarkup: markup)
        try FactorsFile.write(written.map(\.1), to: factors)
        return written.reduce(fileSize(markup) + fileSize(factors)) { $0 + $1.2 }
    }

    private func fileSize(_ url: URL) -> Int {
        (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
    }

    /// Writes only `factors.csv` for each split of the dataset this generator wrote to `folder`,
    /// rendering nothing. Each split's markup.csv must be there and list exactly the pictures this
    /// generator makes (same count, paths and codes), which catches a wrong seed or count.
    public func writeFactors(to folder: URL) throws {
        for split in SynthSplit.allCases {
            let count = split == .train ? trainCount : testCount
            let markup = folder.appendingPathComponent(split.rawValue).appendingPathComponent("markup.csv")
            // An empty split's markup.csv holds no rows, which MarkupFile.read refuses.
            let rows = count == 0 ? [] : try MarkupFile.read(contentsOf: markup)
            guard rows.count == count else {
                throw BoostBarcodeError.invalidArgument(
                    "\(markup.path) has \(rows.count) rows, not the \(count) that --\(split.rawValue.lowercased()) says")
            }
            let slots = ResultSlots<(DifficultyFactors, EAN13Code)>(count: count)
            parallelForEach(count, threads: threads) { index in
                let recipe = recipe(split, index: index)
                slots[index] = (DifficultyFactors(path: DatasetGenerator.imageName(index), recipe: recipe), recipe.layout.code)
            }
            let made = slots.values.map { $0! }
            for (row, (factors, code)) in zip(rows, made) where row.path != factors.path || row.code != code {
                throw BoostBarcodeError.invalidArgument(
                    "\(markup.path): \(row.path) \(row.code?.description ?? "(no code)") is not picture \(factors.path) "
                    + "\(code) of seed \(seed); is the seed right?")
            }
            try FactorsFile.write(made.map(\.0), to: FactorsFile.url(besideMarkup: markup))
        }
    }
}
