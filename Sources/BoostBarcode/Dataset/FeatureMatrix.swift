import Foundation

/// Binary features of many images, one row each, row-major `UInt8` (0 or 1).
public struct FeatureMatrix: Sendable {
    public let columnCount: Int
    public private(set) var values: [UInt8]

    public init(columnCount: Int, values: [UInt8] = []) {
        precondition(columnCount > 0 && values.count % columnCount == 0)
        self.columnCount = columnCount
        self.values = values
    }

    public var rowCount: Int { values.count / columnCount }

    public func row(_ index: Int) -> ArraySlice<UInt8> {
        values[index * columnCount..<(index + 1) * columnCount]
    }

    /// The rows at `indices`, in that order.
    public func selecting(_ indices: [Int]) -> FeatureMatrix {
        var picked: [UInt8] = []
        picked.reserveCapacity(indices.count * columnCount)
        for index in indices { picked += row(index) }
        return FeatureMatrix(columnCount: columnCount, values: picked)
    }

    /// The rows as an XGBoost matrix (features become floats, 0 stays a value, not "missing").
    public func dMatrix() throws -> DMatrix {
        try DMatrix(values: values.map(Float.init), rowCount: rowCount, columnCount: columnCount)
    }
}

/// Why a row produced no features.
public enum SkipReason: String, Codable, Sendable, CaseIterable {
    case missingImage = "image file missing"
    case missingCode = "no code in markup"
    case missingQuad = "no quad in markup"
    case unreadableImage = "image unreadable"
    case degenerateQuad = "quad unusable"
}

/// A row that produced no features, and why.
public typealias SkippedRow = (path: String, reason: SkipReason, detail: String)

/// The result of extracting features from a split: the rows that worked, and why the others did not.
public struct ExtractedFeatures: Sendable {
    public let rows: [MarkupRow]
    public let features: FeatureMatrix
    /// Per row: the orientation check read the strip upside down.
    public let flipped: [Bool]
    /// Every skipped row with its reason, in file order.
    public let skipped: [SkippedRow]

    public var skipCounts: [SkipReason: Int] {
        skipped.reduce(into: [:]) { $0[$1.reason, default: 0] += 1 }
    }
}
