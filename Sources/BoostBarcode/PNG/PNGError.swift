/// A failed libpng simplified-API call: the file (if any) and libpng's own message
/// (the `message` field of `png_image`).
public struct PNGError: Error, CustomStringConvertible, Sendable {
    public let path: String?
    public let message: String
    public var description: String {
        if let path { return "cannot read PNG \(path): \(message)" }
        return "PNG error: \(message)"
    }
}
