import Foundation

/// A one-line progress display on stderr, redrawn in place. Silent unless enabled: the CLI enables
/// it when stderr is a terminal and `--quiet` is not given. Safe to call from many threads.
public final class ProgressReporter: @unchecked Sendable {
    public let isEnabled: Bool
    private let lock = NSLock()
    private var lastDraw = Date.distantPast
    private var lineIsOpen = false

    public init(isEnabled: Bool) { self.isEnabled = isEnabled }

    /// Whether stderr is a terminal, the usual test for `isEnabled`.
    public static var standardErrorIsTerminal: Bool { isatty(STDERR_FILENO) != 0 }

    /// Redraws "label done/total (rate/s) detail", at most ten times a second and always at the end.
    public func update(_ label: String, done: Int, of total: Int, since start: Date, detail: String = "") {
        guard isEnabled else { return }
        lock.lock(); defer { lock.unlock() }
        let now = Date()
        guard done >= total || now.timeIntervalSince(lastDraw) >= 0.1 else { return }
        lastDraw = now
        let elapsed = max(now.timeIntervalSince(start), 1e-9)
        let rate = String(format: "%.1f/s", Double(done) / elapsed)
        let text = "\r\u{1B}[K\(label) \(done)/\(total) (\(rate))\(detail.isEmpty ? "" : " \(detail)")"
        FileHandle.standardError.write(Data(text.utf8))
        lineIsOpen = true
    }

    /// Ends the progress line so that the next output starts on a fresh line.
    public func finish() {
        guard isEnabled else { return }
        lock.lock(); defer { lock.unlock() }
        if lineIsOpen { FileHandle.standardError.write(Data("\n".utf8)) }
        lineIsOpen = false
    }
}

extension ProgressReporter {
    /// Runs `write` (output of its own, e.g. a result line on stdout) with the progress line cleared
    /// first, so the two do not run together on one terminal; the next update redraws the line.
    public func interrupt(_ write: () -> Void) {
        guard isEnabled else { return write() }
        lock.lock(); defer { lock.unlock() }
        if lineIsOpen { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        lineIsOpen = false
        write()
    }
}
