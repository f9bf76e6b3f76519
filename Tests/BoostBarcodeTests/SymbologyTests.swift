import Testing
@testable import BoostBarcode

@Suite struct SymbologyTests {
    /// Module strings worked out by hand from DATA.md section 2, one group per line:
    /// the parity pattern comes from d0, R is L complemented, G is R reversed.
    static let knownSymbols: [(code: String, groups: [String])] = [
        ("4006381333931", [
            "101",                                  // start guard
            "0001101", "0100111", "0101111",        // L0, G0, L6   (d0 = 4: LGLLGG)
            "0111101", "0001001", "0110011",        // L3, G8, G1
            "01010",                                // centre guard
            "1000010", "1000010", "1000010",        // R3, R3, R3
            "1110100", "1000010", "1100110",        // R9, R3, R1
            "101",                                  // end guard
        ]),
        ("5901234123457", [
            "101",
            "0001011", "0100111", "0110011",        // L9, G0, G1   (d0 = 5: LGGLLG)
            "0010011", "0111101", "0011101",        // L2, L3, G4
            "01010",
            "1100110", "1101100", "1000010",        // R1, R2, R3
            "1011100", "1001110", "1000100",        // R4, R5, R7
            "101",
        ]),
        ("9780201379624", [
            "101",
            "0111011", "0001001", "0100111",        // L7, G8, G0   (d0 = 9: LGGLGL)
            "0010011", "0100111", "0011001",        // L2, G0, L1
            "01010",
            "1000010", "1000100", "1110100",        // R3, R7, R9
            "1010000", "1101100", "1011100",        // R6, R2, R4
            "101",
        ]),
    ]

    @Test(arguments: 0..<knownSymbols.count)
    func modulesOfKnownCodes(_ index: Int) throws {
        let (text, groups) = SymbologyTests.knownSymbols[index]
        let code = try #require(EAN13Code(text: text))
        let modules = EAN13Symbology.modules(for: code)
        #expect(modules.count == 95)
        #expect(String(modules.map { $0 ? "1" : "0" }) == groups.joined())
    }

    @Test func lPatternsHaveSevenModulesAndOddParity() {
        for pattern in EAN13Symbology.lPatterns {
            #expect(pattern.count == 7)
            #expect(pattern.filter { $0 }.count % 2 == 1)
            #expect(pattern.first == false && pattern.last == true)
        }
        #expect(Set(EAN13Symbology.lPatterns).count == 10)
    }

    @Test func rAndGAreDerivedFromL() {
        for digit in 0..<10 {
            let l = EAN13Symbology.lPatterns[digit]
            #expect(EAN13Symbology.rPatterns[digit] == l.map { !$0 })
            #expect(EAN13Symbology.gPatterns[digit] == Array(l.map { !$0 }.reversed()))
            #expect(EAN13Symbology.gPatterns[digit].filter { $0 }.count % 2 == 0)
        }
    }

    @Test func parityTableRoundTripsTheFirstDigit() {
        let table = EAN13Symbology.firstDigitParity
        #expect(Set(table).count == 10)
        for (digit, parity) in table.enumerated() {
            #expect(table.firstIndex(of: parity) == digit)
            #expect(parity.first == false)
        }
    }

    @Test func guardModules() {
        let guards = (0..<95).filter(EAN13Symbology.isGuardModule)
        #expect(guards == [0, 1, 2, 45, 46, 47, 48, 49, 92, 93, 94])
    }
}
