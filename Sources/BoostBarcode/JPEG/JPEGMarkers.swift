/// What a JPEG file says about itself before its pixel data that TurboJPEG does not report: the EXIF
/// orientation. Hand-written because TurboJPEG 2.1 does not expose markers and the tag is a fixed
/// place in a small structure: APP1 `Exif\0\0`, a TIFF header, IFD0, tag 0x0112. Every read is
/// bounds-checked; anything malformed means "no orientation", never an error, as viewers treat it.
enum JPEGMarkers {
    /// The orientation in the first EXIF segment, `.upright` when there is none or it is unusable.
    static func orientation(_ bytes: UnsafeBufferPointer<UInt8>) -> ImageOrientation {
        var offset = 2  // after SOI
        guard bytes.count >= 4, bytes[0] == 0xFF, bytes[1] == 0xD8 else { return .upright }
        while offset + 4 <= bytes.count {
            guard bytes[offset] == 0xFF else { return .upright }
            let marker = bytes[offset + 1]
            if marker == 0xFF { offset += 1; continue }  // fill byte
            // Start of scan or end of image: the headers are over.
            if marker == 0xDA || marker == 0xD9 { return .upright }
            let length = Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
            guard length >= 2, offset + 2 + length <= bytes.count else { return .upright }
            let payload = UnsafeBufferPointer(rebasing: bytes[(offset + 4)..<(offset + 2 + length)])
            if marker == 0xE1, let orientation = exifOrientation(payload) { return orientation }
            offset += 2 + length
        }
        return .upright
    }

    private static let exifHeader: [UInt8] = Array("Exif".utf8) + [0, 0]

    /// IFD0's orientation tag of an APP1 payload, nil when it is not EXIF or holds no usable tag.
    private static func exifOrientation(_ payload: UnsafeBufferPointer<UInt8>) -> ImageOrientation? {
        guard payload.count >= 14, payload.prefix(6).elementsEqual(exifHeader) else { return nil }
        let tiff = UnsafeBufferPointer(rebasing: payload[6...])
        let bigEndian: Bool
        switch (tiff[0], tiff[1]) {
        case (0x49, 0x49): bigEndian = false  // "II"
        case (0x4D, 0x4D): bigEndian = true   // "MM"
        default: return nil
        }
        func integer(at offset: Int, bytes count: Int) -> Int? {
            guard offset >= 0, offset + count <= tiff.count else { return nil }
            var value = 0
            for index in 0..<count {
                let byte = Int(tiff[offset + (bigEndian ? index : count - 1 - index)])
                value = value << 8 | byte
            }
            return value
        }
        guard integer(at: 2, bytes: 2) == 42, let ifd = integer(at: 4, bytes: 4),
              let entries = integer(at: ifd, bytes: 2) else { return nil }
        for entry in 0..<entries {
            let start = ifd + 2 + entry * 12
            guard let tag = integer(at: start, bytes: 2) else { return nil }
            guard tag == 0x0112 else { continue }
            // Type SHORT (3), one value, held in the first two bytes of the value field.
            guard integer(at: start + 2, bytes: 2) == 3, integer(at: start + 4, bytes: 4) == 1,
                  let value = integer(at: start + 8, bytes: 2) else { return nil }
            return ImageOrientation(rawValue: UInt16(value))
        }
        return nil
    }
}
