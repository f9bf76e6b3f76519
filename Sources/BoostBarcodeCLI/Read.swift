import ArgumentParser
import BoostBarcode
import Foundation

extension BoostBarcodeCommand {
    struct Read: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Read the EAN-13 code in each photo (PNG or JPEG files, or folders of them).",
            discussion: """
                Finds the barcode in each photo and reads it with the model: no quads, no markup. Files are \
                recognised by their bytes, not their names (PNG, and JPEG turned by its EXIF orientation); \
                in a folder, files that are neither are passed over. Prints one line per photo, in the order \
                given (a folder's photos sorted by name): its path, the code (empty when none was read \
                surely enough) and the confidence of the best reading (empty when nothing was read). \
                --format text is tab-separated, csv has a header row, json writes one object per line with \
                the quad (corners top-left, top-right, bottom-right, bottom-left, in the displayed photo's \
                pixels) and, for a photo that could not be opened, the error.

                --all reads every symbol in each photo (a book's ISBN and its price code, two labels), not \
                only until the first sure answer: one line per code, the most confident first, with a fourth \
                column, the symbol's index in that order (0, 1, ...); a photo with no code keeps its one line \
                (empty code, the best reading's confidence, empty index). csv's header gains `symbol`. json \
                keeps one object per photo, its keys meaning what they mean without --all, and adds `codes`, \
                each symbol's {code, confidence, quad} in that order ([] when none). A second symbol's \
                search is its own: its first reading may be sure, as a photo's is.

                A photo is answered at once when its first reading is sure; an unsure one is read again \
                through other quads around the symbol and as a label round a can, and one that the model \
                still leaves unread is fitted as a defocused symbol, at other sizes too (docs/DETECT.md): \
                such photos take seconds each (about ten for one that nothing reads), where most \
                take a few milliseconds.

                The model: --models DIR, else $BOOSTBARCODE_MODELS, else ./models when it holds one, else \
                the model shipped in the package's models/ folder.

                Photos are read on all cores (--threads), one photo per thread; the answers do not depend \
                on the thread count. Exit status: 0 when every photo gave a code, 1 when some did not or \
                could not be opened (each named on stderr, not under --quiet), 2 when nothing could be read \
                at all (no model, no photos); under --all, 0 when every photo gave at least one code.
                """
        )

        enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
            case text, csv, json
        }

        @Argument(help: ArgumentHelp("Photos, and folders of photos.", valueName: "path"))
        var paths: [String]
        @Flag(name: .shortAndLong, help: "Read the photos in the folders' subfolders too.") var recursive = false
        @Flag(help: "List every code in each photo, the most confident first (a line each; json: a codes array).")
        var all = false
        @Option(help: "Output: text (tab-separated), csv (with a header) or json (one object per line, with the quad).")
        var format: OutputFormat = .text
        @Option(help: ArgumentHelp("Model folder (default: $BOOSTBARCODE_MODELS, ./models, else the shipped model).", valueName: "dir"))
        var models: String?
        @OptionGroup var confidence: ConfidenceOptions
        @Option(help: ArgumentHelp(
            "Decode a large JPEG at 1/2 or 1/4 scale while its longer side stays at least this many pixels (0: always in full).",
            discussion: "TurboJPEG scales while it decodes, in a fraction of the time; the quads are given in the file's own pixels all the same.",
            valueName: "pixels"))
        var jpegShrinkSide = 2000
        @Option(help: "Worker threads reading photos (0 = all cores).") var threads = 0
        @Flag(name: .shortAndLong, help: "No progress display and no notes on stderr; the answers still go to stdout.")
        var quiet = false

        func validate() throws {
            guard threads >= 0 else { throw ValidationError("--threads must be 0 (all cores) or more") }
            guard jpegShrinkSide >= 0 else { throw ValidationError("--jpeg-shrink-side must be 0 (never) or more") }
        }

        func run() throws {
            let files = try photoFiles()
            guard !files.isEmpty else {
                throw BoostBarcodeError.emptyDataset(path: paths.joined(separator: ", "))
            }
            let forests = try DigitForests.load(from: ModelLocation.resolve(explicit: models))
            var reader = try PhotoReader(forests: forests, policy: AnswerPolicy(checksumConstrained: true,
                                                                              minimumConfidence: confidence.minConfidence))
            reader.searchConfidence = confidence.searchConfidence
            let progress = ProgressReporter(isEnabled: !quiet && ProgressReporter.standardErrorIsTerminal)
            let output = ReadOutput(format: format, listsEverySymbol: all)
            if let header = output.header { FileHandle.standardOutput.write(Data((header + "\n").utf8)) }
            let start = Date()
            var reading = FolderReading(reader: reader, threads: threads)
            reading.jpegShrinkLongSide = jpegShrinkSide > 0 ? jpegShrinkSide : nil
            reading.readsEverySymbol = all
            // Answers on the terminal the progress line is drawn on clear it first.
            let answersShareTheTerminal = isatty(STDOUT_FILENO) != 0
            let results = try reading.run(files: files, progress: progress) { result in
                if answersShareTheTerminal { progress.interrupt { output.write(result) } } else { output.write(result) }
            }
            let unread = results.filter { all ? $0.symbols.isEmpty : $0.reading?.code == nil }
            if !quiet {
                for result in unread { standardError(result.failure ?? "\(result.path): no EAN-13 code read") }
                standardError(String(format: "read %d of %d photos in %.2f s", results.count - unread.count,
                                     results.count, Date().timeIntervalSince(start)))
            }
            if !unread.isEmpty { throw ExitCode.someRowsFailed }
        }

        /// The files named, and the pictures of the folders named, each with the path to print.
        private func photoFiles() throws -> [(url: URL, name: String)] {
            var files: [(url: URL, name: String)] = []
            for path in paths {
                let url = URL(cliPath: path)
                var isFolder: ObjCBool = false
                if FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), isFolder.boolValue {
                    let prefix = path.hasSuffix("/") ? path : path + "/"
                    files += try ImageFile.pictures(in: url, recursive: recursive).map { (url.appendingPathComponent($0), prefix + $0) }
                } else {
                    // A missing or foreign file is read all the same, to fail with its own message.
                    files.append((url, path))
                }
            }
            return files
        }
    }
}

/// Writes `read`'s answers in one of its formats, a line per photo (per code with `listsEverySymbol`,
/// but in json), flushed as it goes.
struct ReadOutput: Sendable {
    let format: BoostBarcodeCommand.Read.OutputFormat
    let listsEverySymbol: Bool

    var header: String? { format == .csv ? (listsEverySymbol ? "path,code,confidence,symbol" : "path,code,confidence") : nil }

    func write(_ result: FolderReading.Result) {
        let text: String
        if format == .json {
            text = json(result)
        } else if listsEverySymbol, !result.symbols.isEmpty {
            text = result.symbols.enumerated().map { index, symbol in
                line(result.path, code: symbol.code?.description ?? "", reading: symbol, symbol: String(index))
            }.joined(separator: "\n")
        } else {
            let code = result.reading?.code?.description ?? ""
            text = line(result.path, code: code, reading: result.reading, symbol: listsEverySymbol ? "" : nil)
        }
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    /// A text or csv line; `symbol` is the fourth column, when there is one.
    private func line(_ path: String, code: String, reading: PhotoReader.Reading?, symbol: String?) -> String {
        let confidence = reading?.decoded.map { String(format: "%.4f", $0.confidence) } ?? ""
        let fields = [format == .csv ? csvField(path) : path, code, confidence] + (symbol.map { [$0] } ?? [])
        return fields.joined(separator: format == .csv ? "," : "\t")
    }

    /// RFC 4180: a field holding a comma, quote or line break is quoted, its quotes doubled.
    private func csvField(_ text: String) -> String {
        guard text.contains(where: { ",\"\n\r".contains($0) }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// One symbol of `codes`.
    private struct Symbol: Encodable {
        var code: String
        var confidence: Double
        var quad: [[Double]]
    }

    /// Every key on every line: absent values are null (and `codes` only with `listsEverySymbol`).
    private struct Line: Encodable {
        var path: String
        var code: String?
        var confidence: Double?
        var quad: [[Double]]?
        var error: String?
        var codes: [Symbol]?

        enum CodingKeys: CodingKey { case path, code, confidence, quad, error, codes }

        func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(path, forKey: .path)
            try container.encode(code, forKey: .code)
            try container.encode(confidence, forKey: .confidence)
            try container.encode(quad, forKey: .quad)
            try container.encode(error, forKey: .error)
            try container.encodeIfPresent(codes, forKey: .codes)
        }
    }

    private func json(_ result: FolderReading.Result) -> String {
        func corners(_ quad: Quad) -> [[Double]] { quad.corners.map { [$0.x, $0.y] } }
        let codes = result.symbols.compactMap { symbol -> Symbol? in
            guard let code = symbol.code, let decoded = symbol.decoded, let quad = symbol.quad else { return nil }
            return Symbol(code: code.description, confidence: decoded.confidence, quad: corners(quad))
        }
        let line = Line(path: result.path, code: result.reading?.code?.description, confidence: result.reading?.decoded?.confidence,
                        quad: result.reading?.quad.map(corners), error: result.failure, codes: listsEverySymbol ? codes : nil)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(line)).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }
}
