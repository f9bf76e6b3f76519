import Testing
@testable import BoostBarcode

@Suite struct SynthRandomTests {
    /// The first outputs of the reference xoshiro256** (Blackman and Vigna) from the state 1, 2, 3, 4.
    @Test func xoshiroMatchesTheReference() {
        var random = SeededRandom(state: (1, 2, 3, 4))
        #expect((0..<4).map { _ in random.next() } == [11520, 0, 1_509_978_240, 1_215_971_899_390_074_240])
    }

    @Test func streamsAreReproducibleAndDistinct() {
        func firstValues(_ random: SeededRandom) -> [UInt64] {
            var copy = random
            return (0..<4).map { _ in copy.next() }
        }
        #expect(firstValues(SeededRandom(seed: 7, path: 1, 3)) == firstValues(SeededRandom(seed: 7, path: 1, 3)))
        let streams = [SeededRandom(seed: 7, path: 1, 3), SeededRandom(seed: 7, path: 1, 4),
                       SeededRandom(seed: 7, path: 2, 3), SeededRandom(seed: 8, path: 1, 3),
                       SeededRandom(seed: 6, path: 2, 3), SeededRandom(seed: 7)]
        #expect(Set(streams.map(firstValues)).count == streams.count)
    }

    @Test func drawsStayInTheirRanges() {
        var random = SeededRandom(seed: 1)
        var seen = Set<Int>()
        for _ in 0..<2000 {
            let value = random.integer(in: -2...3)
            #expect((-2...3).contains(value))
            seen.insert(value)
            #expect((0..<1).contains(random.unit()))
            #expect((2.0...5.0).contains(random.uniform(2...5)))
            #expect((1.5...6.0).contains(random.logUniform(1.5...6)))
        }
        #expect(seen == Set(-2...3))
    }

    @Test func sampledCodesAreValidAndFollowThePrefixMix() {
        let sampler = CodeSampler(seed: 3)
        var random = SeededRandom(seed: 3, path: 9)
        let codes = (0..<3000).map { _ in sampler.code(using: &random) }
        #expect(codes.allSatisfy { $0.isCheckDigitValid })
        func share(_ prefixes: ClosedRange<Int>) -> Double {
            Double(codes.filter { prefixes.contains(Int($0.description.prefix(3))!) }.count) / Double(codes.count)
        }
        #expect(abs(share(460...469) - 0.64) < 0.04)
        #expect(abs(share(978...979) - 0.10) < 0.03)
        #expect(abs(share(400...440) - 0.07) < 0.03)
        #expect(share(460...469) + share(978...979) + share(400...440) < 0.9)
        // A shop: far fewer companies than codes, the most common one well ahead of the rest.
        let companies = Dictionary(grouping: codes) { $0.description.prefix(7) }.mapValues(\.count)
        #expect(companies.count < 600 && companies.values.max()! > 150)

        var again = SeededRandom(seed: 3, path: 9)
        #expect((0..<20).map { _ in CodeSampler(seed: 3).code(using: &again) } == Array(codes.prefix(20)))
    }

    @Test func withoutAPoolEveryCodeHasItsOwnCompany() {
        let sampler = CodeSampler(seed: 3, companiesPerPrefix: nil)
        var random = SeededRandom(seed: 3, path: 9)
        let codes = (0..<3000).map { _ in sampler.code(using: &random) }
        #expect(codes.allSatisfy { $0.isCheckDigitValid })
        let russian = codes.filter { (460...469).contains(Int($0.description.prefix(3))!) }
        #expect(abs(Double(russian.count) / Double(codes.count) - 0.64) < 0.04)
        // Seven-digit company prefixes hardly repeat, and the company digits are spread evenly.
        let companies = Dictionary(grouping: codes) { $0.description.prefix(7) }.mapValues(\.count)
        #expect(companies.count > 2800 && companies.values.max()! <= 4)
        let fourthDigits = Dictionary(grouping: codes) { $0.description.dropFirst(3).first! }.mapValues(\.count)
        #expect(fourthDigits.count == 10 && fourthDigits.values.allSatisfy { (220...380).contains($0) })
    }
}
