import ArgumentParser
import BoostBarcode
import Foundation

extension BoostBarcodeCommand {
    struct Jitter: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a copy of a markup file with every quad's corners moved at random.",
            discussion: """
                Each corner moves independently by up to --fraction of the quad's width along the reading \
                direction and of its height across it, as a detector's error would. Seeded: the same \
                seed gives the same file. Read the result with 'predict --markup'.
                """
        )

        @Option(help: "Markup file to read.") var markup: String
        @Option(help: "Markup file to write.") var out: String
        @Option(help: "Largest corner move, as a share of the quad's width and height.") var fraction = 0.02
        @Option(help: "Seed of the moves.") var seed: UInt64 = 1
        @Option(help: "Encoding of the written file: \(MarkupEncoding.allCases.map(\.rawValue).joined(separator: ", ")).")
        var encoding: MarkupEncoding = .utf16

        func run() throws {
            guard (0...0.5).contains(fraction) else { throw ValidationError("--fraction must be in 0...0.5") }
            let rows = try MarkupFile.read(contentsOf: URL(cliPath: markup))
            let augmentation = QuadAugmentation(fraction: fraction, copies: 1, seed: seed)
            let moved = rows.enumerated().map { index, row in
                var moved = row
                moved.quad = row.quad.map { augmentation.jitteredCopies(of: $0, row: index)[0] }
                return moved
            }
            try MarkupFile.write(moved, to: URL(cliPath: out), encoding: encoding)
        }
    }
}
