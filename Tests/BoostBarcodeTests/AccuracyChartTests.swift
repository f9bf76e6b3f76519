import Foundation
import Testing
@testable import BoostBarcode

@Suite struct AccuracyChartTests {
    /// Rows of `colour` in the middle column of a bar, within the plot.
    private func barHeight(_ image: Image, columns: Range<Int>, colour: Colour) -> Int {
        let x = (columns.lowerBound + columns.upperBound) / 2
        return (AccuracyChart.plotBottom - AccuracyChart.plotHeight..<AccuracyChart.plotBottom).count { y in
            let offset = image.offset(x: x, y: y)
            return (0..<3).allSatisfy { Float(image.pixels[offset + $0]) == colour[$0] }
        }
    }

    @Test func barsFollowTheAccuracies() throws {
        let answers = (0..<13).map { Double($0) / 12 }
        let raw = answers.reversed().map { min(1, $0 + 0.05) }
        let chart = AccuracyChart(answers: answers, rawDigits: raw)
        let image = try PNGCodec.decode(chart.png())
        #expect(image.width == AccuracyChart.width && image.height == AccuracyChart.height && image.channels == 3)
        for position in 0..<13 {
            let answerBar = chart.barColumns(position: position), rawBar = chart.barColumns(position: position, raw: true)
            #expect(answerBar.upperBound <= rawBar.lowerBound && answerBar.count >= 10)
            #expect(barHeight(image, columns: answerBar, colour: AccuracyChart.answerColour) == AccuracyChart.barRows(answers[position]))
            #expect(barHeight(image, columns: rawBar, colour: AccuracyChart.rawColour) == AccuracyChart.barRows(raw[position]))
        }
        #expect(AccuracyChart.barRows(1) == AccuracyChart.plotHeight && AccuracyChart.barRows(0.5) == AccuracyChart.plotHeight / 2)
    }

    @Test func withoutReadingsThereIsOneBarAPosition() throws {
        let report = Report(truth: [MarkupRow(path: "a", code: EAN13Code(text: "4006381333931"), quad: nil)],
                            answers: [MarkupRow(path: "a", code: EAN13Code(text: "4006381333900"), quad: nil)])
        let chart = AccuracyChart(report: report)
        #expect(chart.rawDigits == nil)
        let image = try PNGCodec.decode(chart.png())
        let accuracies = report.positionAccuracy
        #expect(accuracies[0] == 1 && accuracies[12] == 0)
        for position in 0..<13 {
            #expect(barHeight(image, columns: chart.barColumns(position: position), colour: AccuracyChart.answerColour)
                    == AccuracyChart.barRows(accuracies[position]))
        }
        // No orange anywhere: the raw-digit colour appears only with readings.
        #expect(!stride(from: 0, to: image.pixels.count, by: 3).contains { index in
            (0..<3).allSatisfy { Float(image.pixels[index + $0]) == AccuracyChart.rawColour[$0] }
        })
    }

    @Test func labelsAreDrawnInInk() {
        // The title's area holds dark stroke pixels; the blank margin right of it does not.
        let image = AccuracyChart(answers: Array(repeating: 0.5, count: 13)).image()
        func darkPixels(_ xs: Range<Int>, _ ys: Range<Int>) -> Int {
            ys.reduce(0) { total, y in total + xs.count { image.pixels[image.offset(x: $0, y: y)] < 128 } }
        }
        #expect(darkPixels(64..<300, 18..<32) > 100)
        #expect(darkPixels(400..<740, 0..<40) == 0)
    }
}
