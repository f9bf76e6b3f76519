/// The EAN-13 symbology tables (DATA.md section 2). Used by the synthetic renderer and the tests,
/// not by the classifier, which learns the bars itself.
public enum EAN13Symbology {
    /// Number of modules in a symbol: guards, 12 encoded digits.
    public static let moduleCount = 95

    /// Set L (odd parity), one row per digit, `1` = bar.
    public static let lPatterns: [[Bool]] = [
        "0001101", "0011001", "0010011", "0111101", "0100011",
        "0110001", "0101111", "0111011", "0110111", "0001011",
    ].map { $0.map { $0 == "1" } }

    /// Set R: each L pattern complemented.
    public static let rPatterns: [[Bool]] = lPatterns.map { $0.map { !$0 } }

    /// Set G (even parity): each R pattern reversed.
    public static let gPatterns: [[Bool]] = rPatterns.map { Array($0.reversed()) }

    /// Parity of d1...d6 implied by d0; `true` = G. Row 1 reads LLGLGG.
    public static let firstDigitParity: [[Bool]] = [
        "LLLLLL", "LLGLGG", "LLGGLG", "LLGGGL", "LGLLGG",
        "LGGLLG", "LGGGLL", "LGLGLG", "LGLGGL", "LGGLGL",
    ].map { $0.map { $0 == "G" } }

    public static let startGuard: [Bool] = [true, false, true]
    public static let centreGuard: [Bool] = [false, true, false, true, false]
    public static let endGuard: [Bool] = [true, false, true]

    /// The 95 modules of `code`, left to right, `true` = bar.
    public static func modules(for code: EAN13Code) -> [Bool] {
        let d = code.digits
        let parity = firstDigitParity[Int(d[0])]
        var modules = startGuard
        for position in 1...6 {
            let digit = Int(d[position])
            modules += parity[position - 1] ? gPatterns[digit] : lPatterns[digit]
        }
        modules += centreGuard
        for position in 7...12 { modules += rPatterns[Int(d[position])] }
        modules += endGuard
        return modules
    }

    /// Module ranges that belong to the guards (drawn longer than the digit bars).
    public static func isGuardModule(_ index: Int) -> Bool {
        index < 3 || (45..<50).contains(index) || index >= 92
    }
}
