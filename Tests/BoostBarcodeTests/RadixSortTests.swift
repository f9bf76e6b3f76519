import Testing
@testable import BoostBarcode

@Suite struct RadixSortTests {
    /// The localizer's keys (a Float's bits above a cell index) and arbitrary ones, repeats among them.
    @Test func sortsAsTheStandardLibraryDoes() {
        var random = SplitMix64(seed: 11)
        let cellKeys = (0..<5_000).map { cell in UInt64(Float(random.next() % 1_000).bitPattern) << 32 | UInt64(cell) }
        let arbitrary = (0..<3_000).map { _ in random.next() } + [0, .max, .max, 0, 1 << 63]
        let small = (0..<200).map { _ in random.next() % 7 }
        for keys in [cellKeys, arbitrary, small, [], [42], [3, 3, 3]] {
            var sorted = keys
            sorted.radixSort()
            #expect(sorted == keys.sorted())
        }
    }
}
