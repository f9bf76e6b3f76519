/// Training settings of one digit classifier, with the defaults of Python's `XGBClassifier`
/// (DATA.md section 3). Turned into XGBoost's string pairs only at the C boundary.
public struct BoosterParameters: Codable, Equatable, Sendable {
    public var rounds = 100
    public var maxDepth = 6
    public var learningRate = 0.3
    public var treeMethod = "hist"
    public var objective = "multi:softprob"
    /// Always 10: class index = digit, even when a digit never occurs at a position.
    public var classCount = 10
    public var seed = 0
    /// Threads XGBoost may use; 0 = all cores.
    public var threads = 0

    public init() {}

    public func validate() throws {
        func fail(_ reason: String) -> BoostBarcodeError { .invalidArgument(reason) }
        guard rounds >= 1 else { throw fail("--rounds must be at least 1") }
        guard maxDepth >= 1 else { throw fail("--max-depth must be at least 1") }
        guard learningRate > 0, learningRate <= 1 else { throw fail("--eta must be in (0, 1]") }
        guard threads >= 0 else { throw fail("--threads must be 0 (all cores) or more") }
    }

    /// The parameters as XGBoost's key/value strings. `verbosity` 0 keeps the library's own
    /// messages out of the command's output.
    var keyValuePairs: [(String, String)] {
        [
            ("objective", objective), ("num_class", String(classCount)), ("max_depth", String(maxDepth)),
            ("eta", String(learningRate)), ("tree_method", treeMethod), ("seed", String(seed)),
            ("nthread", String(threads)), ("eval_metric", "merror"), ("verbosity", "0"),
        ]
    }
}
