/// An RGB colour with components in 0...255.
struct Colour: Sendable, Equatable {
    var red: Float
    var green: Float
    var blue: Float

    init(red: Float, green: Float, blue: Float) {
        self.red = red
        self.green = green
        self.blue = blue
    }

    init(grey: Float) { self.init(red: grey, green: grey, blue: grey) }

    subscript(channel: Int) -> Float { channel == 0 ? red : channel == 1 ? green : blue }

    /// A random colour of about the given lightness (0...255) and saturation (0...1).
    static func random(lightness: ClosedRange<Double>, saturation: ClosedRange<Double>,
                       using random: inout SeededRandom) -> Colour {
        let level = Float(random.uniform(lightness))
        let amount = Float(random.uniform(saturation))
        let hue = (0..<3).map { _ in Float(random.uniform(-1...1)) }
        func component(_ c: Int) -> Float { min(255, max(0, level * (1 + amount * hue[c]))) }
        return Colour(red: component(0), green: component(1), blue: component(2))
    }
}

/// The renderer's working picture: three planes (red, green, blue) of Float values in about 0...255,
/// stored one after another in `values`. Effects run on it before it is rounded into an `Image`.
struct ColourPlanes {
    let width: Int
    let height: Int
    var values: [Float]

    init(width: Int, height: Int, fill: Colour = Colour(grey: 0)) {
        self.width = width
        self.height = height
        let plane = width * height
        values = [Float](repeating: fill.red, count: plane)
            + [Float](repeating: fill.green, count: plane)
            + [Float](repeating: fill.blue, count: plane)
    }

    var planeSize: Int { width * height }

    /// Mixes `colour` into every pixel with the weight `mask` gives it (0...1), over the mask's window.
    mutating func blend(_ colour: Colour, through mask: CoverageMask, opacity: Float = 1) {
        let (plane, imageWidth) = (planeSize, width)
        values.withUnsafeMutableBufferPointer { values in
            mask.values.withUnsafeBufferPointer { weights in
                for row in 0..<mask.height {
                    let imageRow = (mask.originY + row) * imageWidth + mask.originX
                    let maskRow = row * mask.width
                    for column in 0..<mask.width {
                        let weight = weights[maskRow + column] * opacity
                        if weight <= 0 { continue }
                        for channel in 0..<3 {
                            let index = channel * plane + imageRow + column
                            values[index] += (colour[channel] - values[index]) * weight
                        }
                    }
                }
            }
        }
    }

    /// Rounds to 8 bits, clamping, interleaved RGB.
    func image() -> Image {
        var pixels = [UInt8](repeating: 0, count: planeSize * 3)
        let plane = planeSize
        values.withUnsafeBufferPointer { values in
            pixels.withUnsafeMutableBufferPointer { pixels in
                for index in 0..<plane {
                    for channel in 0..<3 {
                        let value = values[channel * plane + index]
                        pixels[index * 3 + channel] = UInt8(min(255, max(0, value)) + 0.5)
                    }
                }
            }
        }
        return Image(width: width, height: height, channels: 3, pixels: pixels)!
    }
}
