/// An 8-bit image, row-major, `channels` interleaved bytes per pixel (1 = grey, 3 = RGB).
public struct Image: Equatable, Sendable {
    public let width: Int
    public let height: Int
    public let channels: Int
    public var pixels: [UInt8]

    /// An image of the given size filled with `fill` in every channel.
    public init(width: Int, height: Int, channels: Int, fill: UInt8 = 0) {
        precondition(width >= 0 && height >= 0 && (channels == 1 || channels == 3))
        self.width = width
        self.height = height
        self.channels = channels
        self.pixels = [UInt8](repeating: fill, count: width * height * channels)
    }

    /// Wraps existing bytes; `nil` when the count does not match the shape.
    public init?(width: Int, height: Int, channels: Int, pixels: [UInt8]) {
        guard width >= 0, height >= 0, channels == 1 || channels == 3,
              pixels.count == width * height * channels else { return nil }
        self.width = width
        self.height = height
        self.channels = channels
        self.pixels = pixels
    }

    public var isGrey: Bool { channels == 1 }

    /// Byte offset of channel 0 of pixel (x, y).
    @inline(__always)
    public func offset(x: Int, y: Int) -> Int { (y * width + x) * channels }
}
