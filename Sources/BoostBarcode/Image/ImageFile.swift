import Foundation

/// The picture formats read, recognised by a file's first bytes, whatever its name says.
public enum ImageFormat: String, Sendable {
    case png = "PNG"
    case jpeg = "JPEG"

    private static let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// Bytes needed to tell the formats apart.
    public static let signatureLength = 8

    /// The format these first bytes start, nil for anything else.
    public init?(signature bytes: some Collection<UInt8>) {
        if bytes.starts(with: Self.pngSignature) { self = .png }
        else if bytes.starts(with: [0xFF, 0xD8, 0xFF]) { self = .jpeg }  // SOI, then a marker
        else { return nil }
    }

    /// The format of the file at `url`, nil when it is not an image (or cannot be opened).
    public init?(fileAt url: URL) {
        guard let handle = try? FileHandle(forReadingFrom: url) else { return nil }
        defer { try? handle.close() }
        guard let head = try? handle.read(upToCount: Self.signatureLength) else { return nil }
        self.init(signature: head)
    }
}

/// Reads a PNG or JPEG file into an `Image` (`PNGCodec`, `JPEGCodec`), choosing by its bytes.
public enum ImageFile {
    /// Reads and decodes the picture. `topRows` lets a PNG stop decoding below that row (see
    /// `PNGCodec.decode(_:path:limits:topRows:)`); a JPEG is always decoded whole.
    public static func read(contentsOf url: URL, limits: ImageLimits = ImageLimits(),
                            topRows: Int? = nil) throws(ImageFileError) -> Image {
        try read(contentsOf: url, limits: limits, topRows: topRows, shrinkingLargeJPEGTo: nil).image
    }

    /// Reads the picture, a JPEG at 1/2 or 1/4 scale (TurboJPEG's DCT scaling) when its longer side is
    /// still at least `longSide` so: `reduction` is the factor taken, to map positions back.
    public static func read(contentsOf url: URL, limits: ImageLimits = ImageLimits(), topRows: Int? = nil,
                            shrinkingLargeJPEGTo longSide: Int?) throws(ImageFileError) -> (image: Image, reduction: Int) {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw ImageFileError(description: "cannot read \(url.path): \(error.localizedDescription)")
        }
        switch ImageFormat(signature: data.prefix(ImageFormat.signatureLength)) {
        case .png:
            do { return (try PNGCodec.decode(data, path: url.path, limits: limits, topRows: topRows), 1) } catch {
                throw ImageFileError(description: error.description)
            }
        case .jpeg:
            do {
                guard let longSide else { return (try JPEGCodec.decode(data, path: url.path, limits: limits), 1) }
                return try JPEGCodec.decode(data, path: url.path, limits: limits, shrinkingTo: longSide)
            } catch {
                throw ImageFileError(description: error.description)
            }
        case nil:
            let what = data.isEmpty ? "empty file" : "not a PNG or JPEG file"
            throw ImageFileError(description: "cannot read \(url.path): \(what)")
        }
    }

    /// The picture files of a folder, sorted by name, recognised by their bytes (hidden files left
    /// out); with `recursive`, those of its subfolders too, as paths relative to `folder`.
    public static func pictures(in folder: URL, recursive: Bool = false) throws -> [String] {
        let fileManager = FileManager.default
        let names: [String]
        do {
            names = recursive ? try fileManager.subpathsOfDirectory(atPath: folder.path)
                              : try fileManager.contentsOfDirectory(atPath: folder.path)
        } catch {
            throw BoostBarcodeError.unreadableFile(path: folder.path, reason: error.localizedDescription)
        }
        return names.filter { name in
            !name.split(separator: "/").contains { $0.hasPrefix(".") }
                && ImageFormat(fileAt: folder.appendingPathComponent(name)) != nil
        }.sorted()
    }
}

/// A picture file that could not be read: which, and why (the decoder's own message).
public struct ImageFileError: Error, CustomStringConvertible, Sendable {
    public let description: String
}
