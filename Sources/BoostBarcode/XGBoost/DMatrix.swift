internal import CXGBoost

/// An XGBoost data matrix. Owns its handle and frees it in `deinit`.
/// Not `Sendable`: made, used and freed on one task.
public final class DMatrix {
    let handle: UnsafeMutableRawPointer
    public let rowCount: Int
    public let columnCount: Int

    private init(handle: UnsafeMutableRawPointer, rowCount: Int, columnCount: Int) {
        self.handle = handle
        self.rowCount = rowCount
        self.columnCount = columnCount
    }

    /// Copies `values`, row-major, `rowCount` × `columnCount`. NaN marks a missing value, as in
    /// Python's `XGBClassifier`; 0 is a real value.
    /// The corresponding C function is `XGDMatrixCreateFromMat`.
    public convenience init(values: [Float], rowCount: Int, columnCount: Int) throws {
        try Self.checkShape(values.count, rowCount, columnCount)
        var out: DMatrixHandle?
        try checkXGB(XGDMatrixCreateFromMat(values, bst_ulong(rowCount), bst_ulong(columnCount), .nan, &out),
                     "XGDMatrixCreateFromMat")
        self.init(handle: out!, rowCount: rowCount, columnCount: columnCount)
    }

    /// Reads `bytes`, row-major, `rowCount` × `columnCount`, in place as a NumPy-style `|u1` array:
    /// no float copy is made (XGBoost keeps its own sparse copy). Every byte is a value.
    /// The corresponding C function is `XGDMatrixCreateFromDense`.
    public convenience init(bytes: [UInt8], rowCount: Int, columnCount: Int, threads: Int = 0) throws {
        try Self.checkShape(bytes.count, rowCount, columnCount)
        var out: DMatrixHandle?
        try bytes.withUnsafeBufferPointer { buffer in
            let interface = Self.arrayInterface(buffer, rowCount: rowCount, columnCount: columnCount)
            try checkXGB(XGDMatrixCreateFromDense(interface, Self.config(threads: threads), &out), "XGDMatrixCreateFromDense")
        }
        self.init(handle: out!, rowCount: rowCount, columnCount: columnCount)
    }

    /// A quantised matrix for the `hist` tree method, as Python's `XGBClassifier` builds with
    /// `QuantileDMatrix`: XGBoost keeps only each cell's histogram bin (one byte here), never the values.
    /// A matrix evaluated beside a training matrix takes that one as `reference`, to share its bins.
    /// The corresponding C function is `XGQuantileDMatrixCreateFromCallback`, fed one batch through a proxy.
    public static func quantised(bytes: [UInt8], rowCount: Int, columnCount: Int, reference: DMatrix? = nil,
                                 threads: Int = 0) throws -> DMatrix {
        try checkShape(bytes.count, rowCount, columnCount)
        var proxy: DMatrixHandle?
        try checkXGB(XGProxyDMatrixCreate(&proxy), "XGProxyDMatrixCreate")
        defer { XGDMatrixFree(proxy) }
        var out: DMatrixHandle?
        try bytes.withUnsafeBufferPointer { buffer in
            let batch = SingleBatch(proxy: proxy!, arrayInterface: arrayInterface(buffer, rowCount: rowCount, columnCount: columnCount))
            let status = withExtendedLifetime(reference) {
                XGQuantileDMatrixCreateFromCallback(
                    Unmanaged.passUnretained(batch).toOpaque(), proxy, reference?.handle,
                    { SingleBatch.from($0).reset() }, { SingleBatch.from($0).next() },
                    config(threads: threads), &out)
            }
            if let error = batch.error { throw error }
            try checkXGB(status, "XGQuantileDMatrixCreateFromCallback")
        }
        return DMatrix(handle: out!, rowCount: rowCount, columnCount: columnCount)
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

    private static func checkShape(_ count: Int, _ rowCount: Int, _ columnCount: Int) throws {
        guard rowCount > 0, columnCount > 0, rowCount * columnCount == count else {
            throw BoostBarcodeError.invalidArgument("matrix of \(count) values is not \(rowCount) rows × \(columnCount) columns")
        }
    }

    /// NumPy's `__array_interface__` as JSON, the form XGBoost's dense entry points read.
    private static func arrayInterface(_ buffer: UnsafeBufferPointer<UInt8>, rowCount: Int, columnCount: Int) -> String {
        let address = UInt(bitPattern: buffer.baseAddress)
        return #"{"data": [\#(address), true], "shape": [\#(rowCount), \#(columnCount)], "strides": null, "typestr": "|u1", "version": 3}"#
    }

    private static func config(threads: Int) -> String { #"{"missing": NaN, "nthread": \#(threads)}"# }
}

/// The data iterator behind `DMatrix.quantised`: hands its one batch to the proxy, then reports the end.
private final class SingleBatch {
    let proxy: DMatrixHandle
    let arrayInterface: String
    private var served = false
    private(set) var error: XGBoostError?

    init(proxy: DMatrixHandle, arrayInterface: String) {
        self.proxy = proxy
        self.arrayInterface = arrayInterface
    }

    static func from(_ context: DataIterHandle?) -> SingleBatch {
        Unmanaged<SingleBatch>.fromOpaque(context!).takeUnretainedValue()
    }

    func reset() { served = false }

    /// 1 when a batch was set on the proxy, 0 at the end. An error ends the iteration and is kept
    /// for the caller, since it cannot cross the C callback.
    func next() -> Int32 {
        guard !served, error == nil else { return 0 }
        served = true
        do { try checkXGB(XGProxyDMatrixSetDataDense(proxy, arrayInterface), "XGProxyDMatrixSetDataDense") } catch {
            self.error = error
            return 0
        }
        return 1
    }
}
