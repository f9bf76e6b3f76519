import Foundation
import Testing
@testable import BoostBarcode

/// The reader of defocused symbols: its lattice finds the cheapest valid code, and it reads symbols
/// blurred until their bars merge, from a candidate whose ends are off.
@Suite struct BlurredStripTests {
    /// Costs that favour `code`'s patterns (0 against 1) find it, sure of it, and its chain of patterns.
    @Test func latticeFindsTheCodeItsCostsFavour() throws {
        for text in ["9780446579803", "5901234123457", "0000000000000"] {
            let code = try #require(EAN13Code(text: text))
            let parity = EAN13Symbology.firstDigitParity[Int(code.digits[0])]
            let unary = (1...12).map { position in
                let digit = Int(code.digits[position])
                let pattern = position <= 6 && parity[position - 1] ? 10 + digit : digit
                return (0..<EAN13Lattice.patternCount(at: position)).map { $0 == pattern ? 0.0 : 1.0 }
            }
            let pairwise = (2...12).map { [Double](repeating: 0, count: EAN13Lattice.patternCount(at: $0 - 1) * EAN13Lattice.patternCount(at: $0)) }
            let lattice = EAN13Lattice(unary: unary, pairwise: pairwise)
            let best = lattice.best(temperature: 0.1)
            #expect(best.code == code && best.cost == 0 && best.posterior > 0.99, "\(text)")
            // The cheapest chain, whatever the parities, is the code's patterns too.
            let chain = lattice.cheapestChain()
            #expect(Array(chain.patterns[1...]) == unary.map { $0.firstIndex(of: 0)! } && chain.cost == 0, "\(text)")
        }
    }

    /// The profile of a chain of patterns (the search's quick look) is the profile of the code they
    /// spell, to the last bit: its bars are added in the same order.
    @Test func aChainsProfileIsItsCodesProfile() throws {
        let model = BlurredSymbolModel(radius: 1.75)
        for text in ["9780446579803", "5901234123457", "4006381333931"] {
            let code = try #require(EAN13Code(text: text))
            let parity = EAN13Symbology.firstDigitParity[Int(code.digits[0])]
            let patterns = (0...12).map { position in
                position == 0 ? 0 : Int(code.digits[position]) + (position <= 6 && parity[position - 1] ? 10 : 0)
            }
            #expect(model.expectedProfile(ofPatterns: patterns) == model.expectedProfile(of: code), "\(text)")
        }
    }

    /// The share of a sample's blur beyond a label's edge: all of it well past the edge, none well
    /// short of it, half at the edge, falling steadily between; before and after an edge add up to 1.
    @Test func blurredShareBeyondALabelEdge() {
        let model = BlurredSymbolModel(radius: 2)
        // Sample j sits at module (j + ½) / 4 − 8: the edge at −1.125 is sample 27's.
        let before = model.blurredShare(beyond: -1.125, before: true), after = model.blurredShare(beyond: -1.125, before: false)
        #expect(before.count == model.sampleCount)
        #expect(before[0] == 1 && before[40] == 0 && abs(before[27] - 0.5) < 1e-12)
        #expect(zip(before, before.dropFirst()).allSatisfy { $0 >= $1 })
        #expect(zip(before, after).allSatisfy { abs($0 + $1 - 1) < 1e-12 })
    }

    /// A symbol of `moduleWidth` px a module on average on a 200-grey paper, ink 150 darker, through a
    /// disc of `radius` modules, and the exact quad of its bars. With a `taper` its modules widen
    /// steadily from 1 − taper/2 times that width at the start guard to 1 + taper/2 at the end guard,
    /// as a label turned away from the camera shows them, which its quad (a rectangle) does not show;
    /// with a `bulge` they narrow towards both ends as a label round a can shows them (module m moves
    /// by 47.5 · bulge · (u − u³) modules, u = (m − 47.5) / 47.5). With `paper` the label ends that
    /// many modules beyond each guard, on a ground half as dark as the ink.
    func defocused(_ code: EAN13Code, moduleWidth: Double, radius: Double, taper: Double = 0, bulge: Double = 0,
                   paper: Double = .infinity) -> (GreyPlane, Quad) {
        let margin = 30.0, width = Int(95 * moduleWidth + 2 * margin), height = 40
        let modules = EAN13Symbology.modules(for: code)
        let edges = (0...95).map { m -> Double in
            let u = (Double(m) - 47.5) / 47.5
            return margin + moduleWidth * (Double(m) + taper * Double(m * (m - 95)) / 190 + 47.5 * bulge * (u - u * u * u))
        }
        let offsets = (0..<64).map { (Double($0) + 0.5) / 32 - 1 }
        let weights = offsets.map { (1 - $0 * $0).squareRoot() }
        let total = weights.reduce(0, +)
        let row = (0..<width).map { x -> Float in
            let ink = zip(offsets, weights).reduce(0.0) { sum, pair in
                let u = Double(x) + pair.0 * radius * moduleWidth
                if u < edges[0] - paper * moduleWidth || u > edges[95] + paper * moduleWidth { return sum + 0.5 * pair.1 }
                guard let k = edges.lastIndex(where: { $0 <= u }), k < 95 else { return sum }
                return sum + (modules[k] ? pair.1 : 0)
            } / total
            return Float(200 - 150 * ink)
        }
        let plane = GreyPlane(width: width, height: height, values: (0..<height).flatMap { _ in row })
        let quad = Quad(topLeft: Point(x: margin, y: 5), topRight: Point(x: margin + 95 * moduleWidth, y: 5),
                        bottomRight: Point(x: margin + 95 * moduleWidth, y: 35), bottomLeft: Point(x: margin, y: 35))
        return (plane, quad)
    }

    /// A narrower search than the default, for a debug build's speed: it still spans the offsets the
    /// tests use (and no tapers, bulges, halves or uneven levels, but in the tests of them).
    static func narrowReader(radii: [Double] = [1.75, 2.5, 3.25]) -> BlurredStripReader {
        var reader = BlurredStripReader(radii: radii)
        reader.starts = stride(from: -7.0, through: 7.0, by: 0.5).map { $0 }
        reader.widths = stride(from: 0.9, through: 1.1, by: 0.025).map { $0 }
        reader.tapers = []
        reader.bulges = []
        reader.halvesBelow = 0
        return reader
    }

    @Test func readsASymbolWhoseBarsTheBlurHasMerged() throws {
        let reader = Self.narrowReader()
        let code = try #require(EAN13Code(text: "9780446579803"))
        let (plane, quad) = defocused(code, moduleWidth: 2, radius: 2.5)
        let exact = try #require(reader.read(plane, around: quad))
        #expect(exact.code == code && exact.confidence > 0.9)
        #expect(QuadOverlap.intersectionOverUnion(exact.quad, quad) > 0.9)
        // The candidate's ends 5 modules short on the left and 4 long on the right; then upside down.
        var off = quad
        off.topLeft.x += 10; off.bottomLeft.x += 10; off.topRight.x += 8; off.bottomRight.x += 8
        #expect(reader.read(plane, around: off)?.code == code)
        let turned = try #require(reader.read(plane, around: quad.rotatedHalfTurn))
        #expect(turned.code == code && QuadOverlap.intersectionOverUnion(turned.quad, quad.rotatedHalfTurn) > 0.9)
    }

    /// The coarse search takes every other start first (a module apart); a symbol that starts half a
    /// module off those, under a candidate as wide as the symbol but shifted 3.5 modules right, still
    /// reads surely, and its quad is put back on the bars.
    @Test func findsASymbolStartingBetweenTheFirstStarts() throws {
        let code = try #require(EAN13Code(text: "5901234123457"))
        let (plane, quad) = defocused(code, moduleWidth: 2, radius: 2.5)
        var shifted = quad
        for corner in [\Quad.topLeft, \.topRight, \.bottomRight, \.bottomLeft] { shifted[keyPath: corner].x += 7 }
        let read = try #require(Self.narrowReader().read(plane, around: shifted))
        #expect(read.code == code && read.confidence > 0.99)
        #expect(QuadOverlap.intersectionOverUnion(read.quad, quad) > 0.9)
    }

    /// A sure reading's confidence is a probability: rounding in the posterior's sums lifts this one
    /// 1.2e-10 above 1 unless it is held there.
    @Test func aSureReadingsConfidenceIsAtMostOne() throws {
        let code = try #require(EAN13Code(text: "4006381333931"))
        let (plane, quad) = defocused(code, moduleWidth: 2, radius: 2.5)
        let read = try #require(Self.narrowReader().read(plane, around: quad))
        #expect(read.code == code && read.confidence > 0.9999 && read.confidence <= 1)
    }

    /// A defocused symbol whose lower half a glare washes out over the right part of its bars: the mean
    /// of all its rows loses half its contrast there, which no ramp of ink levels fits; its upper half
    /// reads, and is read once the middle rows' reading is not sure.
    @Test func readsTheHalfAGlareLeavesClear() throws {
        var reader = Self.narrowReader()
        reader.halvesBelow = BlurredStripReader().halvesBelow
        let code = try #require(EAN13Code(text: "4006381333931"))
        let (clear, quad) = defocused(code, moduleWidth: 2.5, radius: 2)
        var values = clear.values
        for y in 20..<clear.height {
            for x in 150..<clear.width { values[y * clear.width + x] = 250 - (250 - values[y * clear.width + x]) * 0.1 }
        }
        let plane = GreyPlane(width: clear.width, height: clear.height, values: values)
        let read = try #require(reader.read(plane, around: quad))
        #expect(read.code == code && read.confidence >= 0.9999)
        reader.halvesBelow = 0
        let middle = reader.read(plane, around: quad)
        #expect(middle?.code != code || (middle?.confidence ?? 0) < 0.9)
    }

    /// A defocused symbol under a soft highlight (paper lifted towards white, by half at its peak):
    /// no ramp of levels fits it. About 15 modules wide, even levels read the code unsurely and uneven
    /// levels read it surely; about 25 modules wide, even levels read a wrong code, and the uneven
    /// levels' reading of another code does not replace it. Only a known quad's reading fits them.
    @Test func unevenLevelsReadTheCodeUnderASoftHighlightSurer() throws {
        let code = try #require(EAN13Code(text: "4006381333931"))
        func highlighted(modulesWide wide: Double) -> (GreyPlane, Quad) {
            let (clear, quad) = defocused(code, moduleWidth: 2.5, radius: 1.75)
            let peak = quad.topLeft.x + 0.6 * (quad.topRight.x - quad.topLeft.x)
            var values = clear.values
            for y in 0..<clear.height {
                for x in 0..<clear.width {
                    let d = (Double(x) - peak) / (wide * 2.5)
                    values[y * clear.width + x] += (250 - values[y * clear.width + x]) * Float(0.5 * exp(-d * d))
                }
            }
            return (GreyPlane(width: clear.width, height: clear.height, values: values), quad)
        }
        var reader = Self.narrowReader()
        let (plane, quad) = highlighted(modulesWide: 15)
        let even = try #require(reader.read(plane, around: quad))
        #expect(even.code == code && even.confidence < 0.9999)
        reader.unevenLevelsBelow = BlurredStripReader.answeredAloneFrom
        let uneven = try #require(reader.read(plane, around: quad))
        #expect(uneven.code == code && uneven.unevenLevels && uneven.confidence >= 0.999999)
        let (wider, widerQuad) = highlighted(modulesWide: 25)
        let wrong = reader.read(wider, around: widerQuad)
        #expect(wrong != nil && wrong?.code != code && wrong?.unevenLevels == false)
        #expect(BlurredStripReader().unevenLevelsBelow == 0)
    }

    /// A defocused label under perspective its quad does not show (its modules 0.9 times the average
    /// at the start and 1.1 times at the end): read through the tapers, and not without them.
    @Test func readsModulesThatWidenAlongTheSymbol() throws {
        try readsOnlyThrough(\.tapers, code: "4605963692086", radius: 2.5, taper: 0.2)
    }

    /// A defocused label round a can (its modules at the ends 0.5 times as wide as in the middle), in
    /// an upright quad around its ends: read through the bulges, and not without them.
    @Test func readsALabelRoundACylinder() throws {
        try readsOnlyThrough(\.bulges, code: "4607803782940", radius: 2, bulge: 0.2)
    }

    /// A defocused label trimmed half a module beyond its guards, on a darker ground that the blur
    /// spreads over the guards: read through the label edges, and not without them.
    @Test func readsALabelTrimmedAtItsGuards() throws {
        try readsOnlyThrough(\.labelEdges, BlurredStripReader.trimmedLabelEdges, code: "5901234123457", radius: 2, paper: 0.5)
        #expect(BlurredStripReader().labelEdges.isEmpty)
    }

    /// A defocused label that its quad does not describe (modules that vary along it, a label's edges
    /// near its guards) reads surely through the geometries `search` lists (`values`, else the reader's
    /// own), and not without them.
    func readsOnlyThrough(_ search: WritableKeyPath<BlurredStripReader, [Double]>, _ values: [Double]? = nil, code text: String,
                          radius: Double, taper: Double = 0, bulge: Double = 0, paper: Double = .infinity) throws {
        var reader = Self.narrowReader()
        reader[keyPath: search] = values ?? BlurredStripReader()[keyPath: search]
        let code = try #require(EAN13Code(text: text))
        let (plane, quad) = defocused(code, moduleWidth: 2.5, radius: radius, taper: taper, bulge: bulge, paper: paper)
        let read = try #require(reader.read(plane, around: quad))
        #expect(read.code == code && read.confidence > 0.99)
        reader[keyPath: search] = []
        let without = reader.read(plane, around: quad)
        #expect(without?.code != code || without!.confidence < 0.9)
    }

    /// Through a known quad the search keeps near the quad's ends (`knownQuadStarts`, `knownQuadWidths`):
    /// a quad a module and a half off reads, its ends put back on the bars; one 6 modules off is not
    /// followed to a symbol beyond its reach, as a localizer's candidate is (`readsASymbolWhoseBarsTheBlurHasMerged`).
    @Test func aKnownQuadsSearchKeepsNearItsEnds() throws {
        var reader = Self.narrowReader()
        (reader.starts, reader.widths) = (BlurredStripReader.knownQuadStarts, BlurredStripReader.knownQuadWidths)
        let code = try #require(EAN13Code(text: "4600147810416"))
        let moduleWidth = 2.0
        let (plane, quad) = defocused(code, moduleWidth: moduleWidth, radius: 2.5)
        func shifted(modules: Double) -> Quad {
            var moved = quad
            for corner in [\Quad.topLeft, \.topRight, \.bottomRight, \.bottomLeft] { moved[keyPath: corner].x += modules * moduleWidth }
            return moved
        }
        let near = try #require(reader.read(plane, around: shifted(modules: 1.5)))
        #expect(near.code == code && near.confidence > 0.99)
        // Put back within half a module.
        #expect(abs(near.quad.topLeft.x - quad.topLeft.x) < moduleWidth / 2 && abs(near.quad.topRight.x - quad.topRight.x) < moduleWidth / 2)
        let far = shifted(modules: 6)
        if let reading = reader.read(plane, around: far) {
            #expect(abs(reading.quad.topLeft.x - far.topLeft.x) < 3 * moduleWidth)
            #expect(reading.code != code || reading.confidence < 0.9)
        }
    }

    /// A candidate whose right end reaches only the upper half of the bars (the localizer stopped at
    /// a glare or the digits) is no perspective: the profile is taken evenly between its ends' middles,
    /// which a homography of the quad would squeeze towards the short end.
    @Test func readsThroughACandidateWithUnevenEnds() throws {
        let reader = Self.narrowReader()
        let code = try #require(EAN13Code(text: "9780679601050"))
        let (plane, quad) = defocused(code, moduleWidth: 2, radius: 2.5)
        var uneven = quad
        uneven.bottomRight.y = 18
        let reading = try #require(reader.read(plane, around: uneven))
        #expect(reading.code == code && reading.confidence > 0.9)
    }

    /// The rows of the profile run along the bars as the photo's gradients show them, not along the
    /// quad's sides: blurred bars leaning 8° inside an upright quad.
    @Test func frameFollowsTheBarsNotTheQuadsSides() throws {
        let (width, height, lean) = (200, 60, 8.0 * Double.pi / 180)
        let values = (0..<height).flatMap { y in
            (0..<width).map { x -> Float in
                // Blurred bars: a smooth wave across them (hard edges on the pixel grid bias gradients).
                let u = Double(x) - tan(lean) * Double(y)
                return Float(125 + 85 * sin(Double.pi * u / 6))
            }
        }
        let plane = GreyPlane(width: width, height: height, values: values)
        let quad = Quad(topLeft: Point(x: 40, y: 10), topRight: Point(x: 160, y: 10),
                        bottomRight: Point(x: 160, y: 50), bottomLeft: Point(x: 40, y: 50))
        let toPhoto = try #require(Homography.fromUnitSquare(to: quad))
        let frame = try #require(BarFrame(plane, around: quad, through: toPhoto))
        let (top, bottom) = (frame.point(t: 0.5, v: 0), frame.point(t: 0.5, v: 1))
        let measured = atan2(bottom.x - top.x, bottom.y - top.y)
        #expect(abs(measured - lean) < 1 * Double.pi / 180, "\(measured * 180 / Double.pi)°")
        #expect(abs(frame.point(t: 0, v: 0.5).x - 40) < 1e-9 && abs(frame.point(t: 1, v: 0.5).x - 160) < 1e-9)
    }

    /// Rows that do not run along the bars (a frame's direction off by 4°, so the outer rows sit a
    /// module to either side of the middle's) are lined up before they are averaged: the shifts found
    /// are the rows' own offsets along the profile, to a fraction of a sample (an eighth of a module).
    @Test func rowsAreLinedUpAlongTheBars() throws {
        let code = try #require(EAN13Code(text: "9780446579803"))
        let (plane, quad) = defocused(code, moduleWidth: 2, radius: 2.5)
        let row = Array(plane.values[0..<plane.width]).map(Double.init)
        let perModule = Double(BlurredStripReader.fineSamplesPerModule)
        let count = BlurredStripReader.profileLength
        // Sample i of a profile of a row whose bars lie `offset` samples on, as the reader takes it
        // from `shift` samples on: 2 pixels a module.
        func profile(offset: Double, shift: Double) -> [Double] {
            (0..<count).map { i in
                let module = (Double(i) + 0.5 + shift - offset) / perModule - BlurredStripReader.margin * 95
                let x = min(max(quad.topLeft.x + 2 * module, 0), Double(row.count - 1))
                let k = min(Int(x), row.count - 2), w = x - Double(k)
                return row[k] * (1 - w) + row[k + 1] * w
            }
        }
        let rows = BlurredStripReader.middleRows
        let offsets = rows.map { 26 * ($0 - 0.5) }
        var shifts = [Double](repeating: 0, count: rows.count)
        for _ in 0..<BlurredStripReader.alignmentPasses {
            shifts = BlurredStripReader.rowShifts(rows.indices.map { profile(offset: offsets[$0], shift: shifts[$0]) },
                                                  at: rows, shiftedBy: shifts)
        }
        for (shift, offset) in zip(shifts, offsets) { #expect(abs(shift - offset) < 0.25, "\(shift) against \(offset)") }
        // Rows that run along the bars stay where they are.
        let straight = BlurredStripReader.rowShifts(rows.map { _ in profile(offset: 0, shift: 0) }, at: rows,
                                                    shiftedBy: rows.map { _ in 0 })
        #expect(straight.allSatisfy { abs($0) < 0.01 })
    }

    /// Paper alone gives no confident code, nor do its halves.
    @Test func blankPaperIsNotConfident() {
        let plane = GreyPlane(width: 260, height: 40, values: [Float](repeating: 180, count: 260 * 40))
        let quad = Quad(topLeft: Point(x: 30, y: 5), topRight: Point(x: 220, y: 5), bottomRight: Point(x: 220, y: 35), bottomLeft: Point(x: 30, y: 35))
        var reader = Self.narrowReader()
        reader.halvesBelow = BlurredStripReader().halvesBelow
        #expect((reader.read(plane, around: quad)?.confidence ?? 0) < 0.5)
    }

    /// A photo whose bars a 2.5-module disc has merged: the shipped model's boosters do not read it;
    /// the photo reader reads it all the same, through its reader of defocused symbols.
    @Test func photoReaderFallsBackOnDefocusedSymbols() throws {
        let code = try #require(EAN13Code(text: "9780345460950"))
        let (sharp, truth) = try PhotoRenderer(recipe: cleanRecipe(code, moduleWidth: 3, rotation: 0.1)).render()
        let photo = Self.discBlurred(sharp, radius: 7.5)
        var reader = try PhotoReader(model: try CodeModel.load(from: ShippedModelTests.folder))
        let reading = try reader.read(photo)
        #expect(reading.code == code && reading.readThroughBlur)
        #expect(QuadOverlap.intersectionOverUnion(try #require(reading.quad), truth) > 0.7)
        reader.blurredReader = nil
        // For time: the halved copies read nothing either, nor the last pass over few-edged candidates.
        (reader.smallestCopyLongSide, reader.readsFewEdgedCandidatesLast) = (.max, false)
        #expect(try reader.read(photo).code == nil)
    }

    /// The same kind of defocused symbol drawn three times larger (bilinear), 834 pixels a side: the
    /// photo itself gives no answer, its halved copy does, with the quad in the photo's own pixels.
    @Test func aBigPhotoIsReadThroughAHalvedCopy() throws {
        let code = try #require(EAN13Code(text: "9780345460950"))
        let (sharp, truth) = try PhotoRenderer(recipe: cleanRecipe(code, moduleWidth: 2, rotation: 0.1)).render()
        let small = Self.discBlurred(sharp, radius: 5)
        let photo = Resampler(width: 3 * small.width, height: 3 * small.height).resize(small)
        var reader = try PhotoReader(model: try CodeModel.load(from: ShippedModelTests.folder))
        // For time: no search (it finds nothing here either) and a narrower defocus reader, of one candidate.
        (reader.triesVariants, reader.cylinderFit, reader.blurredReader, reader.blurredCandidateCount) = (false, nil, Self.narrowReader(), 1)
        let reading = try reader.read(photo)
        #expect(reading.code == code && reading.copyScale < 1)
        #expect(QuadOverlap.intersectionOverUnion(try #require(reading.quad), truth.scaled(by: 3)) > 0.7)
        // Nor is it read at its own size on stretched levels, nor by the few-edged candidates' pass (which read it too).
        (reader.smallestCopyLongSide, reader.looksAtStretchedLevels, reader.readsFewEdgedCandidatesLast) = (.max, false, false)
        #expect(try reader.read(photo).code == nil)
    }

    /// A small, slightly blurred symbol (modules of 0.8 pixels, 113 pixels a side) whose localizer's
    /// lines see its two halves apart gives no answer at its own size and is read at twice it, the quad
    /// mapped back to the photo's pixels. (With the halves joined, `BarcodeLocalizer.halvesGapLimit`,
    /// it reads at its own size.)
    @Test func aSmallPhotoIsReadThroughADoubledCopy() throws {
        let code = try #require(EAN13Code(text: "9780345460950"))
        let (sharp, truth) = try PhotoRenderer(recipe: cleanRecipe(code, moduleWidth: 1.6, rotation: 0.3)).render()
        let photo = Self.discBlurred(sharp, radius: 1.5).halved()
        var reader = try PhotoReader(model: try CodeModel.load(from: ShippedModelTests.folder))
        // For time: no cylinders, and a narrow defocus reader (radii of 1 and 1.75 modules), of one candidate.
        (reader.cylinderFit, reader.blurredReader, reader.blurredCandidateCount) = (nil, Self.narrowReader(radii: [1, 1.75]), 1)
        let joined = try reader.read(photo)
        #expect(joined.code == code && joined.copyScale == 1)
        reader.localizer.halvesGapLimit = nil
        let reading = try reader.read(photo)
        #expect(reading.code == code && reading.copyScale == 2)
        #expect(QuadOverlap.intersectionOverUnion(try #require(reading.quad), truth.scaled(by: 0.5)) > 0.7)
        (reader.largestDoubledLongSide, reader.looksAtStretchedLevels, reader.readsFewEdgedCandidatesLast) = (0, false, false)
        #expect(try reader.read(photo).code == nil)
    }

    /// A real book's symbol drawn at 0.6 of its size (144 pixels a side, modules of about 0.9 pixel, its
    /// price code beside it) is read neither at its own size nor doubled, but doubled again: a doubled
    /// copy that reads nothing is doubled while small. Skipped without `../shared/real-ean13`.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: Self.realBook.path)))
    func aTinyPhotoIsReadThroughACopyDoubledTwice() throws {
        let full = try ImageFile.read(contentsOf: Self.realBook)
        let photo = Resampler(width: 144, height: 144 * full.height / full.width).resize(full)
        var reader = try PhotoReader(model: try CodeModel.load(from: ShippedModelTests.folder))
        (reader.cylinderFit, reader.blurredReader) = (nil, nil)
        let reading = try reader.read(photo)
        #expect(reading.code == EAN13Code(text: "9780441014989") && reading.copyScale == 4)
        // Doubled once only, as before (and no few-edged candidates' pass at the end).
        (reader.largestDoubledLongSide, reader.readsFewEdgedCandidatesLast) = (max(photo.width, photo.height), false)
        #expect(try reader.read(photo).code == nil)
    }

    /// `zx-ean13-4-07` of the shared real photos (`../shared` beside the package's folder).
    static let realBook = ShippedModelTests.workingFolder.deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("shared/real-ean13/Images/zx-ean13-4-07.png")

    /// A photo blurred just enough that the boosters' best reading, of the right code, falls short
    /// of an answer (0.85 after a search, with the shipped model; a little more blur and their best
    /// reading is of another code, a little less and they read it): a defocus reading of the same code
    /// is answered even below its own cut when the boosters' reading reaches `boostersAgreeingConfidence`,
    /// and not when it is under it.
    @Test func boostersAndTheDefocusReaderAgreeing() throws {
        // The window is 3.85 to 3.87 pixels since the quads squared along the bars: under it the search answers
        // the code, over it the boosters' best reading is of another code (at 3.84, 0.997).
        var (photo, reader, boosters) = try Self.readByTheBoostersAlone(blurredBy: 3.86)
        let confidence = try #require(boosters.decoded?.confidence)
        #expect(boosters.code == nil && boosters.decoded?.constrained == Self.bookCode)
        reader.blurredReader = Self.narrowReader()
        reader.blurredConfidence = 1.01
        reader.boostersAgreeingConfidence = confidence - 0.01
        let agreed = try reader.read(photo)
        #expect(agreed.code == Self.bookCode && agreed.readThroughBlur && agreed.confirmed)
        reader.boostersAgreeingConfidence = confidence + 0.01
        #expect(try reader.read(photo).code == nil)
    }

    /// A little more blur than above (a disc of 4 pixels): the boosters' best reading is of another code
    /// (0.88 after a search, with the shipped model), the defocus reader's of the right one, surely. The
    /// defocus reading is answered while the boosters' disagreeing reading is under
    /// `boostersDisagreeingConfidence`, and not when it reaches it.
    @Test func boostersAndTheDefocusReaderDisagreeing() throws {
        var (photo, reader, boosters) = try Self.readByTheBoostersAlone(blurredBy: 4)
        let confidence = try #require(boosters.decoded?.confidence)
        #expect(boosters.code == nil && boosters.decoded?.constrained != Self.bookCode)
        reader.blurredReader = Self.narrowReader()
        reader.boostersDisagreeingConfidence = confidence + 0.01
        let blurred = try reader.read(photo)
        #expect(blurred.code == Self.bookCode && blurred.readThroughBlur)
        reader.boostersDisagreeingConfidence = confidence - 0.01
        #expect(try reader.read(photo).code == nil)
    }

    static let bookCode = EAN13Code(text: "9780345460950")!

    /// `bookCode` drawn with modules of 3 pixels behind a disc of `radius` pixels, and the boosters'
    /// reading of it by a reader without the defocus reader, at the photo's own size only (no copies:
    /// its doubled copy reads it; no last looks), which is returned to be given one.
    static func readByTheBoostersAlone(blurredBy radius: Double) throws -> (Image, PhotoReader, PhotoReader.Reading) {
        let (sharp, _) = try PhotoRenderer(recipe: cleanRecipe(bookCode, moduleWidth: 3, rotation: 0.1)).render()
        let photo = discBlurred(sharp, radius: radius)
        var reader = try PhotoReader(model: try CodeModel.load(from: ShippedModelTests.folder))
        (reader.smallestCopyLongSide, reader.largestDoubledLongSide, reader.looksAtStretchedLevels) = (.max, 0, false)
        reader.readsFewEdgedCandidatesLast = false
        reader.blurredReader = nil
        return (photo, reader, try reader.read(photo))
    }

    /// `image` through a disc of `radius` pixels seen across nearly upright bars: each row convolved
    /// with the disc's line spread (a semicircle), channel by channel.
    static func discBlurred(_ image: Image, radius: Double) -> Image {
        let reach = Int(radius.rounded(.down))
        let taps = (-reach...reach).map { (dx: $0, weight: (1 - Double($0 * $0) / (radius * radius)).squareRoot()) }
        let total = taps.reduce(0) { $0 + $1.weight }
        var out = image
        for y in 0..<image.height {
            for x in 0..<image.width {
                for c in 0..<image.channels {
                    let sum = taps.reduce(0.0) { sum, tap in
                        sum + tap.weight * Double(image.pixels[image.offset(x: min(max(x + tap.dx, 0), image.width - 1), y: y) + c])
                    }
                    out.pixels[out.offset(x: x, y: y) + c] = UInt8((sum / total).rounded())
                }
            }
        }
        return out
    }
}
