import Foundation
internal import CPNG
internal import CPNGDecode

/// Reads and writes PNG files: decoding through libpng's classic API in a small C reader (so that
/// size limits apply before any pixel memory is taken, decoding can stop after any row, and libpng's
/// longjmp stays in C), but for the common photo, whose whole decoding has a faster path of its own
/// (`fastDecode`); encoding through libpng's simplified API.
///
/// Decoding follows OpenCV's `imread`, which is how the notebook loaded its photos: colour files (RGB,
/// RGBA, palette, 8 or 16 bit) become 3-channel RGB, grey files (with or without alpha) 1 channel,
/// 16-bit samples keep their high byte, alpha is dropped (the stored colours are kept, not
/// composited), and no gamma conversion is applied.
public enum PNGCodec {
    /// Decodes PNG bytes; errors name `path` when given. The stream checksum and the CRCs of the
    /// critical chunks are checked (ancillary chunks are passed over unread, a bad CRC and all). The
    /// corresponding C functions are `bb_png_fast_…` and `bb_png_reader_…` (Sources/CPNGDecode).
    public static func decode(_ data: Data, path: String? = nil, limits: ImageLimits = ImageLimits()) throws(PNGError) -> Image {
        try decode(data, path: path, limits: limits, topRows: nil)
    }

    /// Decodes only the top `topRows` rows (all when nil) of a picture of full size: the rows below
    /// stay black (0) and are never read, so decoding stops there. What is read is checked as a full
    /// decode checks it (chunk CRCs), but the zlib stream's checksum, which follows the last row, is
    /// neither computed nor checked, and a file that is damaged or cut short below those rows decodes
    /// without an error. An interlaced file is decoded in full.
    public static func decode(_ data: Data, path: String? = nil, limits: ImageLimits = ImageLimits(),
                              topRows: Int?) throws(PNGError) -> Image {
        let outcome = data.withUnsafeBytes { raw in
            decode(raw.bindMemory(to: UInt8.self), limits: limits, topRows: topRows)
        }
        switch outcome {
        case .success(let image): return image
        case .failure(let failure): throw PNGError(path: path, message: failure.message)
        }
    }

    private struct Failure: Error { let message: String }

    private static func decode(_ bytes: UnsafeBufferPointer<UInt8>, limits: ImageLimits, topRows: Int?) -> Result<Image, Failure> {
        if topRows == nil, let image = fastDecode(bytes, limits: limits) { return .success(image) }
        var message = [CChar](repeating: 0, count: 256)
        func failure() -> Failure {
            Failure(message: String(decoding: message.prefix { $0 != 0 }.map(UInt8.init(bitPattern:)), as: UTF8.self))
        }
        var reader: OpaquePointer?
        defer { bb_png_reader_close(reader) }
        var header = bb_png_header()
        let stopsEarly = topRows != nil
        guard bb_png_reader_open(bytes.baseAddress, bytes.count, limits.c, stopsEarly ? 1 : 0, &reader, &header,
                                 &message, message.count) == 0 else { return .failure(failure()) }
        let (width, height, channels) = (Int(header.width), Int(header.height), Int(header.channels))
        let rows = header.interlaced != 0 ? height : min(height, max(0, topRows ?? height))
        let rowBytes = width * channels
        var status: Int32 = 0
        let pixels = [UInt8](unsafeUninitializedCapacity: height * rowBytes) { buffer, initialised in
            let start = buffer.baseAddress!
            status = bb_png_reader_read_rows(reader, start, UInt32(rows), &message, message.count)
            if status == 0, !stopsEarly { status = bb_png_reader_finish(reader, &message, message.count) }
            (start + rows * rowBytes).initialize(repeating: 0, count: (height - rows) * rowBytes)
            initialised = height * rowBytes
        }
        guard status == 0 else { return .failure(failure()) }
        return .success(Image(width: width, height: height, channels: channels, pixels: pixels)!)
    }

    /// The most pixels `fastDecode` takes: it holds the whole inflated stream beside the pixels, twice
    /// what libpng's row-by-row reading holds, so bigger photos (a 12-megapixel phone photo is not)
    /// are left to libpng.
    static let fastDecodeLargestPixels = 16_000_000

    /// The common photo (8-bit grey or RGB, not interlaced, at most `largestPixels`) decoded without
    /// libpng, about three times as fast: nil for any other file and for any fault, which the libpng
    /// reader then reports.
    static func fastDecode(_ bytes: UnsafeBufferPointer<UInt8>, limits: ImageLimits,
                           largestPixels: Int = fastDecodeLargestPixels) -> Image? {
        var limits = limits
        limits.maximumPixels = min(limits.maximumPixels, largestPixels)
        var header = bb_png_header()
        guard bb_png_fast_probe(bytes.baseAddress, bytes.count, limits.c, &header) == 1 else { return nil }
        let (width, height, channels) = (Int(header.width), Int(header.height), Int(header.channels))
        var decoded = false
        let pixels = [UInt8](unsafeUninitializedCapacity: height * width * channels) { buffer, initialised in
            decoded = bb_png_fast_decode(bytes.baseAddress, bytes.count, limits.c, buffer.baseAddress) == 1
            initialised = decoded ? buffer.count : 0
        }
        return decoded ? Image(width: width, height: height, channels: channels, pixels: pixels) : nil
    }

    /// Reads and decodes a PNG file, the top `topRows` rows only when given (see `decode(_:path:limits:topRows:)`).
    public static func read(contentsOf url: URL, limits: ImageLimits = ImageLimits(), topRows: Int? = nil) throws(PNGError) -> Image {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw PNGError(path: url.path, message: "cannot read file: \(error.localizedDescription)")
        }
        return try decode(data, path: url.path, limits: limits, topRows: topRows)
    }

    /// Encodes an 8-bit grey or RGB image. The corresponding C function is `png_image_write_to_memory`.
    public static func encode(_ picture: Image) throws(PNGError) -> Data {
        var image = png_image()
        image.version = png_uint_32(PNG_IMAGE_VERSION)
        image.width = png_uint_32(picture.width)
        image.height = png_uint_32(picture.height)
        image.format = picture.isGrey ? png_uint_32(PNG_FORMAT_GRAY) : png_uint_32(PNG_FORMAT_RGB)
        // One pass into a buffer sized by zlib's worst case (libpng's PNG_IMAGE_COMPRESSED_SIZE_MAX,
        // a function-like macro Swift cannot import, plus room for the chunk headers). Should libpng
        // still ask for more, it says how much and the second pass uses that.
        let rawBytes = (picture.width * picture.channels + 1) * picture.height
        var size = png_alloc_size_t(rawBytes + rawBytes / 8 + rawBytes / 64 + rawBytes / 256 + 1024)
        for _ in 0..<2 {
            let capacity = size
            var bytes = [UInt8](repeating: 0, count: Int(capacity))
            let written = picture.pixels.withUnsafeBytes { raw in
                bytes.withUnsafeMutableBytes { out in
                    png_image_write_to_memory(&image, out.baseAddress, &size, 0, raw.baseAddress, 0, nil)
                }
            }
            if written != 0 { return Data(bytes.prefix(Int(size))) }
            guard size > capacity else { break }
        }
        throw PNGError(path: nil, message: message(of: image))
    }

    private static func message(of image: png_image) -> String {
        withUnsafeBytes(of: image.message) { raw in
            let bytes = raw.prefix(while: { $0 != 0 })
            return bytes.isEmpty ? "unknown libpng error" : String(decoding: bytes, as: UTF8.self)
        }
    }
}

extension ImageLimits {
    /// Width and height go to libpng's `png_set_user_limits`.
    var c: bb_png_limits {
        // libpng takes at most 2³¹ − 1 a side.
        func side(_ value: Int) -> UInt32 { UInt32(min(max(value, 1), Int(Int32.max))) }
        return bb_png_limits(max_width: side(maximumWidth), max_height: side(maximumHeight),
                             max_pixels: UInt64(max(maximumPixels, 1)))
    }
}
