/// BoostBarcode's own failures (not XGBoost's or libpng's): each case names the offending file.
public enum BoostBarcodeError: Error, CustomStringConvertible, Equatable {
    case unreadableFile(path: String, reason: String)
    case badEncoding(path: String, reason: String)
    case emptyMarkup(path: String)
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
        case let .badEncoding(path, reason): "\(path): \(reason)"
        case let .emptyMarkup(path): "\(path) has no rows (the file is empty)"
        case let .badTableRow(path, line, reason): "\(path):\(line): \(reason)"
        case let .missingSplit(path, reason): "\(path) is not a dataset split: \(reason)"
        case let .emptyDataset(path): "\(path): no usable rows (every image missing, or no rows)"
        case let .badModel(path, reason): "\(path) is not a usable model: \(reason)"
        case let .featureMismatch(path, reason):
            "model \(path) was trained on other features: \(reason) (leave the feature options unset to use the model's own, or retrain)"
        case let .invalidArgument(text): text
        }
    }
}
