/// Per position, how often each true digit was read as each digit: `counts[position][truth][read]`.
public struct DigitConfusion: Codable, Equatable, Sendable {
    public private(set) var counts: [[[Int]]]

    public init() {
        counts = Array(repeating: Array(repeating: Array(repeating: 0, count: 10), count: 10), count: 13)
    }

    mutating func add(truth: EAN13Code, read: EAN13Code) {
        for position in 0..<13 { counts[position][Int(truth.digits[position])][Int(read.digits[position])] += 1 }
    }

    /// The `limit` most frequent misreads (off the diagonal), most frequent first; ties by position,
    /// then true digit, then digit read.
    public func mostFrequent(_ limit: Int) -> [Misread] {
        var misreads: [Misread] = []
        for position in 0..<13 {
            for truth in 0..<10 {
                for read in 0..<10 where read != truth && counts[position][truth][read] > 0 {
                    misreads.append(Misread(position: position, truth: truth, read: read, count: counts[position][truth][read]))
                }
            }
        }
        return Array(misreads.sorted { ($1.count, $0.position, $0.truth, $0.read) < ($0.count, $1.position, $1.truth, $1.read) }
            .prefix(limit))
    }
}

/// One kind of digit misread and how often it happened.
public struct Misread: Codable, Equatable, Sendable {
    public var position: Int
    public var truth: Int
    public var read: Int
    public var count: Int
}
