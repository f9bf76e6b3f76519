import Foundation

/// Builds PNG files byte by byte (stored, uncompressed deflate blocks), so tests can make every
/// colour type and bit depth libpng must read, including ones our encoder never writes.
enum PNGFixture {
    enum ColourType: UInt8 { case grey = 0, rgb = 2, palette = 3, greyAlpha = 4, rgba = 6 }

    /// `samples` are the raw samples of each row, left to right, `bitDepth` bits each (1, 2, 4, 8 or 16;
    /// below 8 packed from the high bit). `palette` is RGB triples for colour type 3; `transparency`
    /// the body of a tRNS chunk. `filters` gives 8-bit rows' filter types (0 None … 4 Paeth), one per
    /// row, cycled (None when not given); `idatSize` splits the pixel data into IDAT chunks of that size.
    static func make(width: Int, height: Int, colour: ColourType, bitDepth: UInt8, samples: [Int],
                     palette: [UInt8] = [], transparency: [UInt8]? = nil, filters: [UInt8] = [0],
                     idatSize: Int = .max) -> Data {
        let samplesPerRow = samples.count / height
        let bytesPerPixel = samplesPerRow / max(width, 1)
        var raw: [UInt8] = []
        var above: [UInt8]? = nil
        for y in 0..<height {
            let row = samples[y * samplesPerRow..<(y + 1) * samplesPerRow]
            if bitDepth == 8, filters != [0] {
                let bytes = row.map { UInt8($0) }
                let filter = filters[y % filters.count]
                raw.append(filter)
                raw += filtered(bytes, above: above, type: filter, bytesPerPixel: bytesPerPixel)
                above = bytes
                continue
            }
            raw.append(0)  // filter type None
            switch bitDepth {
            case 16: for s in row { raw += [UInt8(s >> 8), UInt8(s & 0xFF)] }
            case 8: raw += row.map { UInt8($0) }
            default:
                let perByte = 8 / Int(bitDepth)
                for start in stride(from: row.startIndex, to: row.endIndex, by: perByte) {
                    var byte = 0
                    for (i, s) in row[start..<min(start + perByte, row.endIndex)].enumerated() {
                        byte |= s << (8 - Int(bitDepth) * (i + 1))
                    }
                    raw.append(UInt8(byte))
                }
            }
        }
        var png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        png += chunk("IHDR", bigEndian32(width) + bigEndian32(height) + [bitDepth, colour.rawValue, 0, 0, 0])
        if colour == .palette { png += chunk("PLTE", palette) }
        if let transparency { png += chunk("tRNS", transparency) }
        let stream = zlibStored(raw)
        for start in stride(from: 0, to: stream.count, by: min(idatSize, stream.count)) {
            png += chunk("IDAT", Array(stream[start..<min(start + idatSize, stream.count)]))
        }
        png += chunk("IEND", [])
        return png
    }

    /// A row under one of PNG's five filters (the spec's section 9.2), the row above given as `above`.
    private static func filtered(_ row: [UInt8], above: [UInt8]?, type: UInt8, bytesPerPixel bpp: Int) -> [UInt8] {
        row.indices.map { i in
            let a = i >= bpp ? Int(row[i - bpp]) : 0
            let b = above.map { Int($0[i]) } ?? 0
            let c = i >= bpp ? above.map { Int($0[i - bpp]) } ?? 0 : 0
            let prediction: Int
            switch type {
            case 1: prediction = a
            case 2: prediction = b
            case 3: prediction = (a + b) / 2
            case 4:
                let p = a + b - c
                let (pa, pb, pc) = (abs(p - a), abs(p - b), abs(p - c))
                prediction = pa <= pb && pa <= pc ? a : pb <= pc ? b : c
            default: prediction = 0
            }
            return UInt8(truncatingIfNeeded: Int(row[i]) - prediction)
        }
    }

    private static func bigEndian32(_ value: Int) -> [UInt8] {
        [UInt8(value >> 24 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }

    private static func chunk(_ type: String, _ body: [UInt8]) -> Data {
        let typeBytes = Array(type.utf8)
        return Data(bigEndian32(body.count) + typeBytes + body + bigEndian32(Int(crc32(typeBytes + body))))
    }

    private static func zlibStored(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x78, 0x01]
        var offset = 0
        repeat {
            let length = min(65535, data.count - offset)
            let final: UInt8 = offset + length == data.count ? 1 : 0
            out += [final, UInt8(length & 0xFF), UInt8(length >> 8), UInt8(~length & 0xFF), UInt8((~length >> 8) & 0xFF)]
            out += data[offset..<offset + length]
            offset += length
        } while offset < data.count
        var (a, b): (UInt32, UInt32) = (1, 0)
        for byte in data { a = (a + UInt32(byte)) % 65521; b = (b + a) % 65521 }
        return out + bigEndian32(Int(b << 16 | a))
    }

    private static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }
}
