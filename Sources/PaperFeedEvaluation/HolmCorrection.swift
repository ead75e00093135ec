/// Holm–Bonferroni step-down adjustment of a family of p-values (Holm, *Scand. J. Statist.*
/// 6, 1979), controlling the family-wise error rate at α without independence assumptions.
///
/// With the m p-values sorted ascending p₍₁₎ ≤ … ≤ p₍ₘ₎ (ties keep their input order):
///
///     p̃₍ᵢ₎ = min(1, max_{j ≤ i} (m − j + 1) · p₍ⱼ₎)
///
/// The running maximum makes the adjusted values monotone in the sorted order, so
/// "reject H₍ᵢ₎ iff p̃₍ᵢ₎ < α" is exactly Holm's step-down procedure. Values are returned in
/// the input order. Example: [0.01, 0.04, 0.03, 0.005] → [3·0.01, 2·0.03, 2·0.03, 4·0.005]
/// = [0.03, 0.06, 0.06, 0.02].
public enum HolmCorrection {
    public static func adjust(_ pValues: [Double]) -> [Double] {
        let m = pValues.count
        let order = pValues.indices.sorted { pValues[$0] != pValues[$1] ? pValues[$0] < pValues[$1] : $0 < $1 }
        var adjusted = [Double](repeating: 1, count: m)
        var running = 0.0
        for (rank, index) in order.enumerated() {
            running = max(running, min(1, Double(m - rank) * pValues[index]))
            adjusted[index] = running
        }
        return adjusted
    }
}
