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
        let forest = try FlatForest(ubj: booster.serialized(format: "ubj"))
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
        #expect(throws: FlatForest.Unusable.self) { try FlatForest(ubj: Data("{}".utf8)) }
        #expect(throws: FlatForest.Unusable.self) { try FlatForest(ubj: Data("not ubjson".utf8)) }
        func forest(_ tree: FlatForest.Tree) throws -> FlatForest {
            try FlatForest(trees: [tree], treeClasses: [0], baseScore: 0.5, classCount: 2, featureCount: 1)
        }
        let stump = FlatForest.Tree(leftChildren: [1, -1, -1], rightChildren: [2, -1, -1], splitFeatures: [0, 0, 0],
                                    splitValues: [3, -1, 1])
        // Below 3 the leaf lowers class 0's margin, from 3 on it raises it above class 1's base score.
        let walked = try forest(stump)
        #expect([UInt8(2), 3].map { value in [value].withUnsafeBufferPointer { walked.probabilities($0)[0] > 0.5 } } == [false, true])
        var sameChildTwice = stump
        sameChildTwice.rightChildren[0] = 1
        #expect(throws: FlatForest.Unusable.self) { try forest(sameChildTwice) }
        var loop = stump
        loop.leftChildren[1] = 0
        loop.rightChildren[1] = 2
        #expect(throws: FlatForest.Unusable.self) { try forest(loop) }
        var unknownFeature = stump
        unknownFeature.splitFeatures[0] = 1
        #expect(throws: FlatForest.Unusable.self) { try forest(unknownFeature) }
    }
}

@Suite struct UBJSONReaderTests {
    @Test func readsWhatXGBoostWrites() throws {
        var parameters = BoosterParameters()
        parameters.threads = 1
        parameters.classCount = 3
        let matrix = try DMatrix(values: [0, 1, 1, 0, 2, 2], rowCount: 3, columnCount: 2)
        try matrix.setLabels([0, 1, 2])
        let booster = try Booster(training: matrix, parameters: parameters)
        try booster.updateOneIteration(0, training: matrix)
        let model = try UBJSONReader.read(booster.serialized(format: "ubj"))
        #expect(model["learner"]?["learner_model_param"]?["num_class"]?.integerValue == 3)
        #expect(model["learner"]?["gradient_booster"]?["model"]?["tree_info"]?.integersValue == [0, 1, 2])
    }

    @Test func readsTheDraftsContainers() throws {
        // {"a": [1, -2, 300], "b": {"c": "xy"}, "d": [$d#2 1.5 -0.25], "e": true}, keys of the lengths' own markers.
        let bytes: [UInt8] = [0x7B, 0x69, 1, 0x61, 0x5B, 0x55, 1, 0x69, 0xFE, 0x49, 0x01, 0x2C, 0x5D,
                              0x55, 1, 0x62, 0x7B, 0x69, 1, 0x63, 0x53, 0x69, 2, 0x78, 0x79, 0x7D,
                              0x69, 1, 0x64, 0x5B, 0x24, 0x64, 0x23, 0x69, 2, 0x3F, 0xC0, 0, 0, 0xBE, 0x80, 0, 0,
                              0x69, 1, 0x65, 0x54, 0x7D]
        let value = try UBJSONReader.read(Data(bytes))
        #expect(value == .object(["a": .array([.integer(1), .integer(-2), .integer(300)]),
                                  "b": .object(["c": .string("xy")]), "d": .floats([1.5, -0.25]), "e": .bool(true)]))
    }

    @Test func damagedBytesThrow() {
        // Truncated, a count past the end, an unknown marker, trailing bytes, deep nesting.
        for bytes: [UInt8] in [[0x7B, 0x69, 1], [0x5B, 0x24, 0x64, 0x23, 0x4C, 0x7F, 0, 0, 0, 0, 0, 0, 0],
                               [0x58], [0x5A, 0x5A], [UInt8](repeating: 0x5B, count: 100)] {
            #expect(throws: UBJSONReader.Failure.self) { try UBJSONReader.read(Data(bytes)) }
        }
    }
}
