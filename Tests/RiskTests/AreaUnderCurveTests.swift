import Risk
import Testing

struct AreaUnderCurveTests {
    @Test func knownAnswerCountsCorrectlyOrderedPairs() {
        // Positives 0.35 and 0.8 against negatives 0.1 and 0.4: 3 of 4 pairs ordered right.
        #expect(AreaUnderCurve.compute(scores: [0.1, 0.4, 0.35, 0.8], labels: [false, false, true, true]) == 0.75)
        #expect(AreaUnderCurve.compute(scores: [0.9, 0.1], labels: [true, false]) == 1)
        #expect(AreaUnderCurve.compute(scores: [0.1, 0.9], labels: [true, false]) == 0)
    }

    @Test func tiesCountOneHalf() {
        #expect(AreaUnderCurve.compute(scores: [0.5, 0.5], labels: [true, false]) == 0.5)
        // Positive 0.5 vs negatives 0.5 (tie, ½) and 0.2 (1): (1.5) / 2.
        #expect(AreaUnderCurve.compute(scores: [0.5, 0.5, 0.2], labels: [true, false, false]) == 0.75)
    }

    @Test func undefinedWhenAClassIsAbsent() {
        #expect(AreaUnderCurve.compute(scores: [0.1, 0.2], labels: [false, false]) == nil)
        #expect(AreaUnderCurve.compute(scores: [0.1], labels: [true]) == nil)
    }
}
