/// What the camera does to the scene, in the order a phone does it: light, glare, optics (defocus,
/// shake), tone mapping, sensor noise, sharpening, compression. Each effect may be absent.
struct PhotoEffects: Sendable {
    var lighting: Lighting?
    var glare: Glare?
    var defocus: GaussianBlur?
    var motion: MotionBlur?
    var tone: ToneAdjustment?
    var noise: SensorNoise?
    var sharpening: Sharpening?
    var compression: BlockCompression?

    /// A clean camera: the scene as rendered.
    static let none = PhotoEffects()

    /// Effects drawn from the ranges documented in docs/SYNTH.md; blur is kept to a share of
    /// the module width so that most symbols stay readable.
    static func random(width: Int, height: Int, moduleWidth: Double, using random: inout SeededRandom) -> PhotoEffects {
        var effects = PhotoEffects()
        effects.lighting = Lighting.random(width: width, height: height, using: &random)
        if random.chance(0.25) { effects.glare = Glare.random(width: width, height: height, using: &random) }
        if random.chance(0.7) {
            effects.defocus = GaussianBlur(sigma: random.uniform(0.3...max(0.35, min(2.5, 0.45 * moduleWidth))))
        }
        if random.chance(0.25) {
            effects.motion = MotionBlur(length: random.uniform(1...max(1.2, min(8, 1.2 * moduleWidth))),
                                        angle: random.uniform(0...Double.pi))
        }
        effects.tone = ToneAdjustment.random(using: &random)
        effects.noise = SensorNoise.random(using: &random)
        if random.chance(0.4) {
            effects.sharpening = Sharpening(amount: Float(random.uniform(0.3...1.2)), sigma: random.uniform(0.8...2))
        }
        if random.chance(0.85) { effects.compression = BlockCompression.random(using: &random) }
        return effects
    }

    func apply(to planes: inout ColourPlanes) {
        lighting?.apply(to: &planes)
        glare?.apply(to: &planes)
        defocus?.apply(to: &planes)
        motion?.apply(to: &planes)
        tone?.apply(to: &planes)
        noise?.apply(to: &planes)
        sharpening?.apply(to: &planes)
        compression?.apply(to: &planes)
    }
}
