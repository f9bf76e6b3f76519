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

                The model: --models DIR, else $BOOSTBARCODE_MODELS, else ./models when it holds one, else \
                the model shipped in the package's models/ folder.

                Photos are read on all cores (--threads), one photo per thread; the answers do not depend \
                on the thread count. Exit status: 0 when every photo gave a code, 1 when some did not or \
                could not be opened (each named on stderr, not under --quiet), 2 when nothing could be read \
                at all (no model, no photos).
                """
        )

        enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
            case text, csv, json
        }

        @Argument(help: ArgumentHelp("Photos, and folders of photos.", valueName: "path"))
        var paths: [String]
        @Flag(name: .shortAndLong, help: "Read the photos in the folders' subfolders too.") var recursive = false
        @Option(help: "Output: text (tab-separated), csv (with a header) or json (one object per line, with the quad).")
        var format: OutputFormat = .text
        @Option(help: ArgumentHelp("Model folder (default: $BOOSTBARCODE_MODELS, ./models, else the shipped model).", valueName: "dir"))
        var models: String?
        @Option(help: "Leave a code empty when its confidence (0...1) is below this, rather than risk a wrong one.")
        var minConfidence = AnswerPolicy.defaultMinimumConfidence
        @Option(help: "The confidence an answer needs when a photo's first reading was not sure and other quads were tried.")
        var searchConfidence = 0.99
        @Option(help: ArgumentHelp(
            "Decode a large JPEG at 1/2 or 1/4 scale while its longer side stays at least this many pixels (0: always in full).",
            discussion: "TurboJPEG scales while it decodes, in a fraction of the time; the quads are given in the file's own pixels all the same.",
            valueName: "pixels"))
        var jpegShrinkSide = 2000
        @Option(help: "Worker threads reading photos (0 = all cores).") var threads = 0
        @Flag(name: .shortAndLong, help: "No progress display and no notes on stderr; the answers still go to stdout.")
        var quiet = false

        func validate() throws {
            guard (0...1).contains(minConfidence), (0...1).contains(searchConfidence) else {
                throw ValidationError("--min-confidence and --search-confidence must be in 0...1")
            }
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
                                                                              minimumConfidence: minConfidence))
            reader.searchConfidence = searchConfidence
            let progress = ProgressReporter(isEnabled: !quiet && ProgressReporter.standardErrorIsTerminal)
            let output = ReadOutput(format: format)
            if let header = output.header { FileHandle.standardOutput.write(Data((header + "\n").utf8)) }
            let start = Date()
            var reading = FolderReading(reader: reader, threads: threads)
            reading.jpegShrinkLongSide = jpegShrinkSide > 0 ? jpegShrinkSide : nil
            // Answers on the terminal the progress line is drawn on clear it first.
            let answersShareTheTerminal = isatty(STDOUT_FILENO) != 0
            let results = try reading.run(files: files, progress: progress) { result in
                if answersShareTheTerminal { progress.interrupt { output.write(result) } } else { output.write(result) }
            }
            let unread = results.filter { $0.reading?.code == nil }
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

/// Writes `read`'s answers in one of its formats, a line per photo, flushed as it goes.
struct ReadOutput: Sendable {
    let format: BoostBarcodeCommand.Read.OutputFormat

    var header: String? { format == .csv ? "path,code,confidence" : nil }

    func write(_ result: FolderReading.Result) {
        let code = result.reading?.code?.description ?? ""
        let confidence = result.reading?.decoded.map { String(format: "%.4f", $0.confidence) } ?? ""
        let line: String
        switch format {
        case .text: line = [result.path, code, confidence].joined(separator: "\t")
        case .csv: line = [csvField(result.path), code, confidence].joined(separator: ",")
        case .json: line = json(result, code: code)
        }
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    /// RFC 4180: a field holding a comma, quote or line break is quoted, its quotes doubled.
    private func csvField(_ text: String) -> String {
        guard text.contains(where: { ",\"\n\r".contains($0) }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Every key on every line: absent values are null.
    private struct Line: Encodable {
        var path: String
        var code: String?
        var confidence: Double?
        var quad: [[Double]]?
        var error: String?

        enum CodingKeys: CodingKey { case path, code, confidence, quad, error }

        func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(path, forKey: .path)
            try container.encode(code, forKey: .code)
            try container.encode(confidence, forKey: .confidence)
            try container.encode(quad, forKey: .quad)
            try container.encode(error, forKey: .error)
        }
    }

    private func json(_ result: FolderReading.Result, code: String) -> String {
        let line = Line(path: result.path, code: code.isEmpty ? nil : code, confidence: result.reading?.decoded?.confidence,
                        quad: result.reading?.quad?.corners.map { [$0.x, $0.y] }, error: result.failure)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(line)).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }
}
