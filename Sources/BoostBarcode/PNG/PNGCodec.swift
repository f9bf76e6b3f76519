import Foundation
internal import CPNG
internal import CPNGDecode

/// Reads and writes PNG files: decoding through libpng's classic API in a small C function (so that
/// size limits apply before any pixel memory is taken, and libpng's longjmp stays in C), encoding
/// through its simplified API.
///
/// Decoding follows OpenCV's `imread`, which is how the notebook loaded its photos: colour files (RGB,
/// RGBA, palette, 8 or 16 bit) become 3-channel RGB, grey files (with or without alpha) 1 channel,
/// 16-bit samples keep their high byte, alpha is dropped (the stored colours are kept, not
/// composited), and no gamma conversion is applied.
public enum PNGCodec {
    /// Decodes PNG bytes; errors name `path` when given.
    /// The corresponding C function is `bb_png_decode` (Sources/CPNGDecode).
    public static func decode(_ data: Data, path: String? = nil, limits: PNGLimits = PNGLimits()) throws(PNGError) -> Image {
        var decoded = bb_png_image()
        var message = [CChar](repeating: 0, count: 256)
        let status = data.withUnsafeBytes { raw in
            bb_png_decode(raw.bindMemory(to: UInt8.self).baseAddress, raw.count, limits.c, &decoded, &message, message.count)
        }
        guard status == 0 else {
            throw PNGError(path: path, message: String(decoding: message.prefix { $0 != 0 }.map(UInt8.init(bitPattern:)),
                                                       as: UTF8.self))
        }
        defer { bb_png_free(&decoded) }
        let (width, height, channels) = (Int(decoded.width), Int(decoded.height), Int(decoded.channels))
        let pixels = [UInt8](UnsafeBufferPointer(start: decoded.pixels, count: width * height * channels))
        return Image(width: width, height: height, channels: channels, pixels: pixels)!
    }

    /// Reads and decodes a PNG file.
    public static func read(contentsOf url: URL, limits: PNGLimits = PNGLimits()) throws(PNGError) -> Image {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw PNGError(path: url.path, message: "cannot read file: \(error.localizedDescription)")
        }
        return try decode(data, path: url.path, limits: limits)
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
