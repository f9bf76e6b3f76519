/// What the camera does to the scene, in the order a phone does it: light, glare, optics (defocus,
/// shake), tone mapping, sensor noise, sharpening, then JPEG compression of the 8-bit picture. Each
/// effect may be absent.
struct PhotoEffects: Sendable {
    var lighting: Lighting?
    /// Highlights: a lamp's patch, and the thin streaks of plastic wrap.
    var glare: [Glare] = []
    /// The usual defocus and soft focus.
    var defocus: GaussianBlur?
    /// Heavy defocus: a lens's disc, in place of `defocus`.
    var lensDefocus: DiscBlur?
    var motion: MotionBlur?
    var tone: ToneAdjustment?
    var noise: SensorNoise?
    var sharpening: Sharpening?
    /// JPEG quality (1...100) the picture is saved at, through TurboJPEG; nil: not compressed.
    var jpegQuality: Int?

    /// A clean camera: the scene as rendered.
    static let none = PhotoEffects()
    /// The usual defocus's cap in modules, where soft focus starts.
    static let usualDefocusModules = 0.45

    /// Effects drawn from the ranges documented in docs/SYNTH.md. Blur is kept to a share of the
    /// module width so that most symbols stay readable, but for the hard cases: a lens's blur disc of
    /// up to 3 modules' radius and shake of up to 4, wrap streaks, dark exposures and strong
    /// compression. `lensDefocusShare` of the pictures the hard cases leave without the disc get it
    /// all the same, and `softFocusShare` of the rest defocus of 0.45 to 1 module (all in `settings`).
    static func random(width: Int, height: Int, moduleWidth: Double, settings: SynthSettings,
                       using random: inout SeededRandom) -> PhotoEffects {
        let (hardCases, softFocusShare, lensDefocusShare) = (settings.hardCases, settings.softFocusShare, settings.lensDefocusShare)
        var effects = PhotoEffects()
        effects.lighting = Lighting.random(width: width, height: height, using: &random)
        if random.chance(0.25) { effects.glare.append(Glare.random(width: width, height: height, using: &random)) }
        if hardCases && random.chance(0.12) {
            effects.glare += (0..<random.integer(in: 2...6)).map { _ in Glare.wrapStreak(width: width, height: height, using: &random) }
        }
        if (hardCases && random.chance(0.15)) || (lensDefocusShare > 0 && random.chance(lensDefocusShare)) {
            effects.lensDefocus = DiscBlur(radius: moduleWidth * random.logUniform(1...3))
        } else if softFocusShare > 0 && random.chance(softFocusShare) {
            effects.defocus = GaussianBlur(sigma: moduleWidth * random.uniform(usualDefocusModules...1.0))
        } else if random.chance(0.7) {
            effects.defocus = GaussianBlur(sigma: random.uniform(0.3...max(0.35, min(2.5, usualDefocusModules * moduleWidth))))
        }
        if hardCases && random.chance(0.08) {
            effects.motion = MotionBlur(length: moduleWidth * random.uniform(1.5...4), angle: random.uniform(0...Double.pi))
        } else if random.chance(0.25) {
            effects.motion = MotionBlur(length: random.uniform(1...max(1.2, min(8, 1.2 * moduleWidth))),
                                        angle: random.uniform(0...Double.pi))
        }
        effects.tone = ToneAdjustment.random(using: &random)
        if hardCases && random.chance(0.1) { effects.tone?.exposure = Float(random.uniform(0.25...0.5)) }
        effects.noise = SensorNoise.random(using: &random)
        if random.chance(0.4) {
            effects.sharpening = Sharpening(amount: Float(random.uniform(0.3...1.2)), sigma: random.uniform(0.8...2))
        }
        if hardCases && random.chance(0.15) {
            effects.jpegQuality = random.integer(in: 5...25)
        } else if random.chance(0.85) {
            effects.jpegQuality = random.integer(in: 15...92)
        }
        effects.leaveOut(settings.withoutEffects)
        return effects
    }

    /// Drops `effects`; called after the draws, so that every other choice stays as it was.
    mutating func leaveOut(_ effects: [CameraEffect]) {
        for effect in effects {
            switch effect {
            case .lighting: lighting = nil
            case .shadow: lighting?.shadow = nil
            case .glare: glare = []
            case .defocus: (defocus, lensDefocus) = (nil, nil)
            case .motion: motion = nil
            case .tone: tone = nil
            case .noise: noise = nil
            case .sharpening: sharpening = nil
            case .jpeg: jpegQuality = nil
            }
        }
    }

    /// Everything but the compression, which works on the 8-bit picture (`compress`).
    func apply(to planes: inout ColourPlanes) {
        lighting?.apply(to: &planes)
        for highlight in glare { highlight.apply(to: &planes) }
        defocus?.apply(to: &planes)
        lensDefocus?.apply(to: &planes)
        motion?.apply(to: &planes)
        tone?.apply(to: &planes)
        noise?.apply(to: &planes)
        sharpening?.apply(to: &planes)
    }

    /// The picture as a phone saves it: through a real JPEG encoder and decoder at `jpegQuality`.
    func compress(_ picture: Image) throws -> Image {
        guard let jpegQuality else { return picture }
        return try JPEGCodec.decode(try JPEGCodec.encode(picture, quality: jpegQuality))
    }
}
