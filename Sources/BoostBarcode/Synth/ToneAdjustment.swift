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
                let gain = exposure * whiteBalance[channel] / 255
                for index in channel * plane..<(channel + 1) * plane {
                    let light = max(0, values[index] * gain)
                    let encoded = 255 * powf(light, gamma)
                    values[index] = 128 + (encoded - 128) * contrast + blackLift * (1 - encoded / 255)
                }
            }
        }
    }
}

/// Sensor noise: a fixed floor plus shot noise growing with brightness, shared by the channels
/// (luminance noise) and partly per channel (colour noise).
struct SensorNoise: Sendable {
    var floor: Float
    var shot: Float
    var colourShare: Float
    var seed: UInt64

    static func random(using random: inout SeededRandom) -> SensorNoise {
        SensorNoise(floor: Float(random.logUniform(0.5...6)), shot: Float(random.uniform(0...0.25)),
                    colourShare: Float(random.uniform(0...0.6)), seed: random.next())
    }

    func apply(to planes: inout ColourPlanes) {
        var random = SeededRandom(seed: seed)
        let plane = planes.planeSize
        let floorSquared = floor * floor
        planes.values.withUnsafeMutableBufferPointer { values in
            for index in 0..<plane {
                let shared = SensorNoise.gaussian(&random)
                for channel in 0..<3 {
                    let value = values[channel * plane + index]
                    let sigma = (floorSquared + shot * max(0, value)).squareRoot()
                    let own = colourShare > 0 ? SensorNoise.gaussian(&random) : 0
                    values[channel * plane + index] = value + sigma * ((1 - colourShare) * shared + colourShare * own)
                }
            }
        }
    }

    /// About a standard normal: four 16-bit uniforms summed (Irwin–Hall), centred and scaled; one draw.
    @inline(__always)
    private static func gaussian(_ random: inout SeededRandom) -> Float {
        let bits = random.next()
        let sum = Float(bits & 0xFFFF) + Float((bits >> 16) & 0xFFFF) + Float((bits >> 32) & 0xFFFF) + Float(bits >> 48)
        return (sum / 65535 - 2) * 1.7320508
    }
}
