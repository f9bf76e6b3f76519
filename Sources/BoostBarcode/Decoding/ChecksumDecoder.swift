import Foundation

/// The code a model's 13 × 10 digit probabilities spell, two ways.
public struct DecodedCode: Sendable, Equatable {
    /// The most probable digit at each position, check digit or not.
    public var raw: EAN13Code
    /// The most probable code whose check digit is valid.
    public var constrained: EAN13Code
    /// Probability of `constrained` among all codes with a valid check digit, taking the positions
    /// as independent: P(code) / Σ P(valid code).
    public var confidence: Double
}

/// Exact checksum-constrained decoding. A code is valid when Σ wᵢ·dᵢ ≡ 0 (mod 10), with weight 1 at
/// even (0-based) positions and 3 at odd ones. A dynamic programme over the positions keeps, for each
/// residue of the weighted sum so far, the best partial code and the total probability of all partial
/// codes: 13 × 10 × 10 steps instead of 10¹² codes.
public enum ChecksumDecoder {
    public static func decode(_ probabilities: [[Float]]) -> DecodedCode {
        precondition(probabilities.count == 13 && probabilities.allSatisfy { $0.count == 10 })
        // Floors keep a zero probability from wiping out a whole residue.
        let p = probabilities.map { $0.map { max(Double($0), 1e-12) } }
        var bestLog = [Double](repeating: -.infinity, count: 10)
        var total = [Double](repeating: 0, count: 10)
        bestLog[0] = 0
        total[0] = 1
        // choice[position][residue after it] = (digit, residue before it) of the best partial code.
        var choice = [[(digit: Int, previous: Int)]](repeating: Array(repeating: (0, 0), count: 10), count: 13)
        for position in 0..<13 {
            let weight = position % 2 == 0 ? 1 : 3
            var nextBest = [Double](repeating: -.infinity, count: 10)
            var nextTotal = [Double](repeating: 0, count: 10)
            for residue in 0..<10 where total[residue] > 0 {
                for digit in 0..<10 {
                    let next = (residue + weight * digit) % 10
                    nextTotal[next] += total[residue] * p[position][digit]
                    let score = bestLog[residue] + log(p[position][digit])
                    if score > nextBest[next] {
                        nextBest[next] = score
                        choice[position][next] = (digit, residue)
                    }
                }
            }
            bestLog = nextBest
            total = nextTotal
        }
        var digits = [UInt8](repeating: 0, count: 13)
        var residue = 0
        for position in stride(from: 12, through: 0, by: -1) {
            let (digit, previous) = choice[position][residue]
            digits[position] = UInt8(digit)
            residue = previous
        }
        let raw = probabilities.map { mostProbableDigit($0[...]) }
        let confidence = exp(bestLog[0]) / total[0]
        return DecodedCode(raw: EAN13Code(digits: raw)!, constrained: EAN13Code(digits: digits)!,
                           confidence: min(1, max(0, confidence)))
    }
}
