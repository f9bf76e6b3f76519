import Foundation

/// Writes whole files so that a crash never leaves half of one: a temporary sibling, then rename.
public enum AtomicFile {
    public static func write(_ data: Data, to url: URL) throws {
        let directory = url.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        do {
            try ScratchPaths.removingOnInterrupt(temporary) {
                try data.write(to: temporary)
                try replace(url, with: temporary)
            }
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

    /// Puts the finished folder `staging` where `folder` is: the old folder (if any) is renamed aside,
    /// the new one renamed in, and the old one deleted. Should the second rename fail, the old folder
    /// goes back.
    public static func replaceDirectory(_ folder: URL, with staging: URL) throws {
        let fileManager = FileManager.default
        guard fileManager.fileExists(atPath: folder.path) else { return try replace(folder, with: staging) }
        let retired = folder.deletingLastPathComponent()
            .appendingPathComponent(".\(folder.lastPathComponent).old-\(UUID().uuidString)")
        try replace(retired, with: folder)
        do { try replace(folder, with: staging) } catch {
            try? replace(folder, with: retired)
            throw error
        }
        try? fileManager.removeItem(at: retired)
    }
}
