import Foundation
internal import CXGBoost

/// XGBoost's collective communicator (rabit in 1.7), joining the workers of one distributed training
/// through the tracker. While it is open, XGBoost itself allreduces what training needs between the
/// workers: the quantile sketch and column count of every DMatrix, the histograms of every tree, the
/// evaluation metrics. Opened by `init`, closed by `finish()` once the work is done; a worker that
/// fails leaves without `finish()`, and its peers' next exchange with it fails as its links close.
/// Not `Sendable`: XGBoost keeps the communicator per thread, so every DMatrix, booster and
/// allreduce of the training must be made on the thread that opened it.
public final class Collective {
    public let workerCount: Int
    private var isOpen = true

    /// Connects to the tracker and to the other workers; returns once all `settings.workerCount` have
    /// joined, which XGBoost waits for without a timeout. The corresponding C function is `XGCommunicatorInit`.
    public init(_ settings: CollectiveSettings) throws {
        do { try checkXGB(XGCommunicatorInit(settings.configJSON), "XGCommunicatorInit") } catch {
            // XGBoost's own text only says "Failed to initialize Rabit"; the cause went to its log.
            throw XGBoostError(function: error.function, message: "cannot join the workers through the tracker at \(settings.trackerHost):\(settings.trackerPort) (\(settings.connectAttempts) tries; is it running and reachable?): \(error.message)")
        }
        workerCount = Int(XGCommunicatorGetWorldSize())
    }

    /// Tells the tracker this worker is done. The corresponding C function is `XGCommunicatorFinalize`.
    public func finish() throws {
        guard isOpen else { return }
        isOpen = false
        try checkXGB(XGCommunicatorFinalize(), "XGCommunicatorFinalize")
    }

    /// The element-wise sum of `values` over all workers, each giving the same count.
    /// The corresponding C function is `XGCommunicatorAllreduce`.
    public func sum(_ values: [Int64]) throws -> [Int64] {
        guard isOpen else { throw BoostBarcodeError.invalidArgument("the collective is finished") }
        var buffer = values
        try buffer.withUnsafeMutableBufferPointer { raw in
            try checkXGB(XGCommunicatorAllreduce(raw.baseAddress, raw.count, Self.int64Type, Self.sumOperation),
                         "XGCommunicatorAllreduce")
        }
        return buffer
    }

    // xgboost::collective::DataType::kInt64 and Operation::kSum (src/collective/communicator.h).
    private static let int64Type: Int32 = 4
    private static let sumOperation: Int32 = 2
}

/// Where the tracker is and how long to wait: the worker's side of the collective's settings.
public struct CollectiveSettings: Equatable, Sendable {
    public var trackerHost: String
    public var trackerPort: Int
    /// The worker's name for the tracker (`DMLC_TASK_ID`).
    public var taskID: String
    public var workerCount: Int
    /// Tries at reaching the tracker; rabit waits 2, 4, 6 … s between them.
    public var connectAttempts = 5
    /// A link that moves no data for this long (a peer hung or its host gone) fails the run.
    public var timeoutSeconds = 600

    public init(trackerHost: String, trackerPort: Int, taskID: String, workerCount: Int) {
        self.trackerHost = trackerHost
        self.trackerPort = trackerPort
        self.taskID = taskID
        self.workerCount = workerCount
    }

    /// The settings the tracker hands its workers as environment variables: `DMLC_TRACKER_URI`,
    /// `DMLC_TRACKER_PORT`, and optionally `DMLC_TASK_ID` (default `taskID`), `DMLC_NUM_WORKER`
    /// (must be `workerCount` when set) and `DMLC_WORKER_CONNECT_RETRY`.
    public init(environment: [String: String], workerCount: Int, taskID: String) throws {
        func fail(_ reason: String) -> BoostBarcodeError { .invalidArgument(reason) }
        guard let host = environment["DMLC_TRACKER_URI"], !host.isEmpty,
              let portText = environment["DMLC_TRACKER_PORT"] else {
            throw fail("--shard needs the tracker's address in DMLC_TRACKER_URI and DMLC_TRACKER_PORT (scripts/train-distributed sets them; docs/DISTRIBUTED.md)")
        }
        guard let port = Int(portText), (1...65535).contains(port) else {
            throw fail("DMLC_TRACKER_PORT '\(portText)' is not a port number")
        }
        if let count = environment["DMLC_NUM_WORKER"], Int(count) != workerCount {
            throw fail("DMLC_NUM_WORKER is \(count) but --shard says \(workerCount) workers")
        }
        self.init(trackerHost: host, trackerPort: port, taskID: environment["DMLC_TASK_ID"] ?? taskID,
                  workerCount: workerCount)
        if let retry = environment["DMLC_WORKER_CONNECT_RETRY"] {
            guard let attempts = Int(retry), attempts >= 1 else {
                throw fail("DMLC_WORKER_CONNECT_RETRY '\(retry)' is not a count of 1 or more")
            }
            connectAttempts = attempts
        }
    }

    /// XGBoost 1.7's rabit keys, passed to `XGCommunicatorInit`.
    var configJSON: String {
        let config: [String: Any] = [
            "xgboost_communicator": "rabit",
            "DMLC_TRACKER_URI": trackerHost, "DMLC_TRACKER_PORT": trackerPort, "DMLC_TASK_ID": taskID,
            "rabit_world_size": workerCount, "DMLC_WORKER_CONNECT_RETRY": connectAttempts,
            "rabit_timeout": true, "rabit_timeout_sec": timeoutSeconds,
        ]
        let data = try! JSONSerialization.data(withJSONObject: config, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }
}
