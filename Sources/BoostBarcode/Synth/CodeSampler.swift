/// Draws EAN-13 codes the way a shop's shelves hold them: the country prefix from a mix that leans
/// on Russia (460–469) and books (978/979), then one of a few dozen manufacturers under that prefix,
/// a few of them far more common than the rest.
///
/// The manufacturers come from the master seed alone, so every image of a dataset, train or test,
/// draws from the same shop. Without a pool (`companiesPerPrefix` nil) each code takes its own
/// manufacturer: the prefix's three digits and four more, all uniform, so that a model trained on the
/// codes cannot learn the shop's manufacturers as a prior over those digits.
public struct CodeSampler: Sendable {
    /// GS1 prefix ranges (first three digits) and their share of the codes.
    static let prefixMix: [(weight: Double, value: ClosedRange<Int>)] = [
        (39, 460...460),  // Russia, by far the most common
        (25, 461...469),  // Russia
        (10, 978...979),  // books (ISBN), music (ISMN)
        (7, 400...440),   // Germany
        (4, 470...489),   // Taiwan, Baltics, Belarus, Ukraine, Kazakhstan...
        (3, 200...299),   // in-store codes
        (2, 590...590),   // Poland
        (2, 0...139),     // USA and Canada (UPC-A written as EAN-13)
        (2, 300...379),   // France
        (2, 690...699),   // China
        (1, 800...839),   // Italy
        (0.5, 840...849), // Spain
        (0.5, 500...509), // United Kingdom
        (0.5, 540...549), // Belgium, Luxembourg
        (0.5, 640...649), // Finland
        (0.5, 760...769), // Switzerland
        (0.5, 870...879), // Netherlands
    ]

    /// For each entry of `prefixMix`, seven-digit company prefixes, most common first.
    private let companies: [[[UInt8]]]
    /// Running sums of the Zipf weights 1, 1/2, 1/3, ... of one pool, for drawing by binary search.
    private let cumulativeWeights: [Double]

    public init(seed: UInt64, companiesPerPrefix: Int? = 40) {
        guard let companiesPerPrefix else {
            (companies, cumulativeWeights) = ([], [])
            return
        }
        precondition(companiesPerPrefix > 0)
        var random = SeededRandom(seed: seed, path: 0xC0DE)
        companies = CodeSampler.prefixMix.map { entry in
            (0..<companiesPerPrefix).map { _ in CodeSampler.company(under: entry.value, using: &random) }
        }
        var total = 0.0
        cumulativeWeights = (0..<companiesPerPrefix).map { rank in
            total += 1 / Double(rank + 1)
            return total
        }
    }

    /// A valid code: a prefix, one of its companies, a random five-digit item number, the check digit.
    public func code(using random: inout SeededRandom) -> EAN13Code {
        let entry = random.pick(CodeSampler.prefixMix.indices.map { (CodeSampler.prefixMix[$0].weight, $0) })
        guard !companies.isEmpty else {
            let company = CodeSampler.company(under: CodeSampler.prefixMix[entry].value, using: &random)
            return EAN13Code(first12: company + CodeSampler.itemNumber(using: &random))!
        }
        let pool = companies[entry]
        let target = random.unit() * cumulativeWeights[cumulativeWeights.count - 1]
        var low = 0, high = cumulativeWeights.count - 1
        while low < high {
            let middle = (low + high) / 2
            if cumulativeWeights[middle] > target { high = middle } else { low = middle + 1 }
        }
        return EAN13Code(first12: pool[low] + CodeSampler.itemNumber(using: &random))!
    }

    /// A seven-digit company prefix: three digits in `prefixes`, four more uniform.
    private static func company(under prefixes: ClosedRange<Int>, using random: inout SeededRandom) -> [UInt8] {
        digits(of: random.integer(in: prefixes), count: 3) + digits(of: random.integer(in: 0...9999), count: 4)
    }

    private static func itemNumber(using random: inout SeededRandom) -> [UInt8] {
        digits(of: random.integer(in: 0...99_999), count: 5)
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
