/// One worker's part of a distributed training (`--shard I/N`): worker `index` of `count` keeps every
/// `count`-th item of a list, from its `index`-th on, so that the workers' shares differ by one at most.
public struct Shard: Equatable, Sendable, CustomStringConvertible {
    public let index: Int
    public let count: Int

    public init(index: Int, count: Int) throws {
        guard count >= 1, (0..<count).contains(index) else {
            throw BoostBarcodeError.invalidArgument("shard \(index)/\(count): need 1 or more workers and 0 <= I < N")
        }
        self.index = index
        self.count = count
    }

    /// Reads `I/N`, e.g. `0/4`.
    public init(_ text: String) throws {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]) else {
            throw BoostBarcodeError.invalidArgument("shard '\(text)' is not I/N (this worker's number from 0, of N workers)")
        }
        try self.init(index: index, count: count)
    }

    public var description: String { "\(index)/\(count)" }

    /// This worker's items of `items`, in their order.
    public func share<Element>(of items: [Element]) -> [Element] {
        stride(from: index, to: items.count, by: count).map { items[$0] }
    }
}

extension Collective {
    /// Checks that the workers are `shard.count`, each with a shard of its own: two workers given the
    /// same shard would train on the same rows and leave another share out.
    public func checkDistinct(_ shard: Shard) throws {
        guard workerCount == shard.count else {
            throw BoostBarcodeError.invalidArgument("the tracker joined \(workerCount) workers, but --shard \(shard) says \(shard.count)")
        }
        let holders = try sum((0..<shard.count).map { $0 == shard.index ? 1 : 0 })
        if let index = holders.firstIndex(where: { $0 != 1 }) {
            throw BoostBarcodeError.invalidArgument("shard \(index)/\(shard.count) was given to \(holders[index]) workers; each of 0..<\(shard.count) must go to one")
        }
    }
}
