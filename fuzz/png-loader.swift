import Foundation

/// libFuzzer entry for the PNG loader: any bytes must end in an image or a PNGError, never a crash,
/// a leak or an out-of-bounds access, whether decoded in full or stopped after some top rows. Limits are kept small so that a claimed size cannot exhaust
/// the fuzzer's memory.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPNGLoader(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let limits = ImageLimits(maximumWidth: 4096, maximumHeight: 4096, maximumPixels: 4_000_000)
    let bytes = Data(bytes: data, count: size)
    if let image = try? PNGCodec.decode(bytes, path: "fuzz.png", limits: limits) {
        precondition(image.pixels.count == image.width * image.height * image.channels)
    }
    if let image = try? PNGCodec.decode(bytes, path: "fuzz.png", limits: limits, topRows: size % 37) {
        precondition(image.pixels.count == image.width * image.height * image.channels)
    }
    return 0
}
