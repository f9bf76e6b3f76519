/// Reads a photo that comes without a quad. The localizer's candidates are read best first, each once
/// (the extractor's orientation check picks the reading direction), but for those whose bars blur has
/// merged (`minimumReadableEdges`), which are not read at all; a candidate that does not read
/// surely is read again through other quads around it (`QuadVariants`: edges refitted to the symbol's
/// fixed modules, turned by ±4 % and ±6 % about the vertical axis, the parallelograms through three
/// of its corners, its upper and lower parts, the quad doubled towards either side when it held half
/// a symbol), then as a label wrapped round the cylinders that fit it best (`cylinderFit`), the
/// candidate's quad as it is and with its ends refitted for each cylinder. A sure
/// first reading answers at once. After it, a reading must reach `searchConfidence` to end the search
/// and to be answered, or be confirmed by a second reading of another quad (`agreementConfidence`):
/// the best of many readings of a hard photo is more often confidently wrong than one reading is (on
/// the synthetic Test split, 0.99 is the lowest cut at which no such answer was wrong). A confirmed
/// candidate is still read round its cylinders, where a sure reading of another code answers instead.
/// A photo the boosters give no answer for is read once more as a defocused symbol, its bars merged
/// (`blurredReader`): the profile across its first candidates fitted by what each code would look like
/// through the blur. A photo still unanswered is read the same way at two thirds of its size, halved,
/// and halved again (`smallestCopyLongSide`), and a small one at twice its size, and twice that while
/// small (`largestDoubledLongSide`); one that none of them answers is looked for once more on its
/// levels stretched to the same local contrast everywhere (`looksAtStretchedLevels`), and last its
/// candidates whose lines crossed too few edges for the first search are read (`readsFewEdgedCandidatesLast`).
///
/// `Sendable`: everything it holds is an immutable value (the model's flat forests among them), so
/// threads reading photos in parallel share one reader.
public struct PhotoReader: Sendable {
    public let forests: DigitForests
    public let extractor: FeatureExtractor
    public var localizer = BarcodeLocalizer()
    public var policy: AnswerPolicy
    /// A first reading at least this confident ends the search.
    public var sureConfidence = 0.9
    /// Read the variants of a candidate that does not read surely.
    public var triesVariants = true
    /// Read the top candidate with the quick guard search first (`FeatureExtractor.features(of:quad:quickAlignment:)`).
    public var looksQuicklyFirst = true
    /// The confidence an answer needs when the first reading was not sure (the policy's minimum
    /// confidence applies too).
    public var searchConfidence = 0.99
    /// A photo that gives no answer is read again at two thirds of its size (bilinear), then halved
    /// (each 2 × 2 block of pixels averaged), and halved again, while the copy's long side stays at
    /// least this (`Int.max`: never). On the real photos redrawn (seven sets, 2026-12-04's), the
    /// copies at two thirds read 4 more, none wrong (docs/RESULTS.md). The localizer's
    /// and the readers' steps and windows are in pixels and suit modules of one to a few pixels; in a
    /// smaller copy a big photo's soft edges turn sharp, and the localizer finds some defocused symbols
    /// it missed. On the 158 real photos drawn 2× larger (bicubic), the copies read 14 of the 25 the
    /// photos themselves leave unread right; on the photos as they are, 5 of 18 (two defocused books
    /// of 240 pixels a side among them, read at 120), and answer a sixth with the other symbol it
    /// shows (docs/DETECT.md, "Other sizes").
    public var smallestCopyLongSide = 100
    /// A photo no smaller copy answers either, whose long side is at most this, is read once more at
    /// twice its size (bilinear; 0: never), and a doubled copy that answers nothing is doubled again
    /// while its own long side is at most this: the localizer's lines across find the edges of modules
    /// under a pixel wide better between interpolated pixels. On the real photos drawn at 0.6 of
    /// their size, the doubled copies read 5 of the 24 the halved ones left unread, and the copies
    /// doubled again 3 more (books of 144 pixels a side, read at 4× and 8×).
    public var largestDoubledLongSide = 640
    /// A photo that neither it nor any copy answers is looked at once more: its candidates found on
    /// its levels stretched to the same local contrast everywhere (`stretchedLookWindow`), read on the
    /// photo itself, answered as a copy's are (at `sureConfidence` at least). A faint or glare-washed
    /// symbol beside strong texture (a dark box, wavy print) seeds no region of its own on the levels
    /// as they are: the localizer's thresholds are shares of the strongest region's.
    public var looksAtStretchedLevels = true
    /// A photo still unanswered has its candidates that `minimumReadableEdges` kept from the boosters
    /// read by them at last, answered at `sureConfidence` at least: a faint, low-contrast symbol under
    /// motion blur or JPEG blocks crosses few edges on the localizer's lines yet reads through its quad.
    public var readsFewEdgedCandidatesLast = true
    /// Chooses the cylinders a candidate that does not read surely is read round, its modules spaced as
    /// a can's or a bottle's label shows them (`CylinderBend`), after the other quads (nil: never):
    /// first round the candidate's own quad (`bends`), then with the quad's ends refitted for each
    /// cylinder (`bentQuads`; the localizer often ends a strongly bent label's quad past the symbol or
    /// short of it). On the synthetic Test split the refitted ends read 7 more photos end to end, none
    /// wrong.
    var cylinderFit: CylinderFit? = CylinderFit()
    /// A reading round a fitted cylinder counts only at this confidence or more. The fit shapes the
    /// module grid more freely than any quad does, and so can line a misplaced candidate's bars up
    /// with a wrong code: on the synthetic Test split one flat symbol whose candidate missed its end
    /// read wrong at 0.9915 round a fitted cylinder; with checked quads, 70 of the 73 bent labels
    /// that a fitted cylinder reads at 0.99 read at 0.998 or more.
    public var bentConfidence = 0.998
    /// A candidate whose lines across find fewer edges than this (a whole EAN-13 symbol has 60) is
    /// not read by the boosters (only by `blurredReader`, and by them in the last pass, `readsFewEdgedCandidatesLast`): blur has merged at least half of its bars, which no quad separates again. On the
    /// synthetic Test split no photo whose top candidate had fewer than 40 edges was read, at once or
    /// after a search; on the real photos, heavily defocused books give 16 to 22, and searching each
    /// cost 13 strips for nothing.
    public var minimumReadableEdges = 30
    /// After the first reading, a code that two readings of different quads give, each at least this
    /// confident, is answered (and ends the search) even below `searchConfidence`, when no reading is
    /// more confident of another code: two readings seldom agree on the same wrong code. Measured
    /// with the default model: at 0.7, 3 to 8 more right answers on each of the synthetic Test split,
    /// another 1 000 synthetic photos (seed 7) and the 5 000 Train photos, none wrong; at 0.5 one
    /// Train photo was answered wrong (two readings at 0.53).
    public var agreementConfidence = 0.7
    /// Reads the first `blurredCandidateCount` candidates of a photo the boosters gave no answer for
    /// as defocused symbols (nil: never); such a reading is answered from `blurredConfidence`. On the
    /// synthetic Test split (1 000 photos, the shipped model; 250 the boosters left unread were read
    /// this way) the most confident wrong blurred reading was 0.9982, and every cut from 0.999 to
    /// 0.9998 answers the same 44 right ones (0.9999: 42): the highest of them kept a ninefold margin
    /// in 1 − confidence. The bulges (`BlurredStripReader.bulges`: labels round a can) fit wrong codes
    /// better too: end to end on the Test split two wrong blurred readings reached 0.99982 and 0.99988
    /// at that cut (860 right, 8 wrong); at 0.9999, 859 right, 6 wrong, against 854 / 6 without the
    /// bulges (docs/RESULTS.md, 2026-12-06). The margin is thin now.
    public var blurredReader: BlurredStripReader? = BlurredStripReader()
    public var blurredCandidateCount = 2
    public var blurredConfidence = BlurredStripReader.answeredAloneFrom
    /// The cut of a defocus reading alone whose best fit is of a label trimmed near its guards
    /// (`BlurredStripReader.labelEdges`): two more free levels make its posterior surer than it is.
    public var trimmedConfidence = 0.99999
    /// The cut of a defocus reading alone whose levels were fitted uneven (`BlurredStripReader.unevenLevelsBelow`).
    public var unevenLevelsConfidence = 0.999999
    /// A blurred reading short of `blurredConfidence` but at `searchConfidence` or more is answered
    /// when the boosters' own best reading of the photo gave the same code at this confidence or more:
    /// readers of two kinds (trees on the strip's features, a fit of the blurred profile) seldom make
    /// the same mistake. On the synthetic Test split 10 photos the boosters left unanswered were read
    /// alike by both, all right; 6 of them with the boosters at 0.5 or more and the defocus reader at
    /// 0.99 or more, one of those (0.993) below `blurredConfidence`.
    public var boostersAgreeingConfidence = 0.5
    /// A blurred reading is not answered when the boosters' best reading of the photo so far (at any
    /// size) gave another code at this confidence or more: two readers of different kinds, each fairly
    /// sure and disagreeing, leave the code in doubt; the photo goes on to its next copy. On 279
    /// synthetic calibration photos that reach the defocus reader end to end, and on the real photos
    /// blurred (Gaussian σ 1.5 px), the two defocus readings answered against boosters at 0.8 or more
    /// (0.99998 and 1.0) were both wrong and the boosters (0.90, 0.98) right; under 0.8 the boosters
    /// were mostly the wrong ones (docs/DETECT.md).
    public var boostersDisagreeingConfidence = 0.9

    /// What a photo gave: the quad and decoding of the best reading, and the answer (nil below the
    /// minimum confidence, and then no quad either).
    public struct Reading: Sendable {
        public var quad: Quad?
        public var decoded: DecodedCode?
        public var code: EAN13Code?
        /// The best reading is of the localizer's `candidate`-th candidate (0 = its first).
        public var candidate: Int?
        /// Where that candidate's symbol is, in the best reading's direction: the localizer's quad, or
        /// the refitted one (`QuadVariants.refitted`: its edges put where the symbol's fixed modules fit)
        /// when the best reading came through it. (`quad` may be any quad around the candidate.)
        public var candidateQuad: Quad?
        /// The best reading runs the other way round from the localizer's guess.
        public var turned = false
        /// Strips read with the model.
        public var stripsRead = 0
        /// Two readings of different quads gave its code (`agreementConfidence`), or the boosters and
        /// the defocus reader did (`boostersAgreeingConfidence`).
        public var confirmed = false
        /// The code was read by `blurredReader`, not by the boosters.
        public var readThroughBlur = false
        /// The size of the copy the reading came from, against the photo's: 1 (the photo), ½, ¼ …
        /// (`smallestCopyLongSide`) or 2 (`largestDoubledLongSide`). Its quads are in the photo's own
        /// pixels; its `candidate` counts in the copy's candidates.
        public var copyScale = 1.0
        /// The reading came from the last look, at candidates found on the photo's stretched levels
        /// (`looksAtStretchedLevels`); its `candidate` counts in those.
        public var readOnStretchedLevels = false
        /// The reading came from the last pass over the candidates whose lines crossed fewer than
        /// `minimumReadableEdges` edges (`readsFewEdgedCandidatesLast`).
        public var readFromFewEdgedCandidate = false
    }

    public init(forests: DigitForests, policy: AnswerPolicy = AnswerPolicy()) throws {
        self.forests = forests
        self.extractor = try FeatureExtractor(config: forests.manifest.features)
        self.policy = policy
    }

    public init(model: CodeModel, policy: AnswerPolicy = AnswerPolicy()) throws {
        try self.init(forests: model.forests, policy: policy)
    }

    public func read(_ image: Image) throws -> Reading {
        try read(image, plane: GreyPlane(image))
    }

    /// `read(_:)`, given the photo's grey plane (`readAll` measures it too).
    private func read(_ image: Image, plane: GreyPlane) throws -> Reading {
        var (copy, scale, strips) = (image, 1.0, 0)
        // The photo's own reading, given when no copy answers either.
        var unanswered: Reading?
        // The boosters' most confident reading of the photo at any size so far (`boostersDisagreeingConfidence`).
        var boosters: DecodedCode?
        while true {
            // Refined only as far as they are read: a photo answered by its top candidate seldom needs the others.
            // The doubled copy is made for its pixels: no coarser looks that would give them back.
            var copyLocalizer = localizer
            if scale > 1 { copyLocalizer.coarserLookWidth = nil }
            let candidates = copyLocalizer.candidateList(in: scale == 1 ? plane : GreyPlane(copy))
            var reading = try read(copy, candidates: candidates, boostersElsewhere: boosters).scaled(by: 1 / scale)
            if !reading.readThroughBlur { boosters = Self.moreConfident(boosters, reading.decoded) }
            reading.copyScale = scale
            strips += reading.stripsRead
            // A copy is read after the photo's own search has failed: its answer must be as confident
            // as a sure first reading. (On the synthetic Test split, two readings of a halved copy
            // agreeing at 0.83 gave the one wrong answer the halved copies added.)
            if scale != 1, (reading.decoded?.confidence ?? 0) < sureConfidence { (reading.code, reading.quad) = (nil, nil) }
            // At two thirds, then halved while long enough (the photo, then its halves), then doubled while
            // small (the photo, then its doubled copies).
            let next: (Image, Double)?
            let (halving, halvingScale) = scale == 2.0 / 3 ? (image, 1.0) : (copy, scale)
            let doubling = scale > 1 ? copy : image
            if reading.code != nil { next = nil }
            else if scale == 1, max(image.width, image.height) * 2 / 3 >= smallestCopyLongSide {
                next = (Resampler(width: image.width * 2 / 3, height: image.height * 2 / 3).resize(image), 2.0 / 3)
            }
            else if scale < 1, max(halving.width, halving.height) / 2 >= smallestCopyLongSide { next = (halving.halved(), halvingScale / 2) }
            else if max(doubling.width, doubling.height) <= largestDoubledLongSide { next = (doubling.doubled(), max(scale, 1) * 2) }
            else { next = nil }
            guard let next else {
                var given = reading.code != nil ? reading : unanswered ?? reading
                // A last look's reading is answered as a copy's is, at `sureConfidence` at least.
                func lastLook(marking flag: WritableKeyPath<Reading, Bool>, _ look: () throws -> Reading) rethrows {
                    var last = try look()
                    strips += last.stripsRead
                    if (last.decoded?.confidence ?? 0) < sureConfidence { (last.code, last.quad) = (nil, nil) }
                    last[keyPath: flag] = true
                    if last.code != nil { given = last }
                }
                if given.code == nil, let window = stretchedLookWindow(plane) {
                    // Looked for on the stretched levels, read on the photo's own.
                    try lastLook(marking: \.readOnStretchedLevels) {
                        try read(image, candidates: localizer.candidateList(in: plane.contrastStretched(window: window)), plane: plane,
                                 boostersElsewhere: boosters)
                    }
                }
                if given.code == nil, readsFewEdgedCandidatesLast {
                    try lastLook(marking: \.readFromFewEdgedCandidate) { try readFewEdgedCandidates(of: image, plane: plane) }
                }
                given.stripsRead = strips
                return given
            }
            unanswered = unanswered ?? reading
            (copy, scale) = next
        }
    }

    /// Reads a photo whose symbol's quad is known (a checked quad from a markup file) as the localizer's
    /// only candidate would be read: through the exhaustive guard search, however few edges its lines
    /// cross (a person put it there), then, unless sure, through the quads around it and round the
    /// cylinders, and as a defocused symbol when the boosters answer nothing (its label perhaps trimmed
    /// near its guards, `BlurredStripReader.trimmedLabelEdges`, or its levels uneven under a soft
    /// highlight, `BlurredStripReader.unevenLevelsBelow`).
    public func read(_ image: Image, knownQuad quad: Quad) throws -> Reading {
        var reader = self
        reader.looksQuicklyFirst = false
        reader.minimumReadableEdges = 0
        reader.blurredReader = reader.blurredReader?.throughKnownQuad
        let known = BarcodeCandidate(quad: quad, score: 1, region: OrientedRectangle(approximating: quad))
        return try reader.read(image) { $0 == 0 ? known : nil }
    }

    /// Every symbol the photo reads to an answer, and `read`'s answer beside them. Each of the localizer's
    /// candidates (as many as it has regions, not only `localizer.maximumCandidates`) that no symbol read
    /// already covers is read on its own, as `read` reads a photo with that one candidate: a second symbol's
    /// first reading is its own, and its search ends at its own sure reading.
    public func readAll(_ image: Image) throws -> AllReadings {
        let plane = GreyPlane(image)
        let answer = try read(image, plane: plane)
        var symbols = SymbolReadings()
        symbols.add(answer)
        var everyRegion = localizer
        everyRegion.maximumCandidates = max(localizer.maximumCandidates, localizer.maximumRegions)
        var candidates = everyRegion.candidateList(in: plane)
        var index = 0
        while let candidate = candidates.candidate(index) {
            defer { index += 1 }
            guard !symbols.covers(candidate.quad) else { continue }
            var reading = try read(image, plane: plane) { $0 == 0 ? candidate : nil }
            reading.candidate = reading.candidate.map { _ in index }
            symbols.add(reading)
        }
        return AllReadings(answer: answer, symbols: symbols.mostConfidentFirst)
    }

    /// What `readAll` gives.
    public struct AllReadings: Sendable {
        /// What `read` gives.
        public var answer: Reading
        /// One answered reading (code and quad) per symbol, the most confident first; `answer` among them
        /// when it has a code. A reading's `candidate` counts in the longer list `readAll` reads.
        public var symbols: [Reading]
    }

    /// Reads `image` from candidates its localizer has listed already (refined or not); `plane`: the
    /// grey plane the quads are read on beside the boosters' strips (squared along the bars, fitted as
    /// defocused), when not the one the candidates were found on; `boostersElsewhere`: the boosters'
    /// best reading of the photo at other sizes (`boostersDisagreeingConfidence`).
    func read(_ image: Image, candidates: CandidateList, plane: GreyPlane? = nil, boostersElsewhere: DecodedCode? = nil) throws -> Reading {
        var candidates = candidates
        return try read(image, plane: plane ?? candidates.plane, boostersElsewhere: boostersElsewhere) { candidates.candidate($0) }
    }

    /// The window of `GreyPlane.contrastStretched` for a last look at a photo nothing else answered:
    /// a 20th of its long side, 31 pixels at least (nil: never looked at so).
    func stretchedLookWindow(_ plane: GreyPlane) -> Int? {
        guard looksAtStretchedLevels else { return nil }
        return max(31, 2 * (max(plane.width, plane.height) / 40) + 1)
    }

    /// Reads the photo's candidates that `minimumReadableEdges` kept from the boosters, each as any
    /// other candidate is read (not as a defocused symbol: the first ones were read so already).
    private func readFewEdgedCandidates(of image: Image, plane: GreyPlane) throws -> Reading {
        var candidates = localizer.candidateList(in: plane)
        var fewEdged: [Int] = []
        var index = 0
        while let candidate = candidates.candidate(index) {
            if candidate.edgeCount < minimumReadableEdges { fewEdged.append(index) }
            index += 1
        }
        guard !fewEdged.isEmpty else { return Reading() }
        var reader = self
        (reader.minimumReadableEdges, reader.blurredReader) = (0, nil)
        var reading = try reader.read(image, plane: plane) { $0 < fewEdged.count ? candidates.candidate(fewEdged[$0]) : nil }
        reading.candidate = reading.candidate.map { fewEdged[$0] }
        return reading
    }

    /// Reads `image` from the candidates `candidateAt(i)` gives (the i-th best; nil after the last).
    /// `plane`: the photo's grey plane when the caller has it (else made when first needed);
    /// `boostersElsewhere`: the boosters' best reading of the photo at other sizes.
    private func read(_ image: Image, plane knownPlane: GreyPlane? = nil, boostersElsewhere: DecodedCode? = nil,
                      candidateAt: (Int) -> BarcodeCandidate?) throws -> Reading {
        // A first look at the top candidate through the quick grid search (a fifth of the exhaustive
        // one's time): a reading as confident as a search's answer must be is the answer; any other is
        // set aside, and the candidates are read as if it had not happened. (Its features are not quite
        // the models' own: at the sure cut, 0.9, a synthetic Test photo was answered wrong.)
        var glance = Reading()
        if looksQuicklyFirst, let top = candidateAt(0), top.edgeCount >= minimumReadableEdges {
            try read(top.quad, of: image, candidate: (0, top), quickAlignment: true, into: &glance)
            if let decoded = glance.decoded, decoded.confidence >= max(sureConfidence, searchConfidence) {
                return answered(glance)
            }
        }
        var best = Reading()
        // How many readings gave each code at `agreementConfidence` or more (the first look, of the same
        // quad as the first of these, does not count).
        var votes: [EAN13Code: Int] = [:]
        var quadsRead: [Quad] = []
        /// Reads `quad` (round a cylinder when `bend` is not flat); true when the search is over.
        func readingEnds(_ quad: Quad, _ candidate: (Int, BarcodeCandidate), bend: CylinderBend = .flat, votes voting: Bool = true) throws -> Bool {
            // A quad read already (a parallelogram's own parallelograms are itself) is not read, nor counted, again.
            if bend == .flat {
                guard !quadsRead.contains(where: { DetectionEvaluation.cornerDistance($0, quad) < 1 }) else { return false }
                quadsRead.append(quad)
            }
            // Readings round cylinders do not vote: those of one quad are too alike to confirm each other.
            if let decoded = try read(quad, of: image, candidate: candidate, bend: bend,
                                      keepingFrom: bend == .flat ? 0 : bentConfidence, into: &best),
               bend == .flat, voting, decoded.confidence >= agreementConfidence {
                votes[decoded.constrained, default: 0] += 1
                if votes[decoded.constrained]! >= 2, best.decoded?.constrained == decoded.constrained { best.confirmed = true }
            }
            return isDone(best)
        }
        /// Reads the candidate round the cylinders that fit it, its own quad and then the ends refitted for
        /// each bend; true when the search is over. A candidate read round them already is not read again
        /// (the same readings: an agreement may be checked on a candidate the search has passed).
        var cylindersRead: Set<Int> = []
        func readingEndsRoundCylinders(_ index: Int, _ candidate: BarcodeCandidate, _ variants: QuadVariants) throws -> Bool {
            guard cylindersRead.insert(index).inserted else { return false }
            for bend in cylinderFit?.bends(in: image, quad: candidate.quad) ?? []
            where try readingEnds(candidate.quad, (index, candidate), bend: bend) { return true }
            for (quad, bend) in cylinderFit?.bentQuads(variants, in: image) ?? []
            where try readingEnds(quad, (index, candidate), bend: bend) { return true }
            return false
        }
        // The photo's grey plane, made the first time a bar-aligned quad or the defocus reader needs it.
        var grey = knownPlane
        func greyPlane() -> GreyPlane {
            if let grey { return grey }
            let made = GreyPlane(image)
            grey = made
            return made
        }
        var index = 0
        search: while let candidate = candidateAt(index) {
            defer { index += 1 }
            guard candidate.edgeCount >= minimumReadableEdges else { continue }
            if try readingEnds(candidate.quad, (index, candidate)) { break }
            guard triesVariants, let variants = QuadVariants(candidate.quad) else { continue }
            if let refit = variants.refitted(in: image) {
                var refitted = candidate
                refitted.quad = refit
                if try readingEnds(refit, (index, refitted)) { break search }
            }
            let others = [0.04, -0.04].map(variants.yawed)
                + variants.parallelograms + [0.06, -0.06].map(variants.yawed)
                + [variants.part(u: 0...1, v: 0...0.55), variants.part(u: 0...1, v: 0.45...1)]
            for quad in others where try readingEnds(quad, (index, candidate)) { break search }
            // Nor does the quad squared along the bars: refitted, it is often all but the refitted quad read above
            // (on the synthetic Test split the two agreed on a wrong code at 0.73 through an exact quad).
            if let aligned = variants.barAligned(in: image, plane: greyPlane()),
               try readingEnds(aligned, (index, candidate), votes: false) { break search }
            // Refitted (the wide profile sampled) only when the quads above have not answered.
            for quad in variants.wholesFromHalf(in: image) where try readingEnds(quad, (index, candidate)) { break search }
            if try readingEndsRoundCylinders(index, candidate, variants) { break search }
        }
        // Two flat readings agreeing below `searchConfidence` end the search before the cylinders are
        // tried, yet a bent label's squeezed end misreads alike through every flat quad: the agreed
        // candidate is read round its cylinders too, and a sure reading there of another code answers.
        if triesVariants, best.confirmed, let agreed = best.decoded?.constrained, (best.decoded?.confidence ?? 0) < searchConfidence,
           let index = best.candidate, let candidate = candidateAt(index), let variants = QuadVariants(candidate.quad) {
            best.confirmed = false
            _ = try readingEndsRoundCylinders(index, candidate, variants)
            if best.decoded?.constrained == agreed { best.confirmed = true }
        }
        var reading = answered(best)
        reading.stripsRead += glance.stripsRead
        if reading.code == nil, let blurred = blurredReading(of: greyPlane(), candidateAt: candidateAt, boosters: best.decoded,
                                                             boostersElsewhere: boostersElsewhere) {
            return blurred
        }
        return reading
    }

    /// The most confident reading of the first `blurredCandidateCount` candidates through
    /// `blurredReader`, when one reaches `blurredConfidence`, or `searchConfidence` and the `boosters`'
    /// best reading agrees (`boostersAgreeingConfidence`); none when the boosters' best reading of the
    /// photo at any size (`boosters`, or `boostersElsewhere` at other sizes) gave another code surely
    /// enough (`boostersDisagreeingConfidence`).
    private func blurredReading(of plane: GreyPlane, candidateAt: (Int) -> BarcodeCandidate?, boosters: DecodedCode?,
                                boostersElsewhere: DecodedCode?) -> Reading? {
        guard let blurredReader else { return nil }
        var best: (index: Int, candidate: BarcodeCandidate, reading: BlurredStripReader.Reading)?
        for index in 0..<blurredCandidateCount {
            guard let candidate = candidateAt(index) else { break }
            guard let reading = blurredReader.read(plane, around: candidate.quad) else { continue }
            if let top = best, top.reading.confidence >= reading.confidence { continue }
            best = (index, candidate, reading)
        }
        guard let best else { return nil }
        let confirmed = boosters.map { $0.constrained == best.reading.code && $0.confidence >= boostersAgreeingConfidence } ?? false
        let cut = best.reading.unevenLevels ? unevenLevelsConfidence : best.reading.trimmed ? trimmedConfidence : blurredConfidence
        guard best.reading.confidence >= cut || (confirmed && best.reading.confidence >= searchConfidence) else { return nil }
        if let sure = Self.moreConfident(boosters, boostersElsewhere), sure.constrained != best.reading.code, sure.confidence >= boostersDisagreeingConfidence { return nil }
        let decoded = DecodedCode(raw: best.reading.code, constrained: best.reading.code, confidence: best.reading.confidence)
        return Reading(quad: best.reading.quad, decoded: decoded, code: policy.answer(for: decoded), candidate: best.index,
                       candidateQuad: best.candidate.quad, confirmed: confirmed, readThroughBlur: true)
    }

    /// The more confident of two readings (`first` when they are as confident), either when the other is nil.
    private static func moreConfident(_ first: DecodedCode?, _ second: DecodedCode?) -> DecodedCode? {
        guard let first else { return second }
        guard let second else { return first }
        return second.confidence > first.confidence ? second : first
    }

    /// The reading with its code, or without a quad when it may not be answered.
    private func answered(_ reading: Reading) -> Reading {
        var reading = reading
        guard let decoded = reading.decoded, let code = policy.answer(for: decoded),
              reading.stripsRead == 1 || decoded.confidence >= searchConfidence || reading.confirmed else {
            reading.quad = nil
            return reading
        }
        reading.code = code
        return reading
    }

    /// A first reading ends the search when it is sure; a later one only when it is also confident
    /// enough to be answered after a search, or confirmed by another.
    private func isDone(_ reading: Reading) -> Bool {
        let needed = reading.stripsRead <= 1 ? sureConfidence : max(sureConfidence, searchConfidence)
        return (reading.decoded?.confidence ?? 0) >= needed || reading.confirmed
    }

    /// Reads `quad` and keeps the reading in `best` when it is more confident, and at least `floor`;
    /// returns the reading.
    @discardableResult
    private func read(_ quad: Quad, of image: Image, candidate: (index: Int, found: BarcodeCandidate),
                      bend: CylinderBend = .flat, quickAlignment: Bool = false, keepingFrom floor: Double = 0,
                      into best: inout Reading) throws -> DecodedCode? {
        guard let features = try? extractor.features(of: image, quad: quad, bend: bend, quickAlignment: quickAlignment) else { return nil }
        best.stripsRead += 1
        let matrix = FeatureMatrix(columnCount: extractor.config.featureCount, values: features.values)
        let decoded = ChecksumDecoder.decode(try forests.predictCodes(matrix)[0].probabilities)
        guard decoded.confidence > best.decoded?.confidence ?? -1, decoded.confidence >= floor else { return decoded }
        // The extractor's orientation check may have read the strip the other way round.
        (best.quad, best.decoded, best.candidate, best.turned) =
            (features.flipped ? quad.rotatedHalfTurn : quad, decoded, candidate.index, features.flipped)
        best.candidateQuad = features.flipped ? candidate.found.flipped : candidate.found.quad
        return decoded
    }
}
