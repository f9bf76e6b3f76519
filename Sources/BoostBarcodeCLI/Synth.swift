import ArgumentParser
import BoostBarcode
import Foundation

extension BoostBarcodeCommand {
    struct Synth: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "synth",
            abstract: "Generate a synthetic dataset of EAN-13 photos in the course layout.",
            discussion: """
                Writes OUT/Train/Images/*.png, OUT/Train/markup.csv, OUT/Test/Images/*.png and \
                OUT/Test/markup.csv (UTF-16 with BOM). Each picture is a label with a valid EAN-13 \
                symbol on a cluttered background, photographed with random rotation, tilt, blur, noise, \
                uneven light, glare and compression (docs/SYNTH.md lists every effect and its range). The \
                quads are the exact bars regions, top-left, top-right, bottom-right, bottom-left as read. \
                Beside each markup.csv, factors.csv lists each picture's difficulty factors (module \
                width, blur, tilt, rotation, contrast, size) for 'report', and OUT/synth.json records \
                the seed, counts, jitter and settings the dataset was drawn with. The same seed gives the \
                same bytes; the dataset appears only when complete. --factors-only writes just the two \
                factors.csv files into an existing dataset, drawn as its synth.json records (a dataset without \
                one needs the same --train, --test, --seed, --hard-cases, --soft-focus, --lens-defocus, \
                --companies and --without it was made with).
                """
        )

        @Option(help: "Dataset folder to create.") var out: String
        @Option(help: "Number of training pictures.") var train = 5000
        @Option(help: "Number of test pictures.") var test = 1000
        @Option(help: "Master seed: pictures, codes and jitter all follow from it.") var seed: UInt64 = 0
        @Option(help: ArgumentHelp(
            "Move each Test quad corner at random by up to this fraction of the quad's width (along the reading direction) and of its height (across), to mimic a detector's error.",
            valueName: "fraction"))
        var jitter = 0.0
        @Option(help: ArgumentHelp("The same for the Train quads.", valueName: "fraction")) var trainJitter = 0.0
        @Option(help: ArgumentHelp("Also write a contact sheet of the first 16 Train pictures with their quads drawn, then one example of each hard case (listed on stderr).",
                                   valueName: "file.png"))
        var preview: String?
        @Flag(inversion: .prefixedNo, help: ArgumentHelp(
            "The hard cases real photos show (bent labels, heavy defocus and shake, wrap glare, modules of a pixel or less, strong JPEG, print defects, trimmed labels, a second symbol, dark exposures; docs/SYNTH.md). --no-hard-cases: the first generator's world, which the shipped model is trained on."))
        var hardCases = SynthSettings().hardCases
        @Option(help: ArgumentHelp(
            "Defocus this share of the pictures the hard cases leave without heavy defocus by 0.45 to 1 module (sigma), past the ordinary blur's cap of 0.45 module: a phone held close (the shipped model's world takes 0.2).",
            valueName: "share"))
        var softFocus = SynthSettings().softFocusShare
        @Option(help: ArgumentHelp(
            "Defocus this share of the pictures the hard cases leave without heavy defocus as heavily: a lens's blur disc of 1 to 3 modules' radius, as on the real defocused books.",
            valueName: "share"))
        var lensDefocus = SynthSettings().lensDefocusShare
        @Option(help: ArgumentHelp(
            "Manufacturers per country prefix that the codes are drawn from, the first ones most often (a shop's shelves), or 'any': a new manufacturer for every code, so that a model trained on the codes cannot learn them as a prior (the shipped model's world).",
            valueName: "count|any"))
        var companies = CompanyPool(SynthSettings().companiesPerPrefix)
        @Option(help: ArgumentHelp(
            "Leave these camera effects out of every picture, comma-separated: \(CameraEffect.allCases.map(\.rawValue).joined(separator: ", ")) (shadow: only the lighting's shadow edge). Every other choice stays as drawn, so the pictures are the same ones without them: for measuring what an effect costs a reader.",
            valueName: "effects"))
        var without = EffectList([])
        @Flag(help: "Replace OUT if it exists (the old dataset stays until the new one is complete).") var overwrite = false
        @Flag(help: "Render nothing: add Train/factors.csv and Test/factors.csv to the existing dataset OUT, drawn as its OUT/synth.json records (the generator options given are then not used); a dataset without one must be given the same --train, --test, --seed, --hard-cases, --soft-focus, --lens-defocus, --companies and --without it was made with.")
        var factorsOnly = false
        @OptionGroup var common: RunOptions

        func validate() throws {
            guard train >= 0, test >= 0, train + test > 0 else {
                throw ValidationError("--train and --test must not be negative, and not both 0")
            }
            guard (0...0.5).contains(jitter), (0...0.5).contains(trainJitter) else {
                throw ValidationError("--jitter and --train-jitter must lie in 0...0.5")
            }
            guard (0...1).contains(softFocus) else { throw ValidationError("--soft-focus must lie in 0...1") }
            guard (0...1).contains(lensDefocus) else { throw ValidationError("--lens-defocus must lie in 0...1") }
            if factorsOnly && (overwrite || preview != nil) {
                throw ValidationError("--factors-only writes into an existing dataset; it takes neither --overwrite nor --preview")
            }
        }

        func run() throws {
            var generator = DatasetGenerator(trainCount: train, testCount: test, seed: seed)
            generator.testJitter = QuadJitter(fraction: jitter)
            generator.trainJitter = QuadJitter(fraction: trainJitter)
            generator.settings.hardCases = hardCases
            generator.settings.softFocusShare = softFocus
            generator.settings.lensDefocusShare = lensDefocus
            generator.settings.companiesPerPrefix = companies.perPrefix
            generator.settings.withoutEffects = without.effects
            generator.threads = common.threads  // the output does not depend on it
            let folder = URL(cliPath: out)
            if factorsOnly {
                let record = folder.appendingPathComponent(SynthRecord.fileName)
                if FileManager.default.fileExists(atPath: record.path) {
                    generator = try SynthRecord.read(contentsOf: record).generator
                    generator.threads = common.threads
                    common.note("drawing the pictures as \(record.path) records them")
                }
                try generator.writeFactors(to: folder)
                common.note("wrote Train/factors.csv and Test/factors.csv in \(folder.path)")
                return
            }
            let summary = try generator.write(to: folder, replacing: overwrite, progress: common.progress)
            common.note(String(format: "wrote %d pictures (%.1f MB) to %@ in %.1f s (%.1f pictures/s)",
                               summary.imageCount, Double(summary.bytes) / 1e6, folder.path, summary.seconds,
                               Double(summary.imageCount) / summary.seconds))
            if let preview {
                let split = folder.appendingPathComponent(train > 0 ? SynthSplit.train.rawValue : SynthSplit.test.rawValue)
                let factors = try FactorsFile.read(contentsOf: split.appendingPathComponent(FactorsFile.fileName))
                let examples = PreviewSheet.hardCaseExamples(factors)
                try AtomicFile.write(try PNGCodec.encode(try PreviewSheet.make(split: split, extra: examples.compactMap { $0 })),
                                     to: URL(cliPath: preview))
                common.note("preview: \(preview): tiles 1-16 the first pictures, then")
                var tile = min(16, train > 0 ? train : test)
                for (hardCase, example) in zip(PreviewSheet.hardCases, examples) {
                    if let example {
                        tile += 1
                        common.note("  tile \(tile): \(hardCase.name) (\(factors[example].path))")
                    } else {
                        common.note("  no picture is \(hardCase.name)")
                    }
                }
            }
        }
    }
}

/// `synth --companies`: a pool size, or `any` for a new manufacturer per code (`SynthSettings.companiesPerPrefix`).
struct CompanyPool: ExpressibleByArgument {
    let perPrefix: Int?

    init(_ perPrefix: Int?) { self.perPrefix = perPrefix }

    init?(argument: String) {
        if argument == "any" { perPrefix = nil; return }
        guard let count = Int(argument), count > 0 else { return nil }
        perPrefix = count
    }

    var defaultValueDescription: String { perPrefix.map(String.init) ?? "any" }
}

/// `--without`: camera effects by name, comma-separated.
struct EffectList: ExpressibleByArgument {
    let effects: [CameraEffect]

    init(_ effects: [CameraEffect]) { self.effects = effects }

    init?(argument: String) {
        var effects: [CameraEffect] = []
        for name in argument.split(separator: ",", omittingEmptySubsequences: false) {
            guard let effect = CameraEffect(rawValue: name.trimmingCharacters(in: .whitespaces)) else { return nil }
            effects.append(effect)
        }
        self.effects = effects
    }

    var defaultValueDescription: String { effects.isEmpty ? "none" : effects.map(\.rawValue).joined(separator: ",") }
}
