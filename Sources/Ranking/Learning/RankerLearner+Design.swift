import Foundation
import LinearAlgebra

extension RankerLearner {
    /// The design matrix of a subset of rows: z-scored features (zero-variance ones dropped),
    /// one-hot position buckets 2… (bucket "1" is the reference), an intercept.
    struct Design {
        let index: [Int]
        let mean: [Double]
        let scale: [Double]
        /// Feature k's column in the design, or nil when dropped.
        let column: [Int?]
        let columns: Int
        let x: DenseMatrix
        let y: [Float]
        /// Exposure weights min(clip, 1/propensity) (1 without a logged propensity, or clip ≤ 1).
        let w: [Float]
        let penalized: [Bool]

        /// `only`: keep feature k alone (−1: no feature, position offsets and intercept only).
        init(rows: TrainingRows, index: [Int], only: Int? = nil, clip: Double = 1) {
            self.index = index
            w = index.map { i in
                let pi = Double(rows.propensity[i])
                return clip > 1 && pi > 0 ? Float(min(clip, 1 / pi)) : 1
            }
            let f = rows.features.count
            var mean = [Double](repeating: 0, count: f), m2 = mean
            for i in index {
                for k in 0..<f { mean[k] += Double(rows.x[i * f + k]) }
            }
            let n = Double(max(index.count, 1))
            for k in 0..<f { mean[k] /= n }
            for i in index {
                for k in 0..<f {
                    let d = Double(rows.x[i * f + k]) - mean[k]
                    m2[k] += d * d
                }
            }
            let scale = m2.map { v -> Double in
                let s = (v / n).squareRoot()
                return s > 1e-9 ? s : 0
            }
            var column = [Int?](repeating: nil, count: f)
            var c = 0
            for k in 0..<f where scale[k] > 0 && (only == nil || only == k) {
                column[k] = c
                c += 1
            }
            let featureColumns = c
            let buckets = PositionBucket.count - 1
            columns = featureColumns + buckets + 1
            var values = [Float](repeating: 0, count: index.count * columns)
            for (r, i) in index.enumerated() {
                let base = r * columns
                for k in 0..<f {
                    if let col = column[k] { values[base + col] = Float((Double(rows.x[i * f + k]) - mean[k]) / scale[k]) }
                }
                let b = Int(rows.bucket[i])
                if b > 0 { values[base + featureColumns + b - 1] = 1 }
                values[base + columns - 1] = 1
            }
            x = DenseMatrix(rows: index.count, columns: columns, values: values)
            y = index.map { rows.grade[$0] > 0 ? 1 : 0 }
            penalized = (0..<columns).map { $0 < featureColumns }
            self.mean = mean
            self.scale = scale
            self.column = column
        }

        func fit(lambda: Double, maxIterations: Int, start: [Double]?) throws -> LogisticRegression.Fit {
            try LogisticRegression.fit(x: x, y: y, weights: w, penalized: penalized,
                                       configuration: .init(regularization: lambda, maxIterations: maxIterations), start: start)
        }

        /// Weights per feature (0 for dropped ones), in the rows' feature order.
        func featureWeights(_ beta: [Double]) -> [Double] { column.map { $0.map { beta[$0] } ?? 0 } }

        func positionOffsets(_ beta: [Double]) -> [Double] {
            let featureColumns = columns - PositionBucket.count
            return [0] + (0..<(PositionBucket.count - 1)).map { beta[featureColumns + $0] }
        }

        /// The serving score of row i (no position, no intercept).
        func score(_ rows: TrainingRows, _ i: Int, _ w: [Double]) -> Float {
            let f = rows.features.count
            var s = 0.0
            for k in 0..<f where scale[k] > 0 { s += w[k] * (Double(rows.x[i * f + k]) - mean[k]) / scale[k] }
            return Float(s)
        }

        /// Mean log loss of rows `subset` under the full training model (with position offsets).
        func logLoss(_ rows: TrainingRows, _ subset: [Int], _ beta: [Double], clip: Double = 1) -> Double {
            guard !subset.isEmpty else { return 0 }
            var weight = 0.0
            let f = rows.features.count
            let featureColumns = columns - PositionBucket.count
            var total = 0.0
            for i in subset {
                var eta = beta[columns - 1]
                for k in 0..<f {
                    if let c = column[k] { eta += beta[c] * (Double(rows.x[i * f + k]) - mean[k]) / scale[k] }
                }
                let b = Int(rows.bucket[i])
                if b > 0 { eta += beta[featureColumns + b - 1] }
                let pi = Double(rows.propensity[i])
                let wi = clip > 1 && pi > 0 ? min(clip, 1 / pi) : 1
                weight += wi
                total += wi * (LogisticRegression.softplus(eta) - (rows.grade[i] > 0 ? eta : 0))
            }
            return weight > 0 ? total / weight : 0
        }
    }

    /// Row indices of each group (logged list) among `subset` that has a positive and ≥ 2 rows.
    static func judgedGroups(_ rows: TrainingRows, _ subset: [Int]) -> [[Int]] {
        var byGroup: [Int32: [Int]] = [:]
        for i in subset { byGroup[rows.group[i], default: []].append(i) }
        return byGroup.keys.sorted().compactMap { g in
            let members = byGroup[g]!
            return members.count >= 2 && members.contains { rows.grade[$0] > 0 } ? members : nil
        }
    }

    /// Mean nDCG@10 of the groups ordered by `score` (higher first; ties by row order), gain = grade.
    static func meanNDCG(_ rows: TrainingRows, _ groups: [[Int]], score: (Int) -> Float) -> Double {
        guard !groups.isEmpty else { return 0 }
        var total = 0.0
        for members in groups {
            let scored = members.map { (i: $0, s: score($0)) }.sorted { $0.s != $1.s ? $0.s > $1.s : $0.i < $1.i }
            var dcg = 0.0
            for (r, item) in scored.prefix(10).enumerated() { dcg += Double(rows.grade[item.i]) / log2(Double(r) + 2) }
            let ideal = members.map { Double(rows.grade[$0]) }.sorted(by: >)
            var idcg = 0.0
            for (r, g) in ideal.prefix(10).enumerated() { idcg += g / log2(Double(r) + 2) }
            total += idcg > 0 ? dcg / idcg : 0
        }
        return total / Double(groups.count)
    }
}
