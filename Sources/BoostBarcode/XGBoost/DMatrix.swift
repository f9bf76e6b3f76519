internal import CXGBoost

/// A dense XGBoost data matrix. Owns its handle and frees it in `deinit`.
/// Not `Sendable`: made, used and freed on one task.
public final class DMatrix {
    let handle: UnsafeMutableRawPointer
    public let rowCount: Int
    public let columnCount: Int

    /// Copies `values`, row-major, `rowCount` × `columnCount`. NaN marks a missing value, as in
    /// Python's `XGBClassifier`; 0 is a real value (our features are 0/1).
    /// The corresponding C function is `XGDMatrixCreateFromMat`.
    public init(values: [Float], rowCount: Int, columnCount: Int) throws {
        guard rowCount > 0, columnCount > 0, rowCount * columnCount == values.count else {
            throw BoostBarcodeError.invalidArgument(
                "matrix of \(values.count) values is not \(rowCount) rows × \(columnCount) columns")
        }
        var out: DMatrixHandle?
        try checkXGB(XGDMatrixCreateFromMat(values, bst_ulong(rowCount), bst_ulong(columnCount), .nan, &out),
                     "XGDMatrixCreateFromMat")
        self.handle = out!
        self.rowCount = rowCount
        self.columnCount = columnCount
    }

    deinit { XGDMatrixFree(handle) }

    /// Cells XGBoost holds as present (not missing). The corresponding C function is `XGDMatrixNumNonMissing`.
    public var presentValueCount: Int {
        get throws {
            var count: bst_ulong = 0
            try checkXGB(XGDMatrixNumNonMissing(handle, &count), "XGDMatrixNumNonMissing")
            return Int(count)
        }
    }

    /// Sets the training labels (class indices as floats). The corresponding C function is
    /// `XGDMatrixSetFloatInfo` with field `label`.
    public func setLabels(_ labels: [Float]) throws {
        guard labels.count == rowCount else {
            throw BoostBarcodeError.invalidArgument("\(labels.count) labels for \(rowCount) rows")
        }
        try checkXGB(XGDMatrixSetFloatInfo(handle, "label", labels, bst_ulong(labels.count)),
                     "XGDMatrixSetFloatInfo")
    }
}
