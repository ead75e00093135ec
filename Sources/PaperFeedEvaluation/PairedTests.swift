import Foundation
import PaperFeedCore

/// Tests on paired differences d_i = value_B(reader i) − value_A(reader i), one per reader.
///
/// Conventions: all tests are two-sided; every random step draws from a `SeededGenerator`
/// passed in, so results are identical for the same seed and input order.
public enum PairedTests {
    /// Arithmetic mean (0 for no values), summed in input order.
    public static func mean(_ d: [Double]) -> Double { d.isEmpty ? 0 : d.reduce(0, +) / Double(d.count) }

    /// Sample standard deviation with the n − 1 denominator (0 for fewer than two values).
    public static func standardDeviation(_ d: [Double]) -> Double {
        guard d.count > 1 else { return 0 }
        let m = mean(d)
        return (d.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(d.count - 1)).squareRoot()
    }

    /// Standardized effect size of paired data, d_z = mean(d) / sd(d) (Cohen 1988; Lakens 2013);
    /// `nil` when the spread is (numerically) zero — the effect is then either none or unbounded.
    public static func effectSize(_ d: [Double]) -> Double? {
        let sd = standardDeviation(d)
        return hasSpread(d, sd: sd) ? mean(d) / sd : nil
    }

    /// Whether sd(d) is more than rounding noise: sd > 1e-10 · mean|d|. Differences such as
    /// (x + 0.1) − x are 0.1 only up to one ulp, and must count as constant.
    static func hasSpread(_ d: [Double], sd: Double) -> Bool {
        sd > 0 && sd > 1e-10 * d.reduce(0) { $0 + abs($1) } / Double(max(1, d.count))
    }

    /// Paired randomization (sign-flip permutation) test of H₀: the differences are symmetric
    /// around 0 (Fisher 1935; Smucker, Allan & Carterette, CIKM 2007).
    ///
    /// Statistic S = Σ s_i d_i with random signs s_i ∈ {±1} (equivalently the mean difference);
    /// p = (#{b : |S_b| ≥ |S_obs|} + 1) / (N + 1) over N random sign vectors — the +1 counts the
    /// observed assignment, so p is never 0 (Phipson & Smyth 2010). |S_b| ≥ |S_obs| is tested
    /// with a relative tolerance of 1e-12 · Σ|d_i| so that summation-order rounding cannot flip
    /// a tie; with all d_i = 0 every S_b ties and p = 1.
    public static func randomizationP(_ d: [Double], permutations: Int, generator: inout SeededGenerator) -> Double {
        guard permutations > 0 else { return 1 }
        let observed = abs(d.reduce(0, +))
        let threshold = observed - 1e-12 * d.reduce(0) { $0 + abs($1) }
        var count = 0
        for _ in 0..<permutations {
            var s = 0.0
            var bits: UInt64 = 0
            for (i, x) in d.enumerated() {
                if i % 64 == 0 { bits = generator.next() }
                s += (bits & 1) == 0 ? x : -x
                bits >>= 1
            }
            if abs(s) >= threshold { count += 1 }
        }
        return Double(count + 1) / Double(permutations + 1)
    }

    /// Paired t-test: t = mean(d) / (sd(d) / √n), ν = n − 1, p = P(|T_ν| ≥ |t|) (`StudentT`).
    /// Degenerate cases: n < 2 → p = 1; sd = 0 (or rounding noise, see `effectSize`) → p = 1
    /// when mean = 0, else p = 0.
    public static func tTestP(_ d: [Double]) -> Double {
        guard d.count > 1 else { return 1 }
        let m = mean(d), sd = standardDeviation(d)
        guard hasSpread(d, sd: sd) else { return m == 0 ? 1 : 0 }
        let t = m / (sd / Double(d.count).squareRoot())
        return StudentT.twoSidedP(t: t, df: Double(d.count - 1))
    }

    /// Percentile bootstrap confidence interval of the mean of `d` (Efron & Tibshirani 1993,
    /// ch. 13): B resamples of n readers drawn with replacement, the mean of each, and the
    /// (1−level)/2 and (1+level)/2 quantiles of those B means (linear interpolation between
    /// order statistics, Hyndman & Fan type 7). Empty input → (0, 0).
    public static func bootstrapCI(_ d: [Double], resamples: Int, level: Double = 0.95,
                                   generator: inout SeededGenerator) -> (low: Double, high: Double) {
        guard !d.isEmpty, resamples > 0 else { return (0, 0) }
        let n = d.count
        var means = [Double](repeating: 0, count: resamples)
        for b in 0..<resamples {
            var s = 0.0
            for _ in 0..<n { s += d[Int(generator.next() % UInt64(n))] }
            means[b] = s / Double(n)
        }
        means.sort()
        return (quantile(sorted: means, (1 - level) / 2), quantile(sorted: means, (1 + level) / 2))
    }

    /// Type-7 quantile of ascending values: x[h] interpolated at h = (n − 1)·q.
    public static func quantile(sorted x: [Double], _ q: Double) -> Double {
        guard !x.isEmpty else { return 0 }
        let h = Double(x.count - 1) * min(1, max(0, q))
        let lo = Int(h.rounded(.down)), hi = min(lo + 1, x.count - 1)
        return x[lo] + (h - Double(lo)) * (x[hi] - x[lo])
    }
}
