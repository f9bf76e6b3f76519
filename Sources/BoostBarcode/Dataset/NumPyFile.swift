import Foundation

/// Writes NumPy `.npy` files (format version 1.0), so Python can `np.load` what we computed.
public enum NumPyFile {
    /// Element types we write.
    public enum ElementType: String, Sendable, CaseIterable {
        case uint8, float32

        var descriptor: String { self == .uint8 ? "|u1" : "<f4" }
    }

    /// The bytes of a C-order array of `shape` holding `values` (0...255) as `type`.
    public static func encode(_ values: [UInt8], shape: [Int], as type: ElementType) -> Data {
        precondition(shape.reduce(1, *) == values.count)
        let shapeText = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var header = "{'descr': '\(type.descriptor)', 'fortran_order': False, 'shape': \(shapeText), }"
        // Magic (6) + version (2) + length (2) + header + newline must be a multiple of 64.
        let padding = (64 - (10 + header.utf8.count + 1) % 64) % 64
        header += String(repeating: " ", count: padding) + "\n"
        var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
        let length = UInt16(header.utf8.count)
        data += [UInt8(length & 0xFF), UInt8(length >> 8)]
        data += Data(header.utf8)
        switch type {
        case .uint8: data += Data(values)
        case .float32:
            var floats = values.map { Float($0).bitPattern.littleEndian }
            data += Data(bytes: &floats, count: floats.count * 4)
        }
        return data
    }

    /// Writes atomically.
    public static func write(_ values: [UInt8], shape: [Int], as type: ElementType, to url: URL) throws {
        try AtomicFile.write(encode(values, shape: shape, as: type), to: url)
    }
}
