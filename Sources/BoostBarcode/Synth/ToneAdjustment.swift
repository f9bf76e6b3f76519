import Foundation

/// Exposure, white balance, gamma and contrast: how the camera maps light to 0...255.
struct ToneAdjustment: Sendable {
    /// Overall gain, and a gain per channel (a colour cast).
    var exposure: Float
    var whiteBalance: Colour
    var gamma: Float
    /// Contrast about mid grey (1 = unchanged), then a lift of the blacks.
    var contrast: Float
    var blackLift: Float

    static func random(using random: inout SeededRandom) -> ToneAdjustment {
        let lowContrast = random.chance(0.25)
        return ToneAdjustment(
            exposure: Float(random.uniform(0.75...1.2)),
            whiteBalance: Colour(red: Float(random.uniform(0.85...1.15)), green: 1, blue: Float(random.uniform(0.85...1.15))),
            gamma: Float(random.uniform(0.8...1.25)),
            contrast: Float(lowContrast ? random.uniform(0.35...0.7) : random.uniform(0.8...1.1)),
            blackLift: Float(lowContrast ? random.uniform(10...60) : random.uniform(0...12)))
    }

    func apply(to planes: inout ColourPlanes) {
        let plane = planes.planeSize
        planes.values.withUnsafeMutableBufferPointer { values in
            for channel in 0..<3 {
                let channelGain = gain(channel)
                for index in channel * plane..<(channel + 1) * plane { values[index] = map(values[index], gain: channelGain) }
            }
        }
    }

    /// The colour a scene colour comes out as, clamped to 0...255 as the picture is.
    func map(_ colour: Colour) -> Colour {
        let (red, green, blue) = (map(colour.red, gain: gain(0)), map(colour.green, gain: gain(1)), map(colour.blue, gain: gain(2)))
        return Colour(red: min(255, max(0, red)), green: min(255, max(0, green)), blue: min(255, max(0, blue)))
    }

    private func gain(_ channel: Int) -> Float { exposure * whiteBalance[channel] / 255 }

    @inline(__always)
    private func map(_ value: Float, gain: Float) -> Float {
        let light = max(0, value * gain)
        let encoded = 255 * powf(light, gamma)
        return 128 + (encoded - 128) * contrast + blackLift * (1 - encoded / 255)
    }
}
