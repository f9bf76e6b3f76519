extension Array where Element == UInt64 {
    /// Sorts ascending by the bytes of each key, least significant first, skipping a byte all keys
    /// share: the same order as `sort()`. The localizer orders thousands of cell keys per photo, which
    /// took the standard library's merge sort about 4 % of reading a 480 × 360 photo.
    mutating func radixSort() {
        guard count > 1 else { return }
        var spare = [UInt64](repeating: 0, count: count)
        let first = self[0]
        let differing = reduce(0) { $0 | ($1 ^ first) }  // the bits in which some key differs from the first
        withUnsafeMutableBufferPointer { keys in
            spare.withUnsafeMutableBufferPointer { spare in
                var (source, target) = (keys, spare)
                for shift in stride(from: 0, to: 64, by: 8) where (differing >> UInt64(shift)) & 0xFF != 0 {
                    var starts = [Int](repeating: 0, count: 257)
                    for key in source { starts[Int((key >> UInt64(shift)) & 0xFF) + 1] += 1 }
                    for digit in 0..<256 { starts[digit + 1] += starts[digit] }
                    for key in source {
                        let digit = Int((key >> UInt64(shift)) & 0xFF)
                        target[starts[digit]] = key
                        starts[digit] += 1
                    }
                    swap(&source, &target)
                }
                if source.baseAddress != keys.baseAddress { keys.baseAddress!.update(from: source.baseAddress!, count: keys.count) }
            }
        }
    }
}
