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
