import Foundation
import LinearAlgebra

extension RankerLearner {
    /// The design matrix of a subset of rows: z-scored features (zero-variance ones dropped,
    /// penalized), the prior score (unpenalized, when a prior is given), one-hot position buckets
    /// 2… (bucket "1" is the reference), an intercept.
    ///
    /// **Prior.** With `prior` (a raw weight per feature: the hand-set blend's), the column
    /// s_i = Σ_k prior_k·x_ik enters unpenalized with its own coefficient c, so the model is
    /// c·prior + δ with only δ penalized: a large λ shrinks the learned ranker toward (a scaled
    /// copy of) the hand-set blend instead of toward no signal at all, and the data move it away
    /// only as far as they support. The serving weight of feature k (per z-scored unit) is
    /// δ_k + c·prior_k·σ_k.
    struct Design {
        let index: [Int]
        let mean: [Double]
        let scale: [Double]
        /// Feature k's column in the design, or nil when dropped.
        let column: [Int?]
        let featureColumns: Int
        /// The prior score's column, when a prior is given.
        let priorColumn: Int?
        let prior: [Double]?
        let columns: Int
        let x: DenseMatrix
        let y: [Float]
        /// Exposure weights min(clip, 1/propensity) (1 without a logged propensity, or clip ≤ 1).
        let w: [Float]
        let clip: Double
        let penalized: [Bool]

        /// `only`: keep feature k alone (−1: no feature, position offsets and intercept only);
        /// `prior`: the raw prior weight of each feature (see the type's doc comment).
        init(rows: TrainingRows, index: [Int], only: Int? = nil, clip: Double = 1, prior: [Double]? = nil) {
            self.index = index
            self.clip = clip
            w = index.map { Self.weight(rows, $0, clip: clip) }
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
            featureColumns = c
            let usePrior = only == nil && prior.map { p in (0..<f).contains { p[$0] != 0 && scale[$0] > 0 } } == true
            self.prior = usePrior ? prior : nil
            priorColumn = usePrior ? c : nil
            columns = c + (usePrior ? 1 : 0) + PositionBucket.count - 1 + 1
            self.mean = mean
            self.scale = scale
            self.column = column
            var values = [Float](repeating: 0, count: index.count * columns)
            let cols = columns, fc = featureColumns, pc = priorColumn, pr = self.prior
            for (r, i) in index.enumerated() {
                Self.fill(&values[(r * cols)..<((r + 1) * cols)], rows: rows, i, mean: mean, scale: scale, column: column,
                          featureColumns: fc, priorColumn: pc, prior: pr)
            }
            x = DenseMatrix(rows: index.count, columns: columns, values: values)
            y = index.map { rows.grade[$0] > 0 ? 1 : 0 }
            penalized = (0..<cols).map { $0 < fc }
        }

        static func weight(_ rows: TrainingRows, _ i: Int, clip: Double) -> Float {
            let pi = Double(rows.propensity[i])
            return clip > 1 && pi > 0 ? Float(min(clip, 1 / pi)) : 1
        }

        /// One design row: the z-scored features, the prior score, the position one-hot, 1.
        static func fill(_ out: inout ArraySlice<Float>, rows: TrainingRows, _ i: Int, mean: [Double], scale: [Double],
                         column: [Int?], featureColumns: Int, priorColumn: Int?, prior: [Double]?) {
            let f = rows.features.count
            let base = out.startIndex
            for j in out.indices { out[j] = 0 }
            var s = 0.0
            for k in 0..<f {
                let x = Double(rows.x[i * f + k])
                if let col = column[k] { out[base + col] = Float((x - mean[k]) / scale[k]) }
                if let p = prior, scale[k] > 0 { s += p[k] * x }
            }
            if let pc = priorColumn { out[base + pc] = Float(s) }
            let b = Int(rows.bucket[i])
            let positions = featureColumns + (priorColumn == nil ? 0 : 1)
            if b > 0 { out[base + positions + b - 1] = 1 }
            out[base + out.count - 1] = 1
        }

        /// The prior score's smallest coefficient: where the log cannot tell (or by noise says the
        /// blend is backwards), the blend's direction stands, at a nominal scale.
        static let minimumPriorScale = 0.05

        /// The penalized fit; with a prior whose free coefficient comes out below
        /// `minimumPriorScale`, refitted with it held there.
        func fit(lambda: Double, maxIterations: Int, start: [Double]?) throws -> LogisticRegression.Fit {
            let c = LogisticRegression.Configuration(regularization: lambda, maxIterations: maxIterations)
            let free = try LogisticRegression.fit(x: x, y: y, weights: w, penalized: penalized, configuration: c, start: start)
            guard let pc = priorColumn, free.coefficients[pc] < Self.minimumPriorScale else { return free }
            return try LogisticRegression.fit(x: x, y: y, weights: w, penalized: penalized, configuration: c, start: free.coefficients,
                                              fixed: [pc: Self.minimumPriorScale])
        }

        /// Serving weights per z-scored feature (0 for dropped ones), in the rows' feature order:
        /// δ_k, plus c·prior_k·σ_k with a prior.
        func featureWeights(_ beta: [Double]) -> [Double] {
            let c = priorColumn.map { beta[$0] } ?? 0
            return column.indices.map { k in
                guard scale[k] > 0 else { return 0 }
                return (column[k].map { beta[$0] } ?? 0) + c * (prior?[k] ?? 0) * scale[k]
            }
        }

        /// The prior score's coefficient c (nil without a prior).
        func priorScale(_ beta: [Double]) -> Double? { priorColumn.map { beta[$0] } }

        func positionOffsets(_ beta: [Double]) -> [Double] {
            let first = featureColumns + (priorColumn == nil ? 0 : 1)
            return [0] + (0..<(PositionBucket.count - 1)).map { beta[first + $0] }
        }

        /// The serving score of row i (no position, no intercept).
        func score(_ rows: TrainingRows, _ i: Int, _ w: [Double]) -> Float {
            let f = rows.features.count
            var s = 0.0
            for k in 0..<f where scale[k] > 0 { s += w[k] * (Double(rows.x[i * f + k]) - mean[k]) / scale[k] }
            return Float(s)
        }

        /// Weighted log loss of each row of `subset` under the full training model (with the
        /// position offsets), and the rows' weights.
        func losses(_ rows: TrainingRows, _ subset: [Int], _ beta: [Double]) -> (loss: [Double], weight: [Double]) {
            var row = [Float](repeating: 0, count: columns)
            var loss: [Double] = [], weight: [Double] = []
            loss.reserveCapacity(subset.count)
            weight.reserveCapacity(subset.count)
            for i in subset {
                Self.fill(&row[...], rows: rows, i, mean: mean, scale: scale, column: column, featureColumns: featureColumns,
                          priorColumn: priorColumn, prior: prior)
                var eta = 0.0
                for j in 0..<columns { eta += beta[j] * Double(row[j]) }
                loss.append(LogisticRegression.softplus(eta) - (rows.grade[i] > 0 ? eta : 0))
                weight.append(Double(Self.weight(rows, i, clip: clip)))
            }
            return (loss, weight)
        }

        /// Mean (weighted) log loss of rows `subset` under the full training model.
        func logLoss(_ rows: TrainingRows, _ subset: [Int], _ beta: [Double]) -> Double {
            let (l, w) = losses(rows, subset, beta)
            let total = w.reduce(0, +)
            return total > 0 ? zip(l, w).reduce(0) { $0 + $1.0 * $1.1 } / total : 0
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

    /// The one-standard-error rule (Hastie, Tibshirani & Friedman, *The Elements of Statistical
    /// Learning*, §7.10): among the candidates, the largest λ whose mean validation loss exceeds
    /// the best one's by at most one standard error of the paired per-row difference (weighted
    /// by the rows' exposure weights). `losses[j]` are the per-row losses of `lambdas[j]`, all on
    /// the same rows.
    static func oneStandardError(lambdas: [Double], losses: [[Double]], weights: [Double]) -> Double {
        let total = weights.reduce(0, +)
        guard total > 0, !lambdas.isEmpty else { return lambdas.first ?? 0 }
        func mean(_ l: [Double]) -> Double { zip(l, weights).reduce(0) { $0 + $1.0 * $1.1 } / total }
        let means = losses.map(mean)
        let best = means.indices.min { means[$0] < means[$1] || (means[$0] == means[$1] && lambdas[$0] > lambdas[$1]) }!
        var chosen = best
        for j in lambdas.indices where lambdas[j] > lambdas[chosen] {
            // Weighted mean and standard error of the paired differences d_i = ℓ_i(λ_j) − ℓ_i(λ_best).
            var m = 0.0, s2 = 0.0
            for i in weights.indices { m += weights[i] * (losses[j][i] - losses[best][i]) }
            m /= total
            for i in weights.indices {
                let d = losses[j][i] - losses[best][i] - m
                s2 += weights[i] * d * d
            }
            let effective = total * total / weights.reduce(0) { $0 + $1 * $1 }
            let se = (s2 / total).squareRoot() / effective.squareRoot()
            if m <= se, lambdas[j] > lambdas[chosen] { chosen = j }
        }
        return lambdas[chosen]
    }
}
