/// The area under the ROC curve: the probability that a random positive scores above a random negative, ties
/// counting one half (the Mann–Whitney U statistic over n₊·n₋).
public enum AreaUnderCurve {
    /// The AUC of `scores` against `labels` (true = positive); nil when either class is absent.
    public static func compute(scores: [Double], labels: [Bool]) -> Double? {
        precondition(scores.count == labels.count, "one label per score")
        let positives = labels.filter { $0 }.count
        let negatives = labels.count - positives
        guard positives > 0, negatives > 0 else { return nil }
        let order = scores.indices.sorted { scores[$0] < scores[$1] }
        // Average ranks (1-based) across ties, then U = Σ ranks of positives − n₊(n₊+1)/2.
        var rankSum = 0.0
        var start = 0
        while start < order.count {
            var end = start
            while end + 1 < order.count, scores[order[end + 1]] == scores[order[start]] { end += 1 }
            let averageRank = Double(start + end + 2) / 2
            for position in start...end where labels[order[position]] { rankSum += averageRank }
            start = end + 1
        }
        let p = Double(positives)
        return (rankSum - p * (p + 1) / 2) / (p * Double(negatives))
    }
}
