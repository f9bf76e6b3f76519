internal import CXGBoost

/// A failed XGBoost C API call: which function, and the library's own message.
public struct XGBoostError: Error, CustomStringConvertible, Sendable {
    public let function: String
    /// XGBoost's full text, which usually ends in a C++ stack trace.
    public let message: String

    /// The first line of XGBoost's text, without the stack trace.
    public var summary: String {
        message.split(separator: "\n", omittingEmptySubsequences: true).first.map(String.init) ?? message
    }

    public var description: String { "\(function) failed: \(summary)" }
}

/// XGBoost answers 0 for success and -1 for failure. The message is kept per thread,
/// so it is read here, at once, on the thread that made the call.
func checkXGB(_ status: Int32, _ function: StaticString) throws(XGBoostError) {
    if status == 0 { return }
    throw XGBoostError(function: "\(function)", message: String(cString: XGBGetLastError()))
}

/// The linked library's version, e.g. "1.7.4". The corresponding C function is `XGBoostVersion`.
public var xgboostVersion: String {
    var (major, minor, patch): (Int32, Int32, Int32) = (0, 0, 0)
    XGBoostVersion(&major, &minor, &patch)
    return "\(major).\(minor).\(patch)"
}
