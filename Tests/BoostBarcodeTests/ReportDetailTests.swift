import Foundation
import Testing
@testable import BoostBarcode

private func code(_ text: String) -> EAN13Code { EAN13Code(text: text)! }
private func row(_ path: String, _ text: String?) -> MarkupRow { MarkupRow(path: path, code: text.map(code), quad: nil) }

@Suite struct ReportDetailTests {
    /// Five labelled images: right, wrong, withheld, no answer row, wrong; one unlabelled row.
    private let truth = [row("a", "4006381333931"), row("b", "5901234123457"), row("c", "9780201379624"),
                         row("d", "4600049340097"), row("e", "4006381333931"), row("f", nil)]
    private let answers = [row("a", "4006381333931"), row("b", "5901234123464"), row("c", nil),
                           row("e", "4006381333948"), row("f", "4006381333931")]

    @Test func rightWrongWithheldAndUnansweredAreCountedApart() {
        let report = Report(truth: truth, answers: answers)
        #expect(report.truthRows == 5 && report.answered == 3 && report.codesCorrect == 1)
        #expect(report.wrong == 2 && report.wrongShare == 0.4)
        #expect(report.withheld == 1 && report.withheldShare == 0.2 && report.unanswered == 1)
        #expect(report.codesCorrect + report.wrong + report.withheld + report.unanswered == report.truthRows)
        #expect(report.answersWithoutTruth == 1)  // "f": its truth row has no code
        #expect(report.readings == nil && report.difficulty == nil && report.confusionSource == .answers)
        #expect(report.table.contains("wrong codes: 2 of 5 (40.00 %); withheld: 1 (20.00 %)"))
        #expect(report.table.contains("1 have no answer row"))
    }

    @Test func confusionsOfTheAnswersCountEveryPosition() {
        let report = Report(truth: truth, answers: answers)
        // Answered: a (right), b (…123457 read …123464), e (…333931 read …333948).
        let counts = report.confusion.counts
        #expect(counts.allSatisfy { $0.joined().reduce(0, +) == 3 })
        #expect(counts[11][5][6] == 1 && counts[12][7][4] == 1 && counts[11][3][4] == 1 && counts[12][1][8] == 1)
        #expect(counts[0][4][4] == 2 && counts[0][5][5] == 1 && counts[10][9][9] == 2 && counts[10][4][4] == 1)
        // Ties at count 1 come out by position, then true digit.
        #expect(report.topConfusions == [Misread(position: 11, truth: 3, read: 4, count: 1),
                                         Misread(position: 11, truth: 5, read: 6, count: 1),
                                         Misread(position: 12, truth: 1, read: 8, count: 1),
                                         Misread(position: 12, truth: 7, read: 4, count: 1)])
        #expect(report.table.contains("11: 3->4 x1"))
    }

    @Test func mostFrequentMisreadsComeFirstAndStopAtTheLimit() {
        var confusion = DigitConfusion()
        for _ in 0..<3 { confusion.add(truth: code("0000000000000"), read: code("0000000800000")) }
        for index in 0..<12 {
            var digits = [UInt8](repeating: 0, count: 13)
            digits[index] = 1
            confusion.add(truth: code("0000000000000"), read: EAN13Code(digits: digits)!)
        }
        let top = confusion.mostFrequent(10)
        #expect(top.count == 10 && top[0] == Misread(position: 7, truth: 0, read: 8, count: 3))
        #expect(top[1...].allSatisfy { $0.count == 1 && $0.read == 1 } && top[1].position == 0)
    }

    @Test func readingsScoreRawAndConstrainedCodesAndTheirConfusions() {
        let readings = [
            Reading(path: "a", answer: code("4006381333931"), raw: code("4006381333931"), constrained: code("4006381333931"),
                    confidence: 0.999, flipped: false),
            // Raw has a wrong check digit; the constrained code repairs it but was withheld.
            Reading(path: "c", answer: nil, raw: code("9780201379620"), constrained: code("9780201379624"),
                    confidence: 0.7, flipped: true),
            Reading(path: "b", answer: code("5901234123464"), raw: code("5901234123464"), constrained: code("5901234123464"),
                    confidence: 0.95, flipped: false),
            Reading(path: "zz", answer: nil, raw: code("0000000000000"), constrained: code("0000000000000"),
                    confidence: 1, flipped: false),
        ]
        let report = Report(truth: truth, answers: answers, readings: readings)
        let summary = try! #require(report.readings)
        #expect(summary.matched == 3 && summary.flipped == 1)
        #expect(summary.rawCodesCorrect == 1 && summary.constrainedCodesCorrect == 2 && summary.rawCheckDigitValid == 2)
        #expect(summary.constrainedCodeAccuracy == 0.4 && summary.rawPositionCorrect[12] == 1 && summary.rawPositionCorrect[0] == 3)
        // The confusions are now of the raw digits of the three labelled readings.
        #expect(report.confusionSource == .rawReadings)
        #expect(report.confusion.counts[12][4][0] == 1 && report.confusion.counts.allSatisfy { $0.joined().reduce(0, +) == 3 })
        let cuts = Dictionary(uniqueKeysWithValues: summary.confidenceCuts.map { ($0.minConfidence, $0) })
        #expect(cuts[0]!.right == 2 && cuts[0]!.wrong == 1 && cuts[0]!.withheld == 2)
        #expect(cuts[0.9]!.right == 1 && cuts[0.9]!.wrong == 1 && cuts[0.9]!.withheld == 3 && cuts[0.9]!.wrongShare == 0.2)
        #expect(cuts[0.99]!.right == 1 && cuts[0.99]!.wrong == 0)
        #expect(report.table.contains("full code, best valid code: 2 correct (0.4000)"))
    }

    private func factors(_ path: String, module: Double, blur: Double = 0, tilt: Double = 0, rotation: Double = 0) -> DifficultyFactors {
        DifficultyFactors(path: path, modulePixels: module, blurPixels: blur, motionPixels: 0, tiltDegrees: tilt,
                          rotationDegrees: rotation, contrast: 0.5, longSidePixels: 640)
    }

    @Test func factorBinsFollowTheirEdges() {
        let module = FactorBinning.all.first { $0.factor == "module_px" }!
        #expect([1.2, 1.5, 1.99, 2, 4.49, 4.5, 9].map { module.bin(of: factors("x", module: $0)) } == [0, 1, 1, 2, 3, 4, 4])
        let blur = FactorBinning.all.first { $0.factor == "blur_px" }!
        #expect([0, 0.3, 1, 2.5].map { blur.bin(of: factors("x", module: 2, blur: $0)) } == [0, 1, 2, 2])
        let rotation = FactorBinning.all.first { $0.factor == "rotation_deg" }!
        #expect([0, 44, 46, 180, 226, 314, 316, 359.9].map { rotation.bin(of: factors("x", module: 2, rotation: $0)) }
                == [0, 0, 1, 2, 3, 3, 0, 0])
        #expect(FactorBinning.all.allSatisfy { $0.labels.count == $0.edges.count + 1 && $0.edges == $0.edges.sorted() })
    }

    @Test func accuracyByFactorCountsEachBinsOutcomes() throws {
        let rows = [factors("a", module: 1.2, tilt: 5), factors("b", module: 1.3, tilt: 35), factors("c", module: 5, tilt: 12),
                    factors("d", module: 5, blur: 1.5, tilt: 25), factors("zz", module: 2)]
        let report = Report(truth: truth, answers: answers, factors: rows)
        let difficulty = try #require(report.difficulty)
        #expect(difficulty.rowsWithoutFactors == 1)  // "e"
        let module = try #require(difficulty.factors.first { $0.factor == "module_px" })
        #expect(module.bins.map(\.rows) == [2, 0, 0, 0, 2])
        #expect(module.bins[0].right == 1 && module.bins[0].wrong == 1 && module.bins[0].accuracy == 0.5)
        #expect(module.bins[4].withheld == 2 && module.bins[4].right == 0)  // c withheld, d has no answer row
        #expect(module.bins[0].lower == nil && module.bins[0].upper == 1.5 && module.bins[4].lower == 4.5)
        #expect(module.bins[0].constrainedRight == nil)
        let tilt = try #require(difficulty.factors.first { $0.factor == "tilt_deg" })
        #expect(tilt.bins.map(\.rows) == [1, 1, 1, 1] && tilt.bins[3].wrong == 1)
        #expect(report.table.contains("module_px     <1.5            2   0.500     0.000   0.500"))
        let decoded = try JSONDecoder().decode(Report.self, from: report.json())
        #expect(decoded == report)
    }
}
