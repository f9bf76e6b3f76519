import Foundation

/// Runs the localizer over a folder of photos on all cores: each photo's candidates and the processor
/// time the localizer took on it (grey conversion included, image decoding not). Processor time of the
/// working thread, not wall time, so that other work on the machine does not count. Given a reader,
/// each photo's candidates are read too, and the one whose reading is the most confident comes
/// first, in the direction it read (`chosenByReading`).
public struct FolderDetection: Sendable {
    public struct Result: Sendable {
        /// File name inside the folder.
        public var path: String
        /// Best first; empty when nothing looked like bars or the photo could not be read.
        public var candidates: [BarcodeCandidate]
        public var milliseconds: Double
        /// Why the photo could not be read, when it could not.
        public var failure: String?
    }

    public var localizer = BarcodeLocalizer()
    public var threads = 0
    /// When set, a sketch of each photo's regions and candidates is written here, as PNG, under the photo's name.
    public var sketchFolder: URL?
    /// True quads by file name, drawn into the sketches.
    public var truth: [String: Quad] = [:]

    public init() {}

    /// `reader` reads this localizer's candidates to choose among them.
    public func run(folder: URL, names: [String], progress: ProgressReporter, reader: PhotoReader? = nil) -> [Result] {
        let results = ResultSlots<Result>(count: names.count)
        let done = LockedCounter()
        let start = Date()
        parallelForEach(names.count, threads: threads) { index in
            results[index] = detect(folder.appendingPathComponent(names[index]), name: names[index], reader: reader)
            progress.update("detect", done: done.takeNext() + 1, of: names.count, since: start)
        }
        progress.finish()
        return results.values.map { $0! }
    }

    private func detect(_ url: URL, name: String, reader: PhotoReader? = nil) -> Result {
        let image: Image
        do { image = try ImageFile.read(contentsOf: url) } catch {
            return Result(path: name, candidates: [], milliseconds: 0, failure: error.description)
        }
        let begin = Self.threadCPUTime()
        var list = localizer.candidateList(in: GreyPlane(image))
        var candidates = list.all()
        let milliseconds = (Self.threadCPUTime() - begin) * 1e3
        var failure: String?
        if let reader {
            // The list is refined already: the reader reads its candidates without finding them again.
            do {
                let reading = try reader.read(image, candidates: list)
                candidates = Self.chosenByReading(candidates, reading, minimumConfidence: reader.policy.minimumConfidence)
            } catch {
                failure = "not read: \(error)"
            }
        }
        if let sketchFolder {
            do {
                let sketch = DetectionSketch.draw(image, regions: list.regions, candidates: candidates, truth: truth[name])
                try AtomicFile.write(try PNGCodec.encode(sketch), to: sketchFolder.appendingPathComponent(name.lowercased().hasSuffix(".png") ? name : name + ".png"))
            } catch {
                failure = "sketch not written: \(error)"
            }
        }
        return Result(path: name, candidates: candidates, milliseconds: milliseconds, failure: failure)
    }

    /// The candidates with the one the reading came from first, at the reading's `candidateQuad` (turned
    /// to the direction it read, and refitted when the refit read best), when the reading reaches
    /// `minimumConfidence`; otherwise as the localizer ranked them.
    static func chosenByReading(_ candidates: [BarcodeCandidate], _ reading: PhotoReader.Reading,
                                minimumConfidence: Double) -> [BarcodeCandidate] {
        guard let quad = reading.candidateQuad, (reading.decoded?.confidence ?? 0) >= minimumConfidence,
              let index = reading.candidate, index < candidates.count else { return candidates }
        var ranked = candidates
        var chosen = ranked.remove(at: index)
        chosen.quad = quad
        return [chosen] + ranked
    }

    /// Seconds of processor time the calling thread has used.
    static func threadCPUTime() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
    }
}
