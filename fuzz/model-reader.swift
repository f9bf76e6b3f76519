import Foundation

/// libFuzzer entry for the booster reader (`UBJSONReader`, `FlatForest`): any bytes must end in a
/// forest or one clear error, never a crash. A forest small enough to try predicts probabilities
/// that are finite and sum to 1 for a row of zeros and a row of 255s.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzModelReader(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let forest = try? FlatForest(ubj: Data(bytes: data, count: size)),
          forest.featureCount <= 10_000, forest.classCount <= 1_000 else { return 0 }
    for value: UInt8 in [0, 255] {
        let row = [UInt8](repeating: value, count: forest.featureCount)
        let probabilities = row.withUnsafeBufferPointer { forest.probabilities($0) }
        let sum = probabilities.reduce(0, +)
        precondition(probabilities.allSatisfy(\.isFinite) ? abs(sum - 1) < 1e-3 : true,
                     "probabilities do not sum to 1: \(probabilities)")
    }
    return 0
}
