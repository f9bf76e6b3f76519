import Foundation
internal import CTurboJPEG

/// Reads and writes JPEG files through libjpeg-turbo's TurboJPEG API. Decoding gives what a viewer
/// shows: grey files 1 channel, YCbCr (and RGB) files 3, CMYK and YCCK files converted to RGB, the
/// EXIF orientation applied. Baseline and progressive files decode; a file with more scans than
/// TurboJPEG's guard allows (`TJFLAG_LIMITSCANS`), cut short, or damaged is refused with
/// libjpeg's message. The size limits are checked from the header, before any pixel memory is taken.
public enum JPEGCodec {
    /// The scales TurboJPEG's decoder can shrink to while it decodes (its DCT scaling): 1, 1/2, 1/4.
    public static let reductions = [1, 2, 4]

    /// Decodes JPEG bytes; errors name `path` when given. `reduction` (1, 2 or 4) decodes the picture
    /// that many times smaller on each side, in about that much less time.
    public static func decode(_ data: Data, path: String? = nil, limits: ImageLimits = ImageLimits(),
                              reduction: Int = 1) throws(JPEGError) -> Image {
        precondition(reductions.contains(reduction), "a JPEG decodes at 1/1, 1/2 or 1/4")
        return try decode(data, path: path, limits: limits, choosingReduction: { _ in reduction }).image
    }

    /// Decodes JPEG bytes at the smallest of `reductions` that leaves the stored picture's longer side
    /// at least `longSide`, chosen from the header the decoding reads anyway; `reduction` is the one taken.
    public static func decode(_ data: Data, path: String? = nil, limits: ImageLimits = ImageLimits(),
                              shrinkingTo longSide: Int) throws(JPEGError) -> (image: Image, reduction: Int) {
        try decode(data, path: path, limits: limits, choosingReduction: { header in
            reductions.last { max(header.width, header.height) / $0 >= longSide } ?? 1
        })
    }

    private static func decode(_ data: Data, path: String?, limits: ImageLimits,
                               choosingReduction: (Header) -> Int) throws(JPEGError) -> (image: Image, reduction: Int) {
        let outcome: Result<(image: Image, reduction: Int), JPEGError> = data.withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            do throws(JPEGError) {
                return .success(try decode(bytes, path: path, limits: limits, choosingReduction: choosingReduction))
            } catch {
                return .failure(error)
            }
        }
        return try outcome.get()
    }

    /// The picture's stored size, colour space and EXIF orientation, from its header alone.
    struct Header {
        var width: Int
        var height: Int
        var channels: Int
        var orientation: ImageOrientation
    }

    private static func header(_ bytes: UnsafeBufferPointer<UInt8>, handle: TurboJPEGHandle,
                               path: String?) throws(JPEGError) -> (header: Header, pixelFormat: TJPF) {
        var (width, height, subsampling, colourSpace): (Int32, Int32, Int32, Int32) = (0, 0, 0, 0)
        guard tjDecompressHeader3(handle.raw, bytes.baseAddress, UInt(bytes.count), &width, &height, &subsampling,
                                  &colourSpace) == 0 else {
            throw JPEGError(path: path, message: handle.lastError)
        }
        let format: TJPF
        switch colourSpace {
        case Int32(TJCS_GRAY.rawValue): format = TJPF_GRAY
        case Int32(TJCS_CMYK.rawValue), Int32(TJCS_YCCK.rawValue): format = TJPF_CMYK
        default: format = TJPF_RGB
        }
        return (Header(width: Int(width), height: Int(height), channels: format == TJPF_GRAY ? 1 : 3,
                       orientation: JPEGMarkers.orientation(bytes)), format)
    }

    private static func decode(_ bytes: UnsafeBufferPointer<UInt8>, path: String?, limits: ImageLimits,
                               choosingReduction: (Header) -> Int) throws(JPEGError) -> (image: Image, reduction: Int) {
        let handle = try TurboJPEGHandle(path: path, compressing: false)
        let (header, format) = try header(bytes, handle: handle, path: path)
        guard header.width <= limits.maximumWidth, header.height <= limits.maximumHeight,
              header.width * header.height <= limits.maximumPixels else {
            throw JPEGError(path: path, message: "\(header.width)×\(header.height) pixels is more than the limit of "
                            + "\(limits.maximumWidth)×\(limits.maximumHeight) and \(limits.maximumPixels) pixels")
        }
        let reduction = choosingReduction(header)
        // TJSCALED: a side scaled by 1/reduction, rounded up.
        let width = (header.width + reduction - 1) / reduction, height = (header.height + reduction - 1) / reduction
        let decodedChannels = format == TJPF_CMYK ? 4 : header.channels
        var failure: JPEGError?
        let decoded = [UInt8](unsafeUninitializedCapacity: width * height * decodedChannels) { buffer, initialised in
            let status = tjDecompress2(handle.raw, bytes.baseAddress, UInt(bytes.count), buffer.baseAddress,
                                       Int32(width), 0, Int32(height), Int32(format.rawValue), TJFLAG_LIMITSCANS)
            if status != 0, let problem = handle.refusal(path: path) { failure = problem }
            // On success (a tolerated warning included) TurboJPEG wrote every row; on a refusal the
            // buffer is dropped unread, but must not stay uninitialised.
            if failure != nil { buffer.initialize(repeating: 0) }
            initialised = buffer.count
        }
        if let failure { throw failure }
        let pixels = format == TJPF_CMYK ? rgb(fromInvertedCMYK: decoded) : decoded
        return (Image(width: width, height: height, channels: header.channels, pixels: pixels)!
            .displayed(as: header.orientation), reduction)
    }

    /// CMYK to RGB as Pillow and most viewers do it: a four-channel JPEG is taken to follow Adobe's
    /// convention (Photoshop writes ink inverted, 255 = no ink), and each colour is its own ink
    /// and the black ink multiplied: R = C·K / 255. No colour management.
    private static func rgb(fromInvertedCMYK cmyk: [UInt8]) -> [UInt8] {
        let pixels = cmyk.count / 4
        return [UInt8](unsafeUninitializedCapacity: pixels * 3) { rgb, initialised in
            for pixel in 0..<pixels {
                let black = UInt32(cmyk[pixel * 4 + 3])
                for channel in 0..<3 {
                    rgb[pixel * 3 + channel] = UInt8((UInt32(cmyk[pixel * 4 + channel]) * black + 127) / 255)
                }
            }
            initialised = pixels * 3
        }
    }

    /// Encodes an 8-bit grey or RGB image at `quality` (1...100): 4:2:0 chroma for colour, baseline
    /// unless `progressive`. The corresponding C function is `tjCompress2`.
    public static func encode(_ picture: Image, quality: Int = 85, progressive: Bool = false) throws(JPEGError) -> Data {
        precondition((1...100).contains(quality))
        let handle = try TurboJPEGHandle(path: nil, compressing: true)
        var output: UnsafeMutablePointer<UInt8>?
        var size: UInt = 0
        defer { tjFree(output) }
        let format = picture.isGrey ? TJPF_GRAY : TJPF_RGB
        let subsampling = picture.isGrey ? TJSAMP_GRAY : TJSAMP_420
        let status = picture.pixels.withUnsafeBufferPointer { pixels in
            tjCompress2(handle.raw, pixels.baseAddress, Int32(picture.width), 0, Int32(picture.height),
                        Int32(format.rawValue), &output, &size, Int32(subsampling.rawValue), Int32(quality),
                        progressive ? TJFLAG_PROGRESSIVE : 0)
        }
        guard status == 0, let output else { throw JPEGError(path: nil, message: handle.lastError) }
        return Data(bytes: output, count: Int(size))
    }
}

/// A TurboJPEG compressor or decompressor instance, destroyed with its owner.
private final class TurboJPEGHandle {
    let raw: tjhandle

    init(path: String?, compressing: Bool) throws(JPEGError) {
        guard let handle = compressing ? tjInitCompress() : tjInitDecompress() else {
            throw JPEGError(path: path, message: "TurboJPEG could not start: " + String(cString: tjGetErrorStr2(nil)))
        }
        raw = handle
    }

    deinit { tjDestroy(raw) }

    var lastError: String { String(cString: tjGetErrorStr2(raw)) }

    /// After a call returned an error: the error unless it is a warning that leaves the whole picture
    /// decoded. libjpeg warns of a truncated file ("Premature end of JPEG file", the missing rows
    /// filled with grey) and of damaged entropy-coded data; those are refused like PNG's CRC errors.
    /// The one warning tolerated is of stray bytes between two markers, which some cameras write.
    func refusal(path: String?) -> JPEGError? {
        let message = lastError
        if tjGetErrorCode(raw) == Int32(TJERR_WARNING.rawValue), message.contains("extraneous bytes before marker") {
            return nil
        }
        return JPEGError(path: path, message: message)
    }
}

/// A JPEG that could not be decoded or encoded: the file (if any) and libjpeg-turbo's own message.
public struct JPEGError: Error, CustomStringConvertible, Sendable {
    public let path: String?
    public let message: String
    public var description: String {
        if let path { return "cannot read JPEG \(path): \(message)" }
        return "JPEG error: \(message)"
    }
}
