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

extension Image {
    /// The image at half the size: each 2 × 2 block of pixels averaged (rounded) in each channel; an odd
    /// last row or column is left out, so that pixel centre x of the copy is 2x + 0.5 here (`Quad.scaled(by: 2)`).
    public func halved() -> Image {
        let (outWidth, outHeight) = (width / 2, height / 2)
        var out = Image(width: outWidth, height: outHeight, channels: channels)
        let (rowBytes, outRowBytes, channels) = (width * channels, outWidth * channels, channels)
        pixels.withUnsafeBufferPointer { source in
            out.pixels.withUnsafeMutableBufferPointer { target in
                for y in 0..<outHeight {
                    let (top, bottom, row) = (2 * y * rowBytes, (2 * y + 1) * rowBytes, y * outRowBytes)
                    for x in 0..<outWidth {
                        for c in 0..<channels {
                            let left = 2 * x * channels + c, right = left + channels
                            let sum = Int(source[top + left]) + Int(source[top + right])
                                + Int(source[bottom + left]) + Int(source[bottom + right])
                            target[row + x * channels + c] = UInt8((sum + 2) / 4)
                        }
                    }
                }
            }
        }
        return out
    }

    /// The image at twice the size, bilinear (`Resampler`): pixel centre x here lies at 2x + 0.5 in the copy
    /// (`Quad.scaled(by: 0.5)` maps the copy's quads back).
    public func doubled() -> Image {
        Resampler(width: 2 * width, height: 2 * height).resize(self)
    }
}
