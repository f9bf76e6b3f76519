import Foundation

/// Exactly thirteen EAN-13 digits. A value type with no I/O; see DATA.md section 2.
public struct EAN13Code: Hashable, Sendable, CustomStringConvertible, Codable {
    /// The digits d0...d12, each 0...9.
    public let digits: [UInt8]

    /// Makes a code from 13 digits; `nil` when there are not 13 or one is out of range.
    public init?(digits: [UInt8]) {
        guard digits.count == 13, digits.allSatisfy({ $0 <= 9 }) else { return nil }
        self.digits = digits
    }

    /// Parses the `code` column as pandas may have written it: digits, possibly short
    /// (an integer that lost its leading zeros, left-padded here) and possibly with a `.0` tail.
    public init?(text: String) {
        var body = Substring(text.trimmingCharacters(in: .whitespaces))
        if body.hasSuffix(".0") { body = body.dropLast(2) }
        guard !body.isEmpty, body.count <= 13, body.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            return nil
        }
        let padded = String(repeating: "0", count: 13 - body.count) + body
        self.digits = padded.utf8.map { $0 - UInt8(ascii: "0") }
    }

    /// Makes a valid code from its first 12 digits by appending the check digit.
    public init?(first12: [UInt8]) {
        guard first12.count == 12, first12.allSatisfy({ $0 <= 9 }) else { return nil }
        self.digits = first12 + [EAN13Code.checkDigit(forFirst12: first12)]
    }

    /// The check digit of DATA.md section 2: weights 1, 3, 1, 3, ... from the left.
    public static func checkDigit<C: Collection>(forFirst12 first12: C) -> UInt8 where C.Element == UInt8 {
        var sum = 0
        for (index, digit) in first12.prefix(12).enumerated() {
            sum += Int(digit) * (index % 2 == 0 ? 1 : 3)
        }
        return UInt8((10 - sum % 10) % 10)
    }

    /// Whether d12 is the check digit of d0...d11.
    public var isCheckDigitValid: Bool {
        digits[12] == EAN13Code.checkDigit(forFirst12: digits.prefix(12))
    }

    public var description: String { String(digits.map { Character(String($0)) }) }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let code = EAN13Code(text: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "not an EAN-13 code: \(text)"))
        }
        self = code
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
