import Foundation
internal import CPNG

/// Reads and writes PNG files through libpng's simplified API (no setjmp in Swift frames).
///
/// Colour files (RGB, RGBA, palette, 8 or 16 bit) decode to 3-channel RGB; grey files (with or
/// without alpha) decode to 1 channel. Alpha is dropped, not composited: the stored colours are kept,
/// as OpenCV's `imread` does, which is how the notebook loaded its photos.
public enum PNGCodec {
    /// Decodes PNG bytes. The corresponding C functions are `png_image_begin_read_from_memory`
    /// and `png_image_finish_read`.
    public static func decode(_ data: Data, path: String? = nil) throws(PNGError) -> Image {
        var image = png_image()
        image.version = png_uint_32(PNG_IMAGE_VERSION)
        let begun = data.withUnsafeBytes { raw in
            png_image_begin_read_from_memory(&image, raw.baseAddress, raw.count)
        }
        guard begun != 0 else { throw PNGError(path: path, message: message(of: image)) }
        defer { png_image_free(&image) }

        let isColour = image.format & png_uint_32(PNG_FORMAT_FLAG_COLOR) != 0
        let hasAlpha = image.format & png_uint_32(PNG_FORMAT_FLAG_ALPHA) != 0
        let isSixteenBit = image.format & png_uint_32(PNG_FORMAT_FLAG_LINEAR) != 0
        let outputChannels = isColour ? 3 : 1
        // Ask for the stored channels (alpha included) so libpng never composites; drop alpha below.
        // 16-bit files are read as 16-bit ("linear"): asking for 8 bits would gamma-encode them.
        let readChannels = outputChannels + (hasAlpha ? 1 : 0)
        image.format = (isColour ? png_uint_32(PNG_FORMAT_FLAG_COLOR) : 0)
            | (hasAlpha ? png_uint_32(PNG_FORMAT_FLAG_ALPHA) : 0)
            | (isSixteenBit ? png_uint_32(PNG_FORMAT_FLAG_LINEAR) : 0)

        let width = Int(image.width), height = Int(image.height)
        guard width > 0, height > 0, width.multipliedReportingOverflow(by: height).overflow == false,
              width * height <= 1 << 28 else {
            throw PNGError(path: path, message: "unreasonable size \(width)×\(height)")
        }
        let sampleCount = width * height * readChannels
        let samples: [UInt8]
        if isSixteenBit {
            var wide = [UInt16](repeating: 0, count: sampleCount)
            try finishRead(&image, into: &wide, path: path)
            samples = highBytes(wide, channels: readChannels, hasAlpha: hasAlpha)
        } else {
            var narrow = [UInt8](repeating: 0, count: sampleCount)
            try finishRead(&image, into: &narrow, path: path)
            samples = narrow
        }
        let pixels = hasAlpha ? dropAlpha(samples, keeping: outputChannels) : samples
        return Image(width: width, height: height, channels: outputChannels, pixels: pixels)!
    }

    private static func finishRead<Sample>(_ image: inout png_image, into buffer: inout [Sample],
                                           path: String?) throws(PNGError) {
        let finished = buffer.withUnsafeMutableBytes { out in
            png_image_finish_read(&image, nil, out.baseAddress, 0, nil)
        }
        guard finished != 0 else { throw PNGError(path: path, message: message(of: image)) }
    }

    /// 16-bit samples to 8 bits by keeping the high byte, as OpenCV's `imread` does
    /// (`png_set_strip_16`). libpng's 16-bit output premultiplies colour by alpha; that is undone first.
    private static func highBytes(_ samples: [UInt16], channels: Int, hasAlpha: Bool) -> [UInt8] {
        guard hasAlpha else { return samples.map { UInt8($0 >> 8) } }
        var out = [UInt8](repeating: 0, count: samples.count)
        for pixel in Swift.stride(from: 0, to: samples.count, by: channels) {
            let alpha = UInt32(samples[pixel + channels - 1])
            for c in 0..<channels - 1 {
                let stored = alpha == 0 ? 0 : min(65535, (UInt32(samples[pixel + c]) * 65535 + alpha / 2) / alpha)
                out[pixel + c] = UInt8(stored >> 8)
            }
            out[pixel + channels - 1] = UInt8(alpha >> 8)
        }
        return out
    }

    /// Reads and decodes a PNG file.
    public static func read(contentsOf url: URL) throws(PNGError) -> Image {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw PNGError(path: url.path, message: "cannot read file: \(error.localizedDescription)")
        }
        return try decode(data, path: url.path)
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

    private static func dropAlpha(_ buffer: [UInt8], keeping channels: Int) -> [UInt8] {
        let stride = channels + 1
        var out = [UInt8](repeating: 0, count: buffer.count / stride * channels)
        var o = 0
        for i in Swift.stride(from: 0, to: buffer.count, by: stride) {
            for c in 0..<channels { out[o + c] = buffer[i + c] }
            o += channels
        }
        return out
    }
}
