import Foundation

/// The best EAN-13 code under a cost for each digit's bar pattern and for each pair of neighbouring
/// patterns (what blur makes of them together), keeping what the symbology demands: the left half's
/// L/G parities must spell a first digit, and the check digit must hold. A dynamic programme over the
/// 12 encoded positions, its state the last pattern, the parities so far and the weighted digit sum
/// mod 10 (at most 20 × 32 × 10 states), gives the cheapest code exactly; the same programme with sums
/// of exp(−cost / T) in place of minima gives every code's share, the best one's posterior.
struct EAN13Lattice {
    /// Patterns at a left position: digit d in set L is d, in set G 10 + d. At a right position: d (set R).
    static let leftPatternCount = 20, rightPatternCount = 10
    static func patternCount(at position: Int) -> Int { position <= 6 ? leftPatternCount : rightPatternCount }

    /// The modules (true = bar) of `pattern` at `position` (1...12).
    static func modules(of pattern: Int, at position: Int) -> [Bool] {
        if position > 6 { return EAN13Symbology.rPatterns[pattern] }
        return pattern < 10 ? EAN13Symbology.lPatterns[pattern] : EAN13Symbology.gPatterns[pattern - 10]
    }

    /// The first module of `position` (1...12) in the symbol's 95.
    static func firstModule(of position: Int) -> Int { position <= 6 ? 3 + 7 * (position - 1) : 50 + 7 * (position - 7) }

    /// unary[i − 1][p]: the cost of position i showing pattern p.
    var unary: [[Double]]
    /// pairwise[i − 2][p · patternCount(i) + q]: the cost of positions i − 1 and i showing p and q (i = 2...12).
    var pairwise: [[Double]]

    struct Best {
        var code: EAN13Code
        var cost: Double
        /// The code's share of exp(−cost / T) over all valid codes.
        var posterior: Double
    }

    /// Checksum weight of digit index `i` (0...12).
    private static func weight(_ i: Int) -> Int { i % 2 == 1 ? 3 : 1 }

    /// The cheapest code with its posterior at `temperature` (the costs' scale of one unit of log-likelihood).
    func best(temperature: Double) -> Best {
        let inf = Double.infinity
        // Left half: state (pattern, parity bits of positions 2...i, checksum so far).
        func leftIndex(_ q: Int, _ parity: Int, _ sum: Int) -> Int { (q * 32 + parity) * 10 + sum }
        var cost = [Double](repeating: inf, count: 20 * 32 * 10)
        var mass = [Double](repeating: -inf, count: cost.count)   // log Σ exp(−cost / T)
        for q in 0..<10 {
            let i = leftIndex(q, 0, Self.weight(1) * q % 10)
            cost[i] = unary[0][q]
            mass[i] = -unary[0][q] / temperature
        }
        var leftBack: [[Int8]] = []
        // The terms of each state's log-sum, in a buffer made once.
        var terms = [Double](repeating: 0, count: Self.leftPatternCount)
        for position in 2...6 {
            var next = [Double](repeating: inf, count: cost.count), nextMass = next.map { _ in -inf }
            var back = [Int8](repeating: -1, count: cost.count)
            let reachable = 1 << (position - 2), pair = pairwise[position - 2]
            for q in 0..<20 {
                let bit = q >= 10 ? reachable : 0, add = Self.weight(position) * (q % 10)
                for parity in 0..<reachable {
                    for sum in 0..<10 {
                        var best = inf, bestP = -1, termCount = 0
                        for p in 0..<20 {
                            let i = leftIndex(p, parity, sum)
                            guard cost[i] < inf else { continue }
                            let c = cost[i] + pair[p * 20 + q]
                            if c < best { best = c; bestP = p }
                            terms[termCount] = mass[i] - pair[p * 20 + q] / temperature
                            termCount += 1
                        }
                        guard bestP >= 0 else { continue }
                        let target = leftIndex(q, parity | bit, (sum + add) % 10)
                        next[target] = best + unary[position - 1][q]
                        nextMass[target] = Self.logSumExp(terms[..<termCount]) - unary[position - 1][q] / temperature
                        back[target] = Int8(bestP)
                    }
                }
            }
            cost = next; mass = nextMass; leftBack.append(back)
        }
        // The parities name the first digit, which joins the sum with weight 1.
        var joined = [Double](repeating: inf, count: 20 * 10), joinedMass = joined.map { _ in -inf }
        var firstDigit = [Int8](repeating: -1, count: joined.count)
        for digit in 0..<10 {
            let parity = (2...6).reduce(0) { $0 | (EAN13Symbology.firstDigitParity[digit][$1 - 1] ? 1 << ($1 - 2) : 0) }
            for p in 0..<20 {
                for sum in 0..<10 {
                    let i = leftIndex(p, parity, sum), target = p * 10 + (sum + digit) % 10
                    guard cost[i] < inf else { continue }
                    if cost[i] < joined[target] { joined[target] = cost[i]; firstDigit[target] = Int8(digit) }
                    joinedMass[target] = Self.logSumExp([joinedMass[target], mass[i]])
                }
            }
        }
        // Right half: state (pattern, checksum so far).
        var right = joined, rightMass = joinedMass, previousCount = 20
        var rightBack: [[Int8]] = []
        for position in 7...12 {
            var next = [Double](repeating: inf, count: 100), nextMass = next.map { _ in -inf }
            var back = [Int8](repeating: -1, count: 100)
            let pair = pairwise[position - 2]
            for q in 0..<10 {
                let add = Self.weight(position) * q
                for sum in 0..<10 {
                    var best = inf, bestP = -1, termCount = 0
                    for p in 0..<previousCount where right[p * 10 + sum] < inf {
                        let c = right[p * 10 + sum] + pair[p * 10 + q]
                        if c < best { best = c; bestP = p }
                        terms[termCount] = rightMass[p * 10 + sum] - pair[p * 10 + q] / temperature
                        termCount += 1
                    }
                    guard bestP >= 0 else { continue }
                    let target = q * 10 + (sum + add) % 10
                    next[target] = best + unary[position - 1][q]
                    nextMass[target] = Self.logSumExp(terms[..<termCount]) - unary[position - 1][q] / temperature
                    back[target] = Int8(bestP)
                }
            }
            right = next; rightMass = nextMass; rightBack.append(back); previousCount = 10
        }
        // A valid code's sum is 0 mod 10.
        let last = (0..<10).min { right[$0 * 10] < right[$1 * 10] }!
        let total = Self.logSumExp((0..<10).map { rightMass[$0 * 10] })
        var patterns = [Int](repeating: 0, count: 13)
        var q = last, sum = 0
        for position in stride(from: 12, through: 7, by: -1) {
            patterns[position] = q
            let p = Int(rightBack[position - 7][q * 10 + sum])
            sum = ((sum - Self.weight(position) * q) % 10 + 10) % 10
            q = p
        }
        let digit = Int(firstDigit[q * 10 + sum])
        patterns[0] = digit
        sum = ((sum - digit) % 10 + 10) % 10
        var parity = (2...6).reduce(0) { $0 | (EAN13Symbology.firstDigitParity[digit][$1 - 1] ? 1 << ($1 - 2) : 0) }
        for position in stride(from: 6, through: 2, by: -1) {
            patterns[position] = q
            let p = Int(leftBack[position - 2][leftIndex(q, parity, sum)])
            sum = ((sum - Self.weight(position) * (q % 10)) % 10 + 10) % 10
            if q >= 10 { parity &= ~(1 << (position - 2)) }
            q = p
        }
        patterns[1] = q
        let digits = [UInt8(digit)] + (1...12).map { UInt8(patterns[$0] % 10) }
        let bestCost = right[last * 10]
        return Best(code: EAN13Code(digits: digits)!, cost: bestCost, posterior: exp(-bestCost / temperature - total))
    }

    /// The cheapest chain of patterns, whatever their parities and digits (a quick look at a geometry):
    /// the pattern at each position (index 1...12; 0 unused), and the chain's cost.
    func cheapestChain() -> (patterns: [Int], cost: Double) {
        // Called for every geometry the defocus reader's search tries: the buffers are made once per call.
        var cost = unary[0], next = [Double](repeating: .infinity, count: Self.leftPatternCount)
        // back[(position − 2) · 20 + q]: the best pattern before q at `position`.
        var back = [Int](repeating: 0, count: 11 * Self.leftPatternCount)
        for position in 2...12 {
            let n = Self.patternCount(at: position), row = (position - 2) * Self.leftPatternCount
            let previousCount = cost.count
            pairwise[position - 2].withUnsafeBufferPointer { pair in
                unary[position - 1].withUnsafeBufferPointer { own in
                    cost.withUnsafeBufferPointer { cost in
                        for q in 0..<n {
                            var best = Double.infinity, bestP = 0
                            for p in 0..<previousCount where cost[p] + pair[p * n + q] < best { best = cost[p] + pair[p * n + q]; bestP = p }
                            next[q] = best + own[q]
                            back[row + q] = bestP
                        }
                    }
                }
            }
            if next.count != n { next.removeLast(next.count - n) }
            swap(&cost, &next)
        }
        var q = cost.indices.min { cost[$0] < cost[$1] }!
        let total = cost[q]
        var patterns = [Int](repeating: 0, count: 13)
        for position in stride(from: 12, through: 1, by: -1) {
            patterns[position] = q
            if position > 1 { q = back[(position - 2) * Self.leftPatternCount + q] }
        }
        return (patterns, total)
    }

    private static func logSumExp<Values: Collection<Double>>(_ values: Values) -> Double {
        guard let top = values.max(), top > -Double.infinity else { return -Double.infinity }
        return top + log(values.reduce(0) { $0 + exp($1 - top) })
    }
}
