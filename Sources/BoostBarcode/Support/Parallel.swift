import Foundation

/// Runs `body(index)` for every index in `0..<count` on up to `threads` threads (0 = all cores),
/// handing out indices one at a time so that slow items do not leave threads idle.
func parallelForEach(_ count: Int, threads: Int, _ body: @Sendable (Int) -> Void) {
    let workers = max(1, min(count, threads > 0 ? threads : ProcessInfo.processInfo.activeProcessorCount))
    let next = LockedCounter()
    DispatchQueue.concurrentPerform(iterations: workers) { _ in
        while true {
            let index = next.takeNext()
            if index >= count { return }
            body(index)
        }
    }
}

final class LockedCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    /// Returns the current value and increments it.
    func takeNext() -> Int {
        lock.lock(); defer { lock.unlock() }
        value += 1
        return value - 1
    }
}
