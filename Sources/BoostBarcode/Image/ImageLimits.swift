/// The largest picture `PNGCodec` and `JPEGCodec` decode; a larger one is refused from its header,
/// before any pixel memory is taken. The sizes are the file's own, before any scaling or EXIF turn.
public struct ImageLimits: Sendable, Equatable {
    public var maximumWidth: Int
    public var maximumHeight: Int
    public var maximumPixels: Int

    /// 20 000 pixels a side and 200 megapixels (600 MB as RGB): above any phone camera.
    public init(maximumWidth: Int = 20_000, maximumHeight: Int = 20_000, maximumPixels: Int = 200_000_000) {
        self.maximumWidth = maximumWidth
        self.maximumHeight = maximumHeight
        self.maximumPixels = maximumPixels
    }
}
