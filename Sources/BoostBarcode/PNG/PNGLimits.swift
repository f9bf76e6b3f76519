internal import CPNGDecode

/// The largest picture `PNGCodec` decodes; a larger one is refused from its header, before any
/// pixel memory is taken. Width and height go to libpng's `png_set_user_limits`.
public struct PNGLimits: Sendable, Equatable {
    public var maximumWidth: Int
    public var maximumHeight: Int
    public var maximumPixels: Int

    /// 20 000 pixels a side and 200 megapixels (600 MB as RGB): above any phone camera.
    public init(maximumWidth: Int = 20_000, maximumHeight: Int = 20_000, maximumPixels: Int = 200_000_000) {
        self.maximumWidth = maximumWidth
        self.maximumHeight = maximumHeight
        self.maximumPixels = maximumPixels
    }

    var c: bb_png_limits {
        // libpng takes at most 2³¹ − 1 a side.
        func side(_ value: Int) -> UInt32 { UInt32(min(max(value, 1), Int(Int32.max))) }
        return bb_png_limits(max_width: side(maximumWidth), max_height: side(maximumHeight),
                             max_pixels: UInt64(max(maximumPixels, 1)))
    }
}
