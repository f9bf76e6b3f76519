import Dispatch
import Foundation

/// Paths a run writes that mean nothing unless it finishes: a dataset or a model being built in a
/// hidden sibling of its place, a temporary file before its rename, a feature cache. A thrown error's
/// cleanup removes them; an interrupt (Ctrl-C, `kill`, a closed terminal) would leave them behind —
/// gigabytes for a big dataset — so the command-line tool has them removed first
/// (`removeOnInterrupt`). Nothing can for SIGKILL or a power cut: what is left then is hidden and never
/// looks finished.
public enum ScratchPaths {
    /// `url` is removed should the process be interrupted before `forget(_:)`.
    public static func remember(_ url: URL) { registry.insert(url.path) }

    public static func forget(_ url: URL) { registry.remove(url.path) }

    /// Runs `body` with `url` removed should the process be interrupted meanwhile.
    public static func removingOnInterrupt<T>(_ url: URL, _ body: () throws -> T) rethrows -> T {
        remember(url)
        defer { forget(url) }
        return try body()
    }

    /// From now on SIGINT, SIGTERM and SIGHUP first remove the remembered paths, then end the process
    /// as the signal would have (its exit status says so). Call once, early in `main`.
    public static func removeOnInterrupt() {
        for number in [SIGINT, SIGTERM, SIGHUP] {
            // The signal is taken from its default action and handled on a queue, where removing
            // folders is safe (in a signal handler it is not).
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                registry.removeAll()
                // The signal again, now to its default action, on this thread (libdispatch blocks it
                // on its threads to receive it itself).
                signal(number, SIG_DFL)
                var only = sigset_t()
                sigemptyset(&only)
                sigaddset(&only, number)
                pthread_sigmask(SIG_UNBLOCK, &only, nil)
                raise(number)
                _exit(128 + number)
            }
            source.resume()
            registry.keep(source)
        }
    }

    private static let registry = Registry()

    private final class Registry: @unchecked Sendable {
        private let lock = NSLock()
        private var paths: Set<String> = []
        private var sources: [any DispatchSourceSignal] = []

        func insert(_ path: String) { lock.withLock { _ = paths.insert(path) } }
        func remove(_ path: String) { lock.withLock { _ = paths.remove(path) } }
        func keep(_ source: any DispatchSourceSignal) { lock.withLock { sources.append(source) } }

        func removeAll() {
            lock.withLock {
                for path in paths { try? FileManager.default.removeItem(atPath: path) }
                paths.removeAll()
            }
        }
    }
}
