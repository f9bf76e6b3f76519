import Foundation

/// libFuzzer entry for the JPEG loader (TurboJPEG, the EXIF orientation, CMYK conversion): any bytes
/// must end in an image or a JPEGError, never a crash, a leak or an out-of-bounds access, at every
/// scale. Limits are kept small so that a claimed size cannot exhaust the fuzzer's memory.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJPEGLoader(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let limits = ImageLimits(maximumWidth: 4096, maximumHeight: 4096, maximumPixels: 4_000_000)
    let bytes = Data(bytes: data, count: size)
    for reduction in JPEGCodec.reductions {
        if let image = try? JPEGCodec.decode(bytes, path: "fuzz.jpg", limits: limits, reduction: reduction) {
            precondition(image.pixels.count == image.width * image.height * image.channels)
        }
    }
    return 0
}
