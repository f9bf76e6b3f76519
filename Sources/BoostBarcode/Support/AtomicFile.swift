import Foundation

/// Writes whole files so that a crash never leaves half of one: a temporary sibling, then rename.
public enum AtomicFile {
    public static func write(_ data: Data, to url: URL) throws {
        let directory = url.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        do {
            try data.write(to: temporary)
            try replace(url, with: temporary)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
    }

    /// Moves `source` onto `destination` with rename(2), which replaces a file atomically.
    static func replace(_ destination: URL, with source: URL) throws {
        guard rename(source.path, destination.path) == 0 else {
            throw BoostBarcodeError.unreadableFile(path: destination.path,
                                                   reason: "cannot rename into place: \(String(cString: strerror(errno)))")
        }
    }
}
