/// Draws EAN-13 codes the way a shop's shelves hold them: a few hundred manufacturers, a few of them
/// very common, each under a country prefix from a mix that leans on Russia (460–469) and books (978/979).
///
/// The manufacturers come from the master seed alone, so every image of a dataset, train or test,
/// draws from the same shop.
public struct CodeSampler: Sendable {
    /// GS1 prefix ranges (first three digits) and their share of the manufacturers.
    static let prefixMix: [(weight: Double, value: ClosedRange<Int>)] = [
        (0.30, 460...460),  // Russia, by far the most common
        (0.22, 461...469),  // Russia
        (0.10, 978...979),  // books (ISBN), music (ISMN)
        (0.10, 400...440),  // Germany
        (0.05, 470...489),  // Taiwan, Baltics, Belarus, Ukraine, Kazakhstan...
        (0.03, 590...590),  // Poland
        (0.04, 200...299),  // in-store codes
        (0.03, 0...139),    // USA and Canada (UPC-A written as EAN-13)
        (0.03, 300...379),  // France
        (0.02, 690...699),  // China
        (0.02, 800...839),  // Italy
        (0.01, 840...849),  // Spain
        (0.01, 500...509),  // United Kingdom
        (0.01, 540...549),  // Belgium, Luxembourg
        (0.01, 640...649),  // Finland
        (0.01, 760...769),  // Switzerland
        (0.01, 870...879),  // Netherlands
    ]

    /// Seven-digit company prefixes, most common first.
    private let companies: [[UInt8]]
    /// Running sums of the companies' Zipf weights (1, 1/2, 1/3, ...), for drawing by binary search.
    private let cumulativeWeights: [Double]

    public init(seed: UInt64, companyCount: Int = 400) {
        precondition(companyCount > 0)
        var random = SeededRandom(seed: seed, path: 0xC0DE)
        companies = (0..<companyCount).map { _ in
            let prefix = random.pick(CodeSampler.prefixMix)
            let country = random.integer(in: prefix)
            let company = random.integer(in: 0...9999)
            return CodeSampler.digits(of: country, count: 3) + CodeSampler.digits(of: company, count: 4)
        }
        var total = 0.0
        cumulativeWeights = (0..<companyCount).map { rank in
            total += 1 / Double(rank + 1)
            return total
        }
    }

    /// A valid code: a company, a random five-digit item number, the check digit.
    public func code(using random: inout SeededRandom) -> EAN13Code {
        let target = random.unit() * cumulativeWeights[cumulativeWeights.count - 1]
        var low = 0, high = cumulativeWeights.count - 1
        while low < high {
            let middle = (low + high) / 2
            if cumulativeWeights[middle] > target { high = middle } else { low = middle + 1 }
        }
        let item = CodeSampler.digits(of: random.integer(in: 0...99_999), count: 5)
        return EAN13Code(first12: companies[low] + item)!
    }

    private static func digits(of value: Int, count: Int) -> [UInt8] {
        var digits = [UInt8](repeating: 0, count: count)
        var rest = value
        for index in (0..<count).reversed() {
            digits[index] = UInt8(rest % 10)
            rest /= 10
        }
        return digits
    }
}
