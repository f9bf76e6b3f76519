import Testing
@testable import BoostBarcode

@Suite struct EAN13CodeTests {
    static let validCodes = ["4006381333931", "5901234123457", "9780201379624", "4600049340097", "0012345678905"]

    @Test(arguments: validCodes)
    func checkDigitOfKnownCodes(_ text: String) throws {
        let code = try #require(EAN13Code(text: text))
        #expect(code.isCheckDigitValid)
        #expect(EAN13Code.checkDigit(forFirst12: code.digits.prefix(12)) == code.digits[12])
        #expect(EAN13Code(first12: Array(code.digits.prefix(12))) == code)
        #expect(code.description == text)
    }

    @Test func checkDigitByHand() {
        // Weights 1,3,1,3... over 4 0 0 6 3 8 1 3 3 3 9 3: 4+0+0+18+3+24+1+9+3+9+9+9 = 89 → 10 − 9 = 1.
        #expect(EAN13Code.checkDigit(forFirst12: [4, 0, 0, 6, 3, 8, 1, 3, 3, 3, 9, 3] as [UInt8]) == 1)
        // 5 9 0 1 2 3 4 1 2 3 4 5: 5+27+0+3+2+9+4+3+2+9+4+15 = 83 → 7.
        #expect(EAN13Code.checkDigit(forFirst12: [5, 9, 0, 1, 2, 3, 4, 1, 2, 3, 4, 5] as [UInt8]) == 7)
        // A sum that is already a multiple of ten gives 0: 1 followed by 3 then zeros → 1 + 9 = 10.
        #expect(EAN13Code.checkDigit(forFirst12: [1, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0] as [UInt8]) == 0)
    }

    @Test(arguments: validCodes)
    func everySingleDigitChangeFailsTheCheck(_ text: String) throws {
        let code = try #require(EAN13Code(text: text))
        for position in 0..<13 {
            for replacement in UInt8(0)...9 where replacement != code.digits[position] {
                var digits = code.digits
                digits[position] = replacement
                #expect(EAN13Code(digits: digits)?.isCheckDigitValid == false, "position \(position) → \(replacement)")
            }
        }
    }

    @Test func textFormsPandasWrites() {
        #expect(EAN13Code(text: "12345678905")?.description == "0012345678905")
        #expect(EAN13Code(text: "4600049340097.0")?.description == "4600049340097")
        #expect(EAN13Code(text: " 4006381333931 ")?.description == "4006381333931")
        #expect(EAN13Code(text: "") == nil)
        #expect(EAN13Code(text: "40063813339310") == nil)
        #expect(EAN13Code(text: "40063813a3931") == nil)
        #expect(EAN13Code(digits: [1, 2, 3]) == nil)
        #expect(EAN13Code(first12: [UInt8](repeating: 10, count: 12)) == nil)
    }
}
