/// BoostBarcode's own failures (not XGBoost's or libpng's): each case names the offending file.
public enum BoostBarcodeError: Error, CustomStringConvertible, Equatable {
    case unreadableFile(path: String, reason: String)
    case badEncoding(path: String)
    case badMarkupRow(path: String, line: Int, reason: String)
    /// A malformed line of one of the headed UTF-8 tables beside the markup (factors, readings).
    case badTableRow(path: String, line: Int, reason: String)
    case missingSplit(path: String, reason: String)
    case emptyDataset(path: String)
    case badModel(path: String, reason: String)
    case featureMismatch(path: String, reason: String)
    case invalidArgument(String)

    public var description: String {
        switch self {
        case let .unreadableFile(path, reason): "cannot read \(path): \(reason)"
        case let .badEncoding(path): "\(path): not UTF-8 or UTF-16 text"
        case let .badMarkupRow(path, line, reason): "\(path):\(line): \(reason)"
        case let .badTableRow(path, line, reason): "\(path):\(line): \(reason)"
        case let .missingSplit(path, reason): "\(path) is not a dataset split: \(reason)"
        case let .emptyDataset(path): "\(path): no usable rows (every image missing, or no rows)"
        case let .badModel(path, reason): "\(path) is not a usable model: \(reason)"
        case let .featureMismatch(path, reason): "model \(path) was trained on other features: \(reason)"
        case let .invalidArgument(text): text
        }
    }
}
