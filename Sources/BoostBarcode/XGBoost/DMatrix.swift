internal import CXGBoost

/// An XGBoost data matrix. Owns its handle and frees it in `deinit`.
/// Not `Sendable`: made, used and freed on one task.
public final class DMatrix {
    let handle: UnsafeMutableRawPointer
    public let rowCount: Int
    public let columnCount: Int
    /// An external-memory matrix's data iterator, which XGBoost may call back for as long as the matrix lives.
    private let iterator: BatchIterator?

    private init(handle: UnsafeMutableRawPointer, rowCount: Int, columnCount: Int, iterator: BatchIterator? = nil) {
        self.handle = handle
        self.rowCount = rowCount
        self.columnCount = columnCount
        self.iterator = iterator
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

    /// An external-memory matrix: XGBoost reads the rows once, `batch(0)` … `batch(batchCount - 1)`,
    /// and keeps them in page files named from `cachePrefix` (whose folder must exist), reading them
    /// back a page at a time as it trains. The corresponding C function is `XGDMatrixCreateFromCallback`.
    public static func external(batchCount: Int, columnCount: Int, cachePrefix: String, threads: Int = 0,
                                batch: @escaping (Int) throws -> FeatureMatrix) throws -> DMatrix {
        guard batchCount > 0 else { throw BoostBarcodeError.invalidArgument("an external-memory matrix needs at least one batch") }
        let iterator = try BatchIterator(batchCount: batchCount, columnCount: columnCount, batch: batch)
        var out: DMatrixHandle?
        let config = #"{"missing": NaN, "cache_prefix": \#(jsonString(cachePrefix)), "nthread": \#(threads)}"#
        let status = XGDMatrixCreateFromCallback(Unmanaged.passUnretained(iterator).toOpaque(), iterator.proxy,
                                                 { BatchIterator.from($0).reset() }, { BatchIterator.from($0).next() },
                                                 config, &out)
        // An error inside `next` could only end the iteration early; it is the cause of any failure.
        if let error = iterator.error {
            if status == 0 { XGDMatrixFree(out) }
            throw error
        }
        try checkXGB(status, "XGDMatrixCreateFromCallback")
        let matrix = DMatrix(handle: out!, rowCount: iterator.rowsServed, columnCount: columnCount, iterator: iterator)
        var rows: bst_ulong = 0, columns: bst_ulong = 0
        try checkXGB(XGDMatrixNumRow(out, &rows), "XGDMatrixNumRow")
        try checkXGB(XGDMatrixNumCol(out, &columns), "XGDMatrixNumCol")
        guard Int(rows) == matrix.rowCount, Int(columns) == columnCount else {
            throw BoostBarcodeError.invalidArgument(
                "XGBoost made an external-memory matrix of \(rows) × \(columns) from \(matrix.rowCount) × \(columnCount)")
        }
        return matrix
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
    static func arrayInterface(_ buffer: UnsafeBufferPointer<UInt8>, rowCount: Int, columnCount: Int) -> String {
        let address = UInt(bitPattern: buffer.baseAddress)
        return #"{"data": [\#(address), true], "shape": [\#(rowCount), \#(columnCount)], "strides": null, "typestr": "|u1", "version": 3}"#
    }

    private static func config(threads: Int) -> String { #"{"missing": NaN, "nthread": \#(threads)}"# }

    /// `text` as a JSON string literal.
    private static func jsonString(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
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

/// The data iterator behind `DMatrix.external`: sets batch after batch on the proxy. XGBoost reads
/// the proxy's data in place, so each batch's bytes stay here until the next one replaces them.
private final class BatchIterator {
    let proxy: DMatrixHandle
    private let batchCount: Int
    private let columnCount: Int
    private let batch: (Int) throws -> FeatureMatrix
    private var nextBatch = 0
    private var current: [UInt8] = []
    private var rowsInThisPass = 0
    /// Rows set on the proxy in the last whole pass over the batches.
    private(set) var rowsServed = 0
    private(set) var error: Error?

    init(batchCount: Int, columnCount: Int, batch: @escaping (Int) throws -> FeatureMatrix) throws {
        var proxy: DMatrixHandle?
        try checkXGB(XGProxyDMatrixCreate(&proxy), "XGProxyDMatrixCreate")
        self.proxy = proxy!
        self.batchCount = batchCount
        self.columnCount = columnCount
        self.batch = batch
    }

    deinit { XGDMatrixFree(proxy) }

    static func from(_ context: DataIterHandle?) -> BatchIterator {
        Unmanaged<BatchIterator>.fromOpaque(context!).takeUnretainedValue()
    }

    func reset() {
        nextBatch = 0
        rowsInThisPass = 0
    }

    /// 1 when a batch was set on the proxy, 0 at the end. XGBoost 1.7 reads the answer as a bool, so
    /// an error ends the iteration and is kept for the caller, since it cannot cross the C callback.
    func next() -> Int32 {
        guard error == nil else { return 0 }
        guard nextBatch < batchCount else {
            rowsServed = rowsInThisPass
            return 0
        }
        do {
            let rows = try batch(nextBatch)
            guard rows.columnCount == columnCount, rows.rowCount > 0 else {
                throw BoostBarcodeError.invalidArgument("batch \(nextBatch) has \(rows.rowCount) rows of \(rows.columnCount) columns, not some of \(columnCount)")
            }
            current = rows.values
            let interface = current.withUnsafeBufferPointer {
                DMatrix.arrayInterface($0, rowCount: rows.rowCount, columnCount: columnCount)
            }
            try checkXGB(XGProxyDMatrixSetDataDense(proxy, interface), "XGProxyDMatrixSetDataDense")
            nextBatch += 1
            rowsInThisPass += rows.rowCount
            return 1
        } catch {
            self.error = error
            return 0
        }
    }
}
