import CDeflate
import Foundation

/// libFuzzer entry for the common photo's own PNG decoder (Sources/CPNGDecode/fast.c), against libpng:
/// the input is made a well-formed file (its first byte picks grey or RGB and the width, the rest are
/// the filtered rows, each led by its filter byte, any value), compressed and given correct CRCs, so
/// that every input reaches the row filters, which mutated files would seldom get past their CRCs to.
/// Whenever libpng decodes the file, the decoder must give the same pixels; whenever libpng refuses it,
/// so must it.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPNGRows(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 2 else { return 0 }
    let channels = data[0] & 1 == 0 ? 1 : 3
    let width = 1 + Int(data[0] >> 1) % 64
    let rowBytes = 1 + width * channels
    var rows = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    let height = max(1, rows.count / rowBytes)
    // Mostly whole rows; an input of odd length keeps its ragged end, a stream one row short or long.
    if size % 2 == 0 { rows = Array(rows.prefix(height * rowBytes)) + [UInt8](repeating: 0, count: max(0, height * rowBytes - rows.count)) }
    let file = pngFile(width: width, height: height, colour: channels == 3 ? 2 : 0, filteredRows: rows)
    let libpng = try? PNGCodec.decode(file, topRows: height)  // a topRows decode always goes through libpng
    let decoded = try? PNGCodec.decode(file)
    precondition((libpng == nil) == (decoded == nil), "one decoder refused what the other read")
    if let libpng, let decoded { precondition(libpng == decoded, "the decoders disagree") }
    return 0
}

private func pngFile(width: Int, height: Int, colour: UInt8, filteredRows: [UInt8]) -> Data {
    func bigEndian(_ value: Int) -> [UInt8] { [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: value >> $0) } }
    func chunk(_ type: String, _ body: [UInt8]) -> [UInt8] {
        let typed = Array(type.utf8) + body
        let crc = typed.withUnsafeBytes { libdeflate_crc32(0, $0.baseAddress, $0.count) }
        return bigEndian(body.count) + typed + bigEndian(Int(crc))
    }
    let compressor = libdeflate_alloc_compressor(1)!
    defer { libdeflate_free_compressor(compressor) }
    var stream = [UInt8](repeating: 0, count: libdeflate_zlib_compress_bound(compressor, filteredRows.count))
    let written = filteredRows.withUnsafeBytes { source in
        stream.withUnsafeMutableBytes { libdeflate_zlib_compress(compressor, source.baseAddress, source.count, $0.baseAddress, $0.count) }
    }
    let signature: [UInt8] = [137, 80, 78, 71, 13, 10, 26, 10]
    let header = bigEndian(width) + bigEndian(height) + [8, colour, 0, 0, 0]
    return Data(signature + chunk("IHDR", header) + chunk("IDAT", Array(stream.prefix(written))) + chunk("IEND", []))
}
