import Foundation
import Testing
@testable import BoostBarcode

@Suite struct FlatForestTests {
    /// Random bytes whose label mixes thresholds on a few of them, so that the trees grow deep,
    /// split one feature many times and leave some nodes as early leaves.
    func noisyBytes(rows: Int, seed: UInt64) -> (bytes: [UInt8], labels: [Float]) {
        var random = SeededRandom(seed: seed)
        var bytes: [UInt8] = [], labels: [Float] = []
        for _ in 0..<rows {
            let row = (0..<12).map { _ in UInt8.random(in: 0...255, using: &random) }
            let label = (Int(row[0]) / 40 + (row[3] > 128 ? 3 : 0) + (row[7] < 20 ? 5 : 0) + Int.random(in: 0...1, using: &random)) % 10
            bytes += row
            labels.append(Float(label))
        }
        return (bytes, labels)
    }

    @Test func predictsWhatXGBoostPredicts() throws {
        let (bytes, labels) = noisyBytes(rows: 400, seed: 5)
        let training = try DMatrix.quantised(bytes: bytes, rowCount: 400, columnCount: 12, reference: nil, threads: 1)
        try training.setLabels(labels)
        var parameters = BoosterParameters()
        parameters.threads = 1
        parameters.seed = 2
        let booster = try Booster(training: training, parameters: parameters)
        for round in 0..<8 { try booster.updateOneIteration(round, training: training) }
        let forest = try FlatForest(json: booster.serialized(format: "json"))
        #expect(forest.classCount == 10 && forest.featureCount == 12)

        // Fresh rows, and every value either side of every cut: 0 and 255 included.
        var (rows, _) = noisyBytes(rows: 100, seed: 6)
        rows += (0..<12).flatMap { column in [UInt8](repeating: 0, count: 12).enumerated().map { $0.offset == column ? 255 : 0 } }
        rows += [UInt8](repeating: 0, count: 12) + [UInt8](repeating: 255, count: 12)
        let rowCount = rows.count / 12
        let expected = try booster.predictProbabilities(DMatrix(bytes: rows, rowCount: rowCount, columnCount: 12), classCount: 10)
        var largestDifference: Float = 0
        rows.withUnsafeBufferPointer { values in
            for row in 0..<rowCount {
                let found = forest.probabilities(UnsafeBufferPointer(rebasing: values[row * 12..<(row + 1) * 12]))
                for digit in 0..<10 { largestDifference = max(largestDifference, abs(found[digit] - expected[row * 10 + digit])) }
            }
        }
        #expect(largestDifference <= 1e-6)
    }

    @Test func refusesWhatItCannotWalk() throws {
        #expect(throws: BoostBarcodeError.self) { try FlatForest(json: Data("{}".utf8)) }
        #expect(throws: (any Error).self) { try FlatForest(json: Data("not json".utf8)) }
        // A model whose tree names a child twice.
        let json = #"{"learner": {"objective": {"name": "multi:softprob"}, "learner_model_param": {"base_score": "5E-1", "num_class": "2", "num_feature": "1"}, "gradient_booster": {"model": {"tree_info": [0], "trees": [{"left_children": [1, -1], "right_children": [1, -1], "split_indices": [0, 0], "split_conditions": [3.0, 0.5]}]}}}}"#
        #expect(throws: BoostBarcodeError.self) { try FlatForest(json: Data(json.utf8)) }
    }
}
