import Foundation

/// Student's t distribution, through the regularized incomplete beta function.
///
/// For T ~ t(ν):  P(|T| ≥ |t|) = I_x(ν/2, 1/2) with x = ν / (ν + t²)
/// (Abramowitz & Stegun 26.7.1 / 26.5.27). I_x(a, b) is evaluated with the continued fraction
/// of A&S 26.5.8, summed by the modified Lentz method (Press et al., *Numerical Recipes*, 3rd
/// ed., §6.4), using the symmetry I_x(a, b) = 1 − I_{1−x}(b, a) when x > (a + 1)/(a + b + 2)
/// so that the fraction converges quickly. ln Γ comes from the C library (`lgamma`).
public enum StudentT {
    /// Two-sided tail probability P(|T| ≥ |t|) for `df` > 0 degrees of freedom.
    /// Known values: t = 2, ν = 10 → 0.073388…; t = 1, ν = 1 → 0.5 (Cauchy).
    public static func twoSidedP(t: Double, df: Double) -> Double {
        precondition(df > 0, "degrees of freedom must be positive")
        if t.isNaN { return .nan }
        if t.isInfinite { return 0 }
        let x = df / (df + t * t)
        return min(1, max(0, regularizedIncompleteBeta(x: x, a: df / 2, b: 0.5)))
    }

    /// Cumulative distribution P(T ≤ t).
    public static func cdf(t: Double, df: Double) -> Double {
        let tail = twoSidedP(t: t, df: df) / 2
        return t >= 0 ? 1 - tail : tail
    }

    /// I_x(a, b) = B(x; a, b) / B(a, b) for 0 ≤ x ≤ 1, a, b > 0.
    public static func regularizedIncompleteBeta(x: Double, a: Double, b: Double) -> Double {
        precondition(a > 0 && b > 0, "a and b must be positive")
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        // x^a (1−x)^b / (a B(a, b)), computed in logs.
        let lnFront = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x)
        if x < (a + 1) / (a + b + 2) {
            return exp(lnFront) * continuedFraction(x: x, a: a, b: b) / a
        }
        return 1 - exp(lnFront) * continuedFraction(x: 1 - x, a: b, b: a) / b
    }

    /// The continued fraction 1/(1+ d1/(1+ d2/(1+ …))) of A&S 26.5.8 by modified Lentz:
    ///   d_{2m+1} = −(a+m)(a+b+m) x / ((a+2m)(a+2m+1)),  d_{2m} = m(b−m) x / ((a+2m−1)(a+2m)).
    static func continuedFraction(x: Double, a: Double, b: Double) -> Double {
        let tiny = 1e-300, epsilon = 1e-15
        var c = 1.0
        var d = 1 - (a + b) * x / (a + 1)
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        for m in 1...10_000 {
            let m = Double(m), m2 = 2 * m
            // Even step.
            var aa = m * (b - m) * x / ((a + m2 - 1) * (a + m2))
            d = 1 + aa * d
            if abs(d) < tiny { d = tiny }
            c = 1 + aa / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            h *= d * c
            // Odd step.
            aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1))
            d = 1 + aa * d
            if abs(d) < tiny { d = tiny }
            c = 1 + aa / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < epsilon { break }
        }
        return h
    }
}
