import Foundation

/// A value of Universal Binary JSON, as XGBoost writes its `.ubj` models. Typed arrays of numbers
/// (XGBoost's node arrays) come out whole as `integers` or `floats`.
indirect enum UBJSONValue: Equatable {
    case object([String: UBJSONValue])
    case array([UBJSONValue])
    case integers([Int])
    case floats([Float])
    case string(String)
    case integer(Int)
    case number(Double)
    case bool(Bool)
    case null

    subscript(key: String) -> UBJSONValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    /// The whole number, or a number written as a string (XGBoost keeps its parameters as strings).
    var integerValue: Int? {
        switch self {
        case .integer(let value): value
        case .string(let text): Int(text)
        default: nil
        }
    }

    var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// A list of whole numbers, typed or not.
    var integersValue: [Int]? {
        switch self {
        case .integers(let values): values
        case .array(let items): items.allSatisfy { $0.integerValue != nil } ? items.map { $0.integerValue! } : nil
        default: nil
        }
    }

    var floatsValue: [Float]? {
        switch self {
        case .floats(let values): values
        case .integers(let values): values.map(Float.init)
        default: nil
        }
    }
}

/// Reads UBJSON (ubjson.org, draft 12: big-endian numbers, optimised `$` type and `#` count
/// containers). Foundation reads JSON but not UBJSON, and XGBoost's JSON form of a model is four
/// times bigger and took Foundation's parsers about 50 ms per booster. Every length is checked
/// against the bytes left, so a damaged file throws rather than reading out of bounds.
struct UBJSONReader {
    struct Failure: Error, CustomStringConvertible {
        var offset: Int
        var reason: String
        var description: String { "UBJSON at byte \(offset): \(reason)" }
    }

    private let bytes: [UInt8]
    private var offset = 0
    private var depth = 0
    private static let maximumDepth = 64

    static func read(_ data: Data) throws -> UBJSONValue {
        var reader = UBJSONReader(bytes: [UInt8](data))
        let value = try reader.value(marker: reader.byte())
        guard reader.offset == reader.bytes.count else { throw reader.failure("bytes after the value") }
        return value
    }

    private init(bytes: [UInt8]) { self.bytes = bytes }

    private func failure(_ reason: String) -> Failure { Failure(offset: offset, reason: reason) }

    private mutating func byte() throws -> UInt8 {
        guard offset < bytes.count else { throw failure("ends early") }
        defer { offset += 1 }
        return bytes[offset]
    }

    /// `count` bytes as a big-endian unsigned number.
    private mutating func bigEndian(_ count: Int) throws -> UInt64 {
        guard bytes.count - offset >= count else { throw failure("ends early") }
        var value: UInt64 = 0
        for i in 0..<count { value = value << 8 | UInt64(bytes[offset + i]) }
        offset += count
        return value
    }

    private mutating func integer(marker: UInt8) throws -> Int {
        switch marker {
        case UInt8(ascii: "i"): return Int(Int8(bitPattern: UInt8(try bigEndian(1))))
        case UInt8(ascii: "U"): return Int(try bigEndian(1))
        case UInt8(ascii: "I"): return Int(Int16(bitPattern: UInt16(try bigEndian(2))))
        case UInt8(ascii: "l"): return Int(Int32(bitPattern: UInt32(try bigEndian(4))))
        case UInt8(ascii: "L"): return Int(Int64(bitPattern: try bigEndian(8)))
        default: throw failure("expected an integer, found marker \(marker)")
        }
    }

    /// A length or count: an integer, not negative, and no more than the bytes left (every element
    /// or character takes at least one).
    private mutating func count() throws -> Int {
        let value = try integer(marker: byte())
        guard value >= 0, value <= bytes.count - offset else { throw failure("length \(value) out of range") }
        return value
    }

    private mutating func string() throws -> String {
        let length = try count()
        defer { offset += length }
        return String(decoding: bytes[offset..<offset + length], as: UTF8.self)
    }

    private mutating func value(marker: UInt8) throws -> UBJSONValue {
        switch marker {
        case UInt8(ascii: "i"), UInt8(ascii: "U"), UInt8(ascii: "I"), UInt8(ascii: "l"), UInt8(ascii: "L"):
            return .integer(try integer(marker: marker))
        case UInt8(ascii: "d"): return .number(Double(Float(bitPattern: UInt32(try bigEndian(4)))))
        case UInt8(ascii: "D"): return .number(Double(bitPattern: try bigEndian(8)))
        case UInt8(ascii: "S"): return .string(try string())
        case UInt8(ascii: "C"): return .string(String(UnicodeScalar(try byte())))
        case UInt8(ascii: "T"): return .bool(true)
        case UInt8(ascii: "F"): return .bool(false)
        case UInt8(ascii: "Z"): return .null
        case UInt8(ascii: "["), UInt8(ascii: "{"):
            depth += 1
            defer { depth -= 1 }
            guard depth <= Self.maximumDepth else { throw failure("nested too deep") }
            return marker == UInt8(ascii: "[") ? try array() : try object()
        default: throw failure("unknown marker \(marker)")
        }
    }

    /// A container's optional `$type` and `#count`.
    private mutating func header() throws -> (type: UInt8?, count: Int?) {
        var type: UInt8?
        if offset < bytes.count, bytes[offset] == UInt8(ascii: "$") {
            offset += 1
            type = try byte()
            guard offset < bytes.count, bytes[offset] == UInt8(ascii: "#") else { throw failure("a typed container needs a count") }
        }
        guard offset < bytes.count, bytes[offset] == UInt8(ascii: "#") else { return (type, nil) }
        offset += 1
        return (type, try count())
    }

    private mutating func array() throws -> UBJSONValue {
        let (type, count) = try header()
        if let type, let count {
            switch type {
            case UInt8(ascii: "d"):
                guard bytes.count - offset >= 4 * count else { throw failure("ends early") }
                return .floats(try (0..<count).map { _ in Float(bitPattern: UInt32(try bigEndian(4))) })
            case UInt8(ascii: "i"), UInt8(ascii: "U"), UInt8(ascii: "I"), UInt8(ascii: "l"), UInt8(ascii: "L"):
                let width = [UInt8(ascii: "I"): 2, UInt8(ascii: "l"): 4, UInt8(ascii: "L"): 8][type] ?? 1
                guard bytes.count - offset >= width * count else { throw failure("ends early") }
                return .integers(try (0..<count).map { _ in try integer(marker: type) })
            default:
                return .array(try (0..<count).map { _ in try value(marker: type) })
            }
        }
        var items: [UBJSONValue] = []
        if let count {
            for _ in 0..<count { items.append(try value(marker: byte())) }
            return .array(items)
        }
        while true {
            let marker = try byte()
            if marker == UInt8(ascii: "]") { return .array(items) }
            items.append(try value(marker: marker))
        }
    }

    private mutating func object() throws -> UBJSONValue {
        let (type, count) = try header()
        var members: [String: UBJSONValue] = [:]
        func member(_ reader: inout UBJSONReader) throws {
            let key = try reader.string()
            members[key] = try reader.value(marker: type ?? reader.byte())
        }
        if let count {
            for _ in 0..<count { try member(&self) }
            return .object(members)
        }
        while true {
            guard offset < bytes.count else { throw failure("ends early") }
            if bytes[offset] == UInt8(ascii: "}") {
                offset += 1
                return .object(members)
            }
            try member(&self)
        }
    }
}
