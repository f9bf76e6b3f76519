import Foundation

/// A deterministic pseudo-random source: xoshiro256** seeded through SplitMix64.
///
/// Both algorithms use only 64-bit integer arithmetic, so a seed gives the same sequence on every
/// platform and Swift version. Every draw helper is written here rather than taken from the standard
/// library, whose `random(in:using:)` algorithms are not promised to stay the same.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: (UInt64, UInt64, UInt64, UInt64)

    /// Seeds the four state words with successive SplitMix64 outputs, as xoshiro's authors advise.
    public init(seed: UInt64) {
        var mixer = SplitMix64(seed: seed)
        state = (mixer.next(), mixer.next(), mixer.next(), mixer.next())
    }

    /// A generator for one stream of a master seed: `path` names the stream (say, split and image index),
    /// so that each image can be drawn on any thread, in any order, with the same result.
    public init(seed: UInt64, path: UInt64...) {
        var mixed = SeededRandom.scramble(seed)
        for component in path { mixed = SeededRandom.scramble(mixed &+ SeededRandom.scramble(component)) }
        self.init(seed: mixed)
    }

    /// Sets the raw state; for checking against the reference implementation's published outputs.
    init(state: (UInt64, UInt64, UInt64, UInt64)) { self.state = state }

    public mutating func next() -> UInt64 {
        let result = rotateLeft(state.1 &* 5, 7) &* 9
        let shifted = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= shifted
        state.3 = rotateLeft(state.3, 45)
        return result
    }

    /// Uniform in [0, 1), from the top 53 bits.
    public mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// Uniform in `range`.
    public mutating func uniform(_ range: ClosedRange<Double>) -> Double {
        range.lowerBound + (range.upperBound - range.lowerBound) * unit()
    }

    /// Log-uniform in `range` (both bounds positive): every factor of two equally likely.
    public mutating func logUniform(_ range: ClosedRange<Double>) -> Double {
        range.lowerBound * pow(range.upperBound / range.lowerBound, unit())
    }

    /// Uniform integer in `range`, by multiply-and-shift (bias below 2⁻⁴⁰ for the small ranges used here).
    public mutating func integer(in range: ClosedRange<Int>) -> Int {
        let count = UInt64(range.upperBound - range.lowerBound + 1)
        return range.lowerBound + Int(count.multipliedFullWidth(by: next()).high)
    }

    /// `true` with probability `probability`.
    public mutating func chance(_ probability: Double) -> Bool { unit() < probability }

    /// A standard normal draw (Box–Muller).
    public mutating func normal() -> Double {
        let radius = (-2 * log(1 - unit())).squareRoot()
        return radius * cos(2 * Double.pi * unit())
    }

    /// One element of a non-empty array, by weight.
    public mutating func pick<T>(_ choices: [(weight: Double, value: T)]) -> T {
        var target = unit() * choices.reduce(0) { $0 + $1.weight }
        for choice in choices {
            target -= choice.weight
            if target < 0 { return choice.value }
        }
        return choices[choices.count - 1].value
    }

    /// One element of a non-empty array, all equally likely.
    public mutating func element<T>(of choices: [T]) -> T { choices[integer(in: 0...(choices.count - 1))] }

    /// One SplitMix64 step: a bijective scramble of one word.
    private static func scramble(_ value: UInt64) -> UInt64 {
        var mixer = SplitMix64(seed: value)
        return mixer.next()
    }

    @inline(__always)
    private func rotateLeft(_ value: UInt64, _ amount: UInt64) -> UInt64 {
        (value << amount) | (value >> (64 - amount))
    }
}
