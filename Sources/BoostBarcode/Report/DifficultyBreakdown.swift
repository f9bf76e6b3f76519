/// Full-code accuracy by the generator's difficulty factors (synth's factors.csv): which pictures
/// the reader gets right, withholds or gets wrong.
public struct DifficultyBreakdown: Codable, Equatable, Sendable {
    public var factors: [FactorAccuracy]
    /// Labelled rows with no factors row (left out of every bin).
    public var rowsWithoutFactors: Int
}

public struct FactorAccuracy: Codable, Equatable, Sendable {
    /// The factors.csv column, e.g. `module_px`.
    public var factor: String
    public var bins: [FactorBin]
}

/// The rows whose factor lies in `lower..<upper` (an absent bound: unbounded).
public struct FactorBin: Codable, Equatable, Sendable {
    public var label: String
    public var lower: Double?
    public var upper: Double?
    public var rows: Int
    /// Answered with the right code.
    public var right: Int
    /// `right / rows` (0 for an empty bin).
    public var accuracy: Double
    /// No code answered (withheld, or no answer row).
    public var withheld: Int
    /// Answered with a wrong code.
    public var wrong: Int
    /// Right if every constrained code of the readings were answered; absent without readings.
    public var constrainedRight: Int?
}

/// How one factor is cut into bins: `edges` ascending, bin i holding values below `edges[i]` and at
/// or above the edge before it.
struct FactorBinning: Sendable {
    let factor: String
    let edges: [Double]
    let labels: [String]
    let value: @Sendable (DifficultyFactors) -> Double

    func bin(of factors: DifficultyFactors) -> Int {
        let value = self.value(factors)
        return edges.firstIndex { value < $0 } ?? edges.count
    }

    func emptyBins(countingConstrained: Bool) -> [FactorBin] {
        labels.indices.map { index in
            FactorBin(label: labels[index], lower: index > 0 ? edges[index - 1] : nil,
                      upper: index < edges.count ? edges[index] : nil, rows: 0, right: 0, accuracy: 0, withheld: 0,
                      wrong: 0, constrainedRight: countingConstrained ? 0 : nil)
        }
    }

    /// Fixed bins, the same for every dataset so that reports compare. Blur bins start at a hair above
    /// 0 so that "none" holds exactly the pictures without that blur.
    static let all: [FactorBinning] = [
        FactorBinning(factor: "module_px", edges: [1.5, 2, 3, 4.5], labels: ["<1.5", "1.5-2", "2-3", "3-4.5", ">=4.5"],
                      value: \.modulePixels),
        FactorBinning(factor: "blur_px", edges: [1e-9, 1], labels: ["none", "<1", ">=1"], value: \.blurPixels),
        FactorBinning(factor: "motion_px", edges: [1e-9, 3], labels: ["none", "<3", ">=3"], value: \.motionPixels),
        FactorBinning(factor: "tilt_deg", edges: [10, 20, 30], labels: ["0-10", "10-20", "20-30", ">=30"],
                      value: \.tiltDegrees),
        // Quarter turns centred on upright, 90°, upside down and 270°: the value is shifted by 45°.
        FactorBinning(factor: "rotation_deg", edges: [90, 180, 270], labels: ["0+-45", "90+-45", "180+-45", "270+-45"],
                      value: { ($0.rotationDegrees + 45).truncatingRemainder(dividingBy: 360) }),
        FactorBinning(factor: "contrast", edges: [0.25, 0.45, 0.65], labels: ["<0.25", "0.25-0.45", "0.45-0.65", ">=0.65"],
                      value: \.contrast),
        FactorBinning(factor: "long_side_px", edges: [500, 800, 1200], labels: ["<500", "500-800", "800-1200", ">=1200"],
                      value: { Double($0.longSidePixels) }),
        FactorBinning(factor: "bend_across_deg", edges: [1e-9, 60], labels: ["none", "<60", ">=60"], value: \.hard.bendAcrossDegrees),
        FactorBinning(factor: "bend_along_deg", edges: [1e-9, 45], labels: ["none", "<45", ">=45"], value: \.hard.bendAlongDegrees),
        FactorBinning(factor: "blur_mod", edges: [1e-9, 0.5, 1, 2], labels: ["none", "<0.5", "0.5-1", "1-2", ">=2"],
                      value: \.hard.blurModules),
        FactorBinning(factor: "jpeg_quality", edges: [1, 30, 60], labels: ["none", "<30", "30-60", ">=60"],
                      value: { Double($0.hard.jpegQuality) }),
        FactorBinning(factor: "fade", edges: [1e-9, 0.45], labels: ["none", "<0.45", ">=0.45"], value: \.hard.fade),
        FactorBinning(factor: "flaws", edges: [1, 6], labels: ["none", "1-5", ">=6"], value: { Double($0.hard.flaws) }),
        FactorBinning(factor: "quiet_mod", edges: [0, 2], labels: ["<0", "0-2", ">=2"], value: \.hard.quietModules),
        FactorBinning(factor: "neighbour_share", edges: [1e-9, 0.4], labels: ["none", "<0.4", ">=0.4"], value: \.hard.neighbourShare),
        FactorBinning(factor: "brightness", edges: [0.35, 0.6], labels: ["<0.35", "0.35-0.6", ">=0.6"], value: \.hard.brightness),
        FactorBinning(factor: "glare", edges: [0.05, 0.5], labels: ["<0.05", "0.05-0.5", ">=0.5"], value: \.hard.glare),
        FactorBinning(factor: "disc_mod", edges: [1e-9, 1.5, 2, 2.5], labels: ["none", "<1.5", "1.5-2", "2-2.5", ">=2.5"],
                      value: \.hard.discModules),
    ]
}
