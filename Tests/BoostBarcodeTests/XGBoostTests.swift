import Foundation
import Testing
@testable import BoostBarcode

@Suite struct XGBoostTests {
    /// Separable toy data: the label is the index of the one hot feature among the first 3.
    func toyData(rows: Int = 60) -> (values: [Float], labels: [Float]) {
        var values: [Float] = [], labels: [Float] = []
        for row in 0..<rows {
            let label = row % 3
            values += (0..<4).map { $0 == label ? 1 : 0 }
            labels.append(Float(label))
        }
        return (values, labels)
    }

    func parameters() -> BoosterParameters {
        var parameters = BoosterParameters()
        parameters.rounds = 5
        parameters.classCount = 3
        parameters.threads = 1
        parameters.seed = 7
        return parameters
    }

    func trainedBooster() throws -> (Booster, DMatrix) {
        let (values, labels) = toyData()
        let matrix = try DMatrix(values: values, rowCount: 60, columnCount: 4)
        try matrix.setLabels(labels)
        let booster = try Booster(training: matrix, parameters: parameters())
        for round in 0..<5 { try booster.updateOneIteration(round, training: matrix) }
        return (booster, matrix)
    }

    @Test func learnsSeparableDataAndReportsZeroError() throws {
        let (booster, matrix) = try trainedBooster()
        let probabilities = try booster.predictProbabilities(matrix, classCount: 3)
        #expect(probabilities.count == 180)
        for row in 0..<60 {
            let p = probabilities[row * 3..<row * 3 + 3]
            #expect(p.indices.max { p[$0] < p[$1] }! - row * 3 == row % 3)
        }
        #expect(try booster.error(on: matrix, iteration: 4) == 0)
        #expect(try booster.featureCount == 4 && booster.boostedRounds == 5)
    }

    @Test func reloadedModelPredictsIdentically() throws {
        let (booster, matrix) = try trainedBooster()
        let reloaded = try Booster(modelData: booster.serialized(format: "ubj"))
        #expect(try reloaded.predictProbabilities(matrix, classCount: 3) == booster.predictProbabilities(matrix, classCount: 3))
        let fromJSON = try Booster(modelData: booster.serialized(format: "json"))
        #expect(try fromJSON.predictProbabilities(matrix, classCount: 3) == booster.predictProbabilities(matrix, classCount: 3))
    }

    @Test func slicingKeepsTheFirstRounds() throws {
        let (booster, _) = try trainedBooster()
        #expect(try booster.keepingFirst(2).boostedRounds == 2)
    }

    @Test func wrongFeatureCountThrowsXGBoostError() throws {
        let (booster, _) = try trainedBooster()
        let wider = try DMatrix(values: [Float](repeating: 0, count: 10), rowCount: 2, columnCount: 5)
        #expect {
            try booster.predictProbabilities(wider, classCount: 3)
        } throws: { error in
            guard let error = error as? XGBoostError else { return false }
            return error.function == "XGBoosterPredictFromDMatrix" && !error.summary.isEmpty && !error.summary.contains("\n")
        }
    }

    @Test func garbageModelBytesThrowXGBoostError() {
        #expect(throws: XGBoostError.self) { try Booster(modelData: Data("{not a model".utf8)) }
    }

    @Test func shapeIsCheckedBeforeTheCCall() {
        #expect(throws: BoostBarcodeError.self) { try DMatrix(values: [1, 2, 3], rowCount: 2, columnCount: 2) }
        #expect(throws: BoostBarcodeError.self) {
            try DMatrix(values: [1, 2, 3, 4], rowCount: 2, columnCount: 2).setLabels([1])
        }
    }

    @Test func zeroIsAValueNotMissing() throws {
        // Our features are 0/1: every 0 must reach XGBoost as a value; only NaN is missing.
        let matrix = try DMatrix(values: [0, 1, 0, .nan, 1, 0], rowCount: 3, columnCount: 2)
        #expect(try matrix.presentValueCount == 5)
    }

    @Test func versionIsTheLinkedLibrary() {
        #expect(xgboostVersion.split(separator: ".").count == 3)
    }
}

@Suite struct ByteMatrixTests {
    /// Bytes 0…255 in every column, labels from a few of them: enough structure for deep trees.
    func byteData(rows: Int = 200, columns: Int = 6) -> (bytes: [UInt8], labels: [Float]) {
        var random = SeededRandom(seed: 11)
        let bytes = (0..<rows * columns).map { _ in UInt8(random.integer(in: 0...255)) }
        let labels = (0..<rows).map { Float((Int(bytes[$0 * columns]) + Int(bytes[$0 * columns + 2]) / 2) % 4) }
        return (bytes, labels)
    }

    func parameters() -> BoosterParameters {
        var parameters = BoosterParameters()
        parameters.classCount = 4
        parameters.threads = 1
        return parameters
    }

    func train(_ matrix: DMatrix, labels: [Float], rounds: Int = 6) throws -> Booster {
        try matrix.setLabels(labels)
        let booster = try Booster(training: matrix, parameters: parameters())
        for round in 0..<rounds { try booster.updateOneIteration(round, training: matrix) }
        return booster
    }

    @Test func byteMatrixHoldsTheSameValuesAsTheFloatOne() throws {
        let (bytes, labels) = byteData()
        let floats = try DMatrix(values: bytes.map(Float.init), rowCount: 200, columnCount: 6)
        let direct = try DMatrix(bytes: bytes, rowCount: 200, columnCount: 6)
        #expect(try direct.presentValueCount == 1200, "a 0 byte is a value, not missing")
        let booster = try train(floats, labels: labels)
        #expect(try booster.predictProbabilities(direct, classCount: 4) == booster.predictProbabilities(floats, classCount: 4))
    }

    @Test func quantisedTrainingGivesTheSameModelAsTheFloatMatrix() throws {
        let (bytes, labels) = byteData()
        let floats = try DMatrix(values: bytes.map(Float.init), rowCount: 200, columnCount: 6)
        let quantised = try DMatrix.quantised(bytes: bytes, rowCount: 200, columnCount: 6)
        let fromFloats = try train(floats, labels: labels)
        let fromBins = try train(quantised, labels: labels)
        #expect(try fromBins.serialized(format: "json") == fromFloats.serialized(format: "json"))
        #expect(try fromBins.error(on: floats, iteration: 5) < 0.5, "the labels reached the quantised matrix")
    }

    @Test func quantisedValidationSharesTheTrainingBins() throws {
        let (bytes, labels) = byteData()
        let training = try DMatrix.quantised(bytes: Array(bytes[..<900]), rowCount: 150, columnCount: 6)
        let validation = try DMatrix.quantised(bytes: Array(bytes[900...]), rowCount: 50, columnCount: 6,
                                               reference: training)
        try validation.setLabels(Array(labels[150...]))
        let booster = try train(training, labels: Array(labels[..<150]))
        let plain = try DMatrix(bytes: Array(bytes[900...]), rowCount: 50, columnCount: 6)
        #expect(try booster.predictProbabilities(validation, classCount: 4) == booster.predictProbabilities(plain, classCount: 4))
    }

    @Test func shapeIsCheckedBeforeTheCCall() {
        #expect(throws: BoostBarcodeError.self) { try DMatrix(bytes: [1, 2, 3], rowCount: 2, columnCount: 2) }
        #expect(throws: BoostBarcodeError.self) { try DMatrix.quantised(bytes: [], rowCount: 0, columnCount: 2) }
    }
}
