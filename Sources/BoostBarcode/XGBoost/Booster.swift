import Foundation
internal import CXGBoost

/// One XGBoost booster. Owns its handle and frees it in `deinit`.
/// Not `Sendable`: made, trained and used on one task.
public final class Booster {
    private let handle: UnsafeMutableRawPointer

    private init(handle: UnsafeMutableRawPointer) { self.handle = handle }

    /// A new, untrained booster whose training data is `training`.
    /// The corresponding C function is `XGBoosterCreate`.
    public convenience init(training: DMatrix, parameters: BoosterParameters) throws {
        var out: BoosterHandle?
        var caches: [DMatrixHandle?] = [training.handle]
        try withExtendedLifetime(training) {
            try checkXGB(XGBoosterCreate(&caches, 1, &out), "XGBoosterCreate")
        }
        self.init(handle: out!)
        for (key, value) in parameters.keyValuePairs { try setParameter(key, to: value) }
    }

    /// A booster read from a model saved by `serialized()` (UBJSON or JSON).
    /// The corresponding C function is `XGBoosterLoadModelFromBuffer`.
    public convenience init(modelData: Data) throws {
        var out: BoosterHandle?
        try checkXGB(XGBoosterCreate(nil, 0, &out), "XGBoosterCreate")
        self.init(handle: out!)
        try modelData.withUnsafeBytes { raw in
            try checkXGB(XGBoosterLoadModelFromBuffer(handle, raw.baseAddress, bst_ulong(raw.count)),
                         "XGBoosterLoadModelFromBuffer")
        }
    }

    deinit { XGBoosterFree(handle) }

    /// The corresponding C function is `XGBoosterSetParam`.
    public func setParameter(_ key: String, to value: String) throws {
        try checkXGB(XGBoosterSetParam(handle, key, value), "XGBoosterSetParam")
    }

    /// One boosting round on `training`. The corresponding C function is `XGBoosterUpdateOneIter`.
    public func updateOneIteration(_ iteration: Int, training: DMatrix) throws {
        try withExtendedLifetime(training) {
            try checkXGB(XGBoosterUpdateOneIter(handle, Int32(iteration), training.handle), "XGBoosterUpdateOneIter")
        }
    }

    /// The classification error (`merror`) on `matrix` after `iteration`, from XGBoost's evaluation
    /// text. The corresponding C function is `XGBoosterEvalOneIter`.
    public func error(on matrix: DMatrix, iteration: Int) throws -> Double {
        var handles: [DMatrixHandle?] = [matrix.handle]
        var names: [UnsafePointer<CChar>?] = []
        var result: UnsafePointer<CChar>?
        try withExtendedLifetime(matrix) {
            try "eval".withCString { name in
                names = [name]
                try checkXGB(XGBoosterEvalOneIter(handle, Int32(iteration), &handles, &names, 1, &result),
                             "XGBoosterEvalOneIter")
            }
        }
        // The text reads "[3]\teval-merror:0.125"; copy it out before the next call reuses it.
        let text = String(cString: result!)
        guard let value = text.split(separator: ":").last.flatMap({ Double($0) }) else {
            throw XGBoostError(function: "XGBoosterEvalOneIter", message: "unexpected evaluation text: \(text)")
        }
        return value
    }

    /// Class probabilities, `rowCount` × `classCount`, row-major.
    /// The corresponding C function is `XGBoosterPredictFromDMatrix`.
    public func predictProbabilities(_ matrix: DMatrix, classCount: Int) throws -> [Float] {
        let config = #"{"type": 0, "training": false, "iteration_begin": 0, "iteration_end": 0, "strict_shape": true}"#
        var shape: UnsafePointer<bst_ulong>?
        var dimension: bst_ulong = 0
        var result: UnsafePointer<Float>?
        try withExtendedLifetime(matrix) {
            try checkXGB(XGBoosterPredictFromDMatrix(handle, matrix.handle, config, &shape, &dimension, &result),
                         "XGBoosterPredictFromDMatrix")
        }
        // XGBoost owns `result` until the next call on this thread: check the shape, then copy.
        let dims = (0..<Int(dimension)).map { Int(shape![$0]) }
        guard dims == [matrix.rowCount, classCount] else {
            throw XGBoostError(function: "XGBoosterPredictFromDMatrix",
                               message: "prediction shape \(dims), expected [\(matrix.rowCount), \(classCount)]")
        }
        return Array(UnsafeBufferPointer(start: result, count: matrix.rowCount * classCount))
    }

    /// The model as bytes (`ubj` or `json`). The corresponding C function is `XGBoosterSaveModelToBuffer`.
    public func serialized(format: String = "ubj") throws -> Data {
        var length: bst_ulong = 0
        var bytes: UnsafePointer<CChar>?
        try checkXGB(XGBoosterSaveModelToBuffer(handle, #"{"format": "\#(format)"}"#, &length, &bytes),
                     "XGBoosterSaveModelToBuffer")
        return Data(bytes: bytes!, count: Int(length))
    }

    /// Number of features the model expects. The corresponding C function is `XGBoosterGetNumFeature`.
    public var featureCount: Int {
        get throws {
            var count: bst_ulong = 0
            try checkXGB(XGBoosterGetNumFeature(handle, &count), "XGBoosterGetNumFeature")
            return Int(count)
        }
    }

    /// Boosting rounds in the model. The corresponding C function is `XGBoosterBoostedRounds`.
    public var boostedRounds: Int {
        get throws {
            var rounds: Int32 = 0
            try checkXGB(XGBoosterBoostedRounds(handle, &rounds), "XGBoosterBoostedRounds")
            return Int(rounds)
        }
    }

    /// The same model in a booster of its own, without this one's training state: a trained booster
    /// keeps its gradient histograms and buffers (about 90 MB on 400 photos) for as long as it lives.
    public func withoutTrainingState() throws -> Booster {
        try Booster(modelData: serialized(format: "ubj"))
    }

    /// A new booster with the first `rounds` rounds only (after early stopping).
    /// The corresponding C function is `XGBoosterSlice`.
    public func keepingFirst(_ rounds: Int) throws -> Booster {
        var out: BoosterHandle?
        try checkXGB(XGBoosterSlice(handle, 0, Int32(rounds), 1, &out), "XGBoosterSlice")
        return Booster(handle: out!)
    }
}
