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
