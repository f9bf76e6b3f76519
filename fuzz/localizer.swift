import Foundation

/// libFuzzer entry for the localizer and the guard-aligned features: any picture must give candidates
/// with finite corners, and every candidate, its variants and its features must be computed without
/// a crash. The first three bytes give the width and height (8 to 135 pixels) and the channels; the
/// rest, repeated, are the pixels (so that a short input still fills a picture).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLocalizer(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 4 else { return 0 }
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let (width, height, channels) = (8 + Int(bytes[0] & 127), 8 + Int(bytes[1] & 127), bytes[2] & 1 == 0 ? 1 : 3)
    let body = bytes[3...]
    let pixels = (0..<width * height * channels).map { body[body.startIndex + $0 % body.count] }
    let image = Image(width: width, height: height, channels: channels, pixels: pixels)!
    let extractor = try! FeatureExtractor(config: FeatureConfig.named(FeatureConfig.defaultPresetName)!)
    for candidate in BarcodeLocalizer().candidates(in: image) {
        precondition(candidate.quad.corners.allSatisfy { $0.x.isFinite && $0.y.isFinite }, "corner not finite")
        var quads = [candidate.quad]
        if let variants = QuadVariants(candidate.quad) {
            quads += [variants.refitted(in: image)].compactMap { $0 } + variants.parallelograms + [variants.yawed(by: 0.04)]
        }
        for quad in quads {
            for quick in [true, false] {
                if let features = try? extractor.features(of: image, quad: quad, quickAlignment: quick) {
                    precondition(features.values.count == extractor.config.featureCount, "feature count")
                }
            }
        }
    }
    return 0
}
