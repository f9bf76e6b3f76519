import Foundation

/// libFuzzer entry for the markup CSV reader: any bytes must end in rows and per-line problems or
/// one clear error, never a crash. Every row read must survive being written (as `predict` writes
/// answer.csv) and read again.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMarkupReader(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let contents = try? MarkupFile.contents(of: Data(bytes: data, count: size), path: "fuzz.csv") else { return 0 }
    for row in contents.rows {
        let again = try? MarkupFile.contents(of: MarkupFile.encode(MarkupFile.format(row), as: .utf16), path: "again.csv")
        precondition(again?.rows == [row], "row does not survive a write and read: \(row)")
    }
    return 0
}
