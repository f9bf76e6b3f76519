/// Grey conversion as the notebook did it (DATA.md section 3, step 3): OpenCV's BGR→grey applied
/// to an RGB array, so the weights land swapped: 0.114·R + 0.587·G + 0.299·B, in OpenCV's 15-bit
/// fixed point with round half up (checked bit for bit against opencv-python on 100 000 random
/// pixels). Grey images pass through unchanged.
public enum GreyConverter {
    static let shift = 15
    // OpenCV's 15-bit B, G, R weights (summing to 2^15), applied to channels 0, 1, 2 of an RGB image.
    static let firstChannelWeight = 3735
    static let secondChannelWeight = 19235
    static let thirdChannelWeight = 9798

    @inline(__always)
    public static func grey(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> UInt8 {
        // 32-bit arithmetic (the sum stays below 2^23), which vectorises where 64-bit does not.
        let sum = Int32(r) &* Int32(firstChannelWeight) &+ Int32(g) &* Int32(secondChannelWeight)
            &+ Int32(b) &* Int32(thirdChannelWeight)
        return UInt8(truncatingIfNeeded: (sum &+ Int32(1 << (shift - 1))) >> Int32(shift))
    }

    /// Converts the rows in `rows` (all by default); the others stay 0.
    public static func convert(_ image: Image, rows: Range<Int>? = nil) -> Image {
        if image.isGrey { return image }
        let rows = rows ?? 0..<image.height
        var output = Image(width: image.width, height: image.height, channels: 1)
        image.pixels.withUnsafeBufferPointer { source in
            output.pixels.withUnsafeMutableBufferPointer { destination in
                for y in rows {
                    for x in 0..<image.width {
                        let i = y * image.width + x
                        destination[i] = grey(source[3 * i], source[3 * i + 1], source[3 * i + 2])
                    }
                }
            }
        }
        return output
    }
}
