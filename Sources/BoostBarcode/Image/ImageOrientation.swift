/// How a stored picture must be turned to be shown the way its camera held it: the values 1–8 of the
/// EXIF / TIFF `Orientation` tag (0x0112). A phone held sideways stores its sensor's rows and tags the
/// file 6 or 8; viewers, and this reader, show (and read) the turned picture.
public enum ImageOrientation: UInt16, Sendable, CaseIterable {
    case upright = 1
    case mirrored = 2
    case halfTurn = 3
    case flipped = 4
    /// Mirrored across the top-left to bottom-right diagonal.
    case transposed = 5
    /// Turned a quarter clockwise to be shown.
    case quarterClockwise = 6
    /// Mirrored across the top-right to bottom-left diagonal.
    case transversed = 7
    /// Turned a quarter anticlockwise to be shown.
    case quarterAnticlockwise = 8

    /// True when the shown picture's width is the stored picture's height.
    public var swapsSides: Bool { rawValue >= 5 }

    /// The stored pixel shown at (x, y) of the displayed picture, for a stored picture of `width` × `height`.
    @inline(__always)
    func storedPixel(x: Int, y: Int, width: Int, height: Int) -> (x: Int, y: Int) {
        switch self {
        case .upright: (x, y)
        case .mirrored: (width - 1 - x, y)
        case .halfTurn: (width - 1 - x, height - 1 - y)
        case .flipped: (x, height - 1 - y)
        case .transposed: (y, x)
        case .quarterClockwise: (y, height - 1 - x)
        case .transversed: (width - 1 - y, height - 1 - x)
        case .quarterAnticlockwise: (width - 1 - y, x)
        }
    }
}

extension Image {
    /// The picture as a viewer shows it, given how it was stored.
    public func displayed(as orientation: ImageOrientation) -> Image {
        guard orientation != .upright else { return self }
        let (shownWidth, shownHeight) = orientation.swapsSides ? (height, width) : (width, height)
        var shown = [UInt8](repeating: 0, count: pixels.count)
        pixels.withUnsafeBufferPointer { source in
            shown.withUnsafeMutableBufferPointer { target in
                var out = 0
                for y in 0..<shownHeight {
                    for x in 0..<shownWidth {
                        let stored = orientation.storedPixel(x: x, y: y, width: width, height: height)
                        let from = (stored.y * width + stored.x) * channels
                        for channel in 0..<channels { target[out + channel] = source[from + channel] }
                        out += channels
                    }
                }
            }
        }
        return Image(width: shownWidth, height: shownHeight, channels: channels, pixels: shown)!
    }
}
