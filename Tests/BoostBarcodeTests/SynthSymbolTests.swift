import Testing
@testable import BoostBarcode

/// Draws symbols upright and undistorted, and reads them back along one row as a laser scanner would.
@Suite struct SynthSymbolTests {
    @Test(arguments: ["4006381333931", "5901234123457", "9780201379624", "4600049340097"], [1.5, 2, 3.3])
    func renderedSymbolScansBackToItsCode(_ text: String, moduleWidth: Double) throws {
        let code = try #require(EAN13Code(text: text))
        let recipe = cleanRecipe(code, moduleWidth: moduleWidth)
        let (image, quad) = try PhotoRenderer(recipe: recipe).render()
        let row = Int(((quad.topLeft.y + quad.bottomLeft.y) / 2).rounded())
        // Scan the paper only: the symbol and most of its quiet zones, not the clutter around the label.
        let columns = Int(quad.topLeft.x - 8 * moduleWidth)...Int(quad.topRight.x + 5 * moduleWidth)
        #expect(ScanlineDecoder.decode(image, row: row, columns: columns) == code)
        // The quad of an upright symbol is its bars' box: 95 modules wide, the data bars high.
        #expect(abs(quad.topRight.x - quad.topLeft.x - 95 * moduleWidth) < 1e-6)
        #expect(abs(quad.bottomLeft.y - quad.topLeft.y - 24 * moduleWidth) < 1e-6)
        #expect(abs(quad.topLeft.y - quad.topRight.y) < 1e-6)
    }

    @Test func digitsAndGuardsReachBelowTheQuad() throws {
        let code = try #require(EAN13Code(text: "5901234123457"))
        let (image, quad) = try PhotoRenderer(recipe: cleanRecipe(code, moduleWidth: 3)).render()
        // Two modules below the quad: the first guard bar is still ink, the space after it paper.
        let y = Int(quad.bottomLeft.y + 2 * 3)
        let left = quad.bottomLeft.x
        #expect(greyLevel(image, x: Int(left + 1.5), y: y) < 60)
        #expect(greyLevel(image, x: Int(left + 4.5), y: y) > 200)
        // The leading digit sits in the left quiet zone, below the bars: some ink there.
        let inked = (Int(quad.bottomLeft.y) + 4..<Int(quad.bottomLeft.y) + 30).contains { y in
            (Int(left - 24)..<Int(left - 6)).contains { greyLevel(image, x: $0, y: y) < 100 }
        }
        #expect(inked)
    }
}

/// A test-only reader: threshold part of one row, find the outer edges, sample the 95 module centres, decode.
enum ScanlineDecoder {
    static func decode(_ image: Image, row: Int, columns: ClosedRange<Int>) -> EAN13Code? {
        let profile = columns.map { greyLevel(image, x: $0, y: row) }
        let threshold = (profile.min()! + profile.max()!) / 2
        guard let first = profile.firstIndex(where: { $0 < threshold }),
              let last = profile.lastIndex(where: { $0 < threshold }), first > 0, last < profile.count - 1 else { return nil }
        // Sub-pixel edges where the profile crosses the threshold.
        func crossing(_ outside: Int, _ inside: Int) -> Double {
            let (a, b) = (profile[outside], profile[inside])
            return Double(outside) + Double(inside - outside) * (a - threshold) / (a - b)
        }
        let (left, right) = (crossing(first - 1, first), crossing(last + 1, last))
        let module = (right - left) / 95
        let modules = (0..<95).map { index -> Bool in
            let x = left + (Double(index) + 0.5) * module
            let base = Int(x.rounded(.down))
            let fraction = x - Double(base)
            return profile[base] * (1 - fraction) + profile[base + 1] * fraction < threshold
        }
        return decode(modules: modules)
    }

    /// The code of 95 modules, or nil when a guard or a digit pattern is wrong.
    static func decode(modules: [Bool]) -> EAN13Code? {
        guard Array(modules[0..<3]) == EAN13Symbology.startGuard, Array(modules[45..<50]) == EAN13Symbology.centreGuard,
              Array(modules[92..<95]) == EAN13Symbology.endGuard else { return nil }
        var digits: [UInt8] = [0]
        var parity: [Bool] = []
        for position in 0..<6 {
            let pattern = Array(modules[3 + 7 * position..<10 + 7 * position])
            if let digit = EAN13Symbology.lPatterns.firstIndex(of: pattern) {
                digits.append(UInt8(digit)); parity.append(false)
            } else if let digit = EAN13Symbology.gPatterns.firstIndex(of: pattern) {
                digits.append(UInt8(digit)); parity.append(true)
            } else { return nil }
        }
        for position in 0..<6 {
            let pattern = Array(modules[50 + 7 * position..<57 + 7 * position])
            guard let digit = EAN13Symbology.rPatterns.firstIndex(of: pattern) else { return nil }
            digits.append(UInt8(digit))
        }
        guard let first = EAN13Symbology.firstDigitParity.firstIndex(of: parity) else { return nil }
        digits[0] = UInt8(first)
        return EAN13Code(digits: digits)
    }
}
