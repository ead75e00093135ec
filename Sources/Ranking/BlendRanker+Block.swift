import Foundation
import LinearAlgebra
import PaperFeedCore

/// Scratch memory of one scoring worker, reused from block to block so that scoring a reader
/// allocates nothing but its output: the block's profiles (rows × d), its similarity matrix
/// (rows × candidates) and one flag byte per candidate (0 open, 1 excluded, 2 skipped).
final class ScoringWorkspace {
    var profiles: DenseMatrix
    var sims: DenseMatrix
    var flags: [UInt8]
    var skipped: [Int32] = []
    var shortlist: [Int32] = []

    init(rows: Int, dimensions: Int, candidates: Int) {
        profiles = DenseMatrix(zeros: rows, dimensions)
        sims = DenseMatrix(zeros: rows, candidates)
        flags = [UInt8](repeating: 0, count: candidates)
    }
}

extension BlendRanker {
    /// Scores a block of readers against every candidate with one sgemm
    /// (rows × d)·(candidates × d)ᵀ, then, per reader, finds min and max of its row, and keeps the
    /// top k of `(sim − min)·scale + itemTerm` with a heap fed only by items above its threshold.
    /// Read papers are excluded through the flag bytes; skipped papers
    /// are scored apart with the penalty. The block has `workspace.profiles.rows` rows (the rest
    /// zero), so a worker's sgemm calls all have one shape; exactness does not depend on it.
    func scoreBlock(_ users: ArraySlice<UserID>, k: Int, workspace ws: ScoringWorkspace) throws -> [RankedList] {
        let n = candidateRows.count
        let d = space.dimensions
        precondition(users.count <= ws.profiles.rows, "block larger than its workspace")
        let hs = users.map { history($0) }
        for i in ws.profiles.values.indices { ws.profiles.values[i] = 0 }
        for (r, h) in hs.enumerated() {
            for j in 0..<d { ws.profiles.values[r * d + j] = h.profile[j] }
        }
        if n > 0, hs.contains(where: { !$0.isCold }) {
            try BLAS.gemm(ws.profiles, candidateMatrix, transposeB: true, into: &ws.sims)
        }
        var lists: [RankedList] = []
        lists.reserveCapacity(hs.count)
        for (r, h) in hs.enumerated() {
            lists.append(ws.sims.values.withUnsafeMutableBufferPointer { all in
                scoreReader(h, sims: UnsafeMutableBufferPointer(rebasing: all[(r * n)..<((r + 1) * n)]), k: k, workspace: ws)
            })
        }
        return lists
    }

    /// One reader's list from its row of sgemm cosines `s`.
    ///
    /// sgemm's rounding depends on where a reader sits in the block, so its cosines are used
    /// only to find candidates: every value that reaches the list (min, max, scores) is the
    /// canonical cosine `exactCosine` (one fixed-order dot product). Both differ from the true
    /// cosine by at most γ_d = d·2⁻²⁴ (unit vectors), so |sgemm − canonical| ≤ ε = 2.2·γ_d and a
    /// score differs by at most δ = ε·scale + 1e-6. The canonical min is among the candidates
    /// within 2ε of the sgemm min (same for max); the canonical top k is among the candidates
    /// whose approximate score is ≥ (approximate k-th best) − 2δ, rescored exactly (about k of
    /// them). So the list is exact and the same for any block layout, while the heavy work stays
    /// in sgemm and a few linear passes over the row (min/max, score map, heap feed, cut).
    private func scoreReader(_ h: ReaderHistory, sims s: UnsafeMutableBufferPointer<Float>, k: Int,
                             workspace ws: ScoringWorkspace) -> RankedList {
        let n = s.count
        let cold = h.isCold
        let w = cold ? configuration.coldStartWeights : configuration.weights
        let epsilon = 2.2 * Float(space.dimensions) * 0x1p-24
        var lo: Float = 0, scale: Float = 0
        if !cold, w.content > 0, n > 0 {
            let (amin, amax) = minAndMax(UnsafeBufferPointer(s))
            var mn = Float.infinity, mx = -Float.infinity
            forEachOutside(UnsafeBufferPointer(s), below: amin + 2 * epsilon, above: amax - 2 * epsilon) { j in
                let c = exactCosine(h, j)
                mn = min(mn, c)
                mx = max(mx, c)
            }
            if mx - mn > BlendRanker.flatSpread {
                lo = mn
                scale = Float(w.content) / (mx - mn)
            }
        }
        let delta = scale == 0 ? 0 : epsilon * scale * 1.01 + 1e-6
        let penalty = Float(configuration.feedback.skipPenalty)
        let diversify = configuration.diversity.enabled
        var pool = k
        if diversify {
            let (p, overflow) = k.multipliedReportingOverflow(by: max(1, configuration.diversity.poolFactor))
            pool = overflow ? Int.max : p
        }
        ws.skipped.removeAll(keepingCapacity: true)
        if configuration.candidates.excludeRead {
            for p in h.read { if let c = candidateIndex[p] { ws.flags[Int(c)] = 1 } }
        }
        for p in h.skipped {
            if let c = candidateIndex[p], ws.flags[Int(c)] == 0 {
                ws.flags[Int(c)] = 2
                ws.skipped.append(c)
            }
        }
        var top = TopK(k: pool, capacity: n)
        (cold ? coldItemTerm : warmItemTerm).withUnsafeBufferPointer { item in
            ws.flags.withUnsafeBufferPointer { flags in
                let exact = { (j: Int) -> Float in scale == 0 ? item[j] : (self.exactCosine(h, j) - lo) * scale + item[j] }
                if scale == 0 {
                    offerAll(item, flags: flags, margin: 0, shortlist: &ws.shortlist, into: &top)
                } else {
                    // Approximate scores, in place of the (no longer needed) sgemm row.
                    let row = s
                    for j in 0..<n { row[j] = (row[j] - lo) * scale + item[j] }
                    var rough = TopK(k: pool, capacity: n)
                    ws.shortlist.removeAll(keepingCapacity: true)
                    offerAll(UnsafeBufferPointer(row), flags: flags, margin: 2 * delta, shortlist: &ws.shortlist, into: &rough)
                    let cut = rough.threshold - 2 * delta
                    for c in ws.shortlist where row[Int(c)] >= cut { top.offer(exact(Int(c)), c) }
                }
                for c in ws.skipped { top.offer(exact(Int(c)) - penalty, c) }
            }
        }
        if configuration.candidates.excludeRead {
            for p in h.read { if let c = candidateIndex[p] { ws.flags[Int(c)] = 0 } }
        }
        for c in ws.skipped { ws.flags[Int(c)] = 0 }

        let picked = top.sorted()
        let lambda = Float(configuration.diversity.lambda)
        let chosen: [(index: Int32, score: Float, redundancy: Float)] =
            diversify ? mmr(picked, k: k) : picked.map { (index: $0.index, score: $0.score, redundancy: 0) }
        let items = chosen.map { p -> RankedItem in
            let j = Int(p.index)
            // Under MMR the listed score is λ·blend − (1 − λ)·redundancy, so each part is scaled by λ.
            let f = diversify ? Double(lambda) : 1
            var signals = [String: Double](minimumCapacity: 6)
            signals[Signal.content.rawValue] = scale == 0 ? 0 : f * Double((exactCosine(h, j) - lo) * scale)
            signals[Signal.trend.rawValue] = f * w.trend * Double(normalizedTrend[j])
            signals[Signal.feedback.rawValue] = f * w.feedback * Double(normalizedFeedback[j])
            signals[Signal.freshness.rawValue] = f * w.freshness * Double(normalizedFreshness[j])
            if ws.skipped.contains(p.index) { signals["skip_penalty"] = -f * configuration.feedback.skipPenalty }
            if diversify { signals["diversity"] = -Double(1 - lambda) * Double(p.redundancy) }
            return RankedItem(paper: candidateIDs[j], score: Double(p.score), signals: signals)
        }
        return RankedList(user: h.user, items: items)
    }

    /// The canonical cosine of the reader's profile and candidate `j`: one dot product with a
    /// fixed summation order — eight interleaved partial sums (lane i mod 8), combined pairwise,
    /// then the tail — so it is the same wherever it is computed, and 8 independent chains keep
    /// it fast. Its rounding error is within the γ_d bound used above.
    @inline(__always) func exactCosine(_ h: ReaderHistory, _ j: Int) -> Float {
        let d = space.dimensions
        return h.profile.withUnsafeBufferPointer { p in
            candidateMatrix.values.withUnsafeBufferPointer { e in
                let base = j * d
                var s0: Float = 0, s1: Float = 0, s2: Float = 0, s3: Float = 0
                var s4: Float = 0, s5: Float = 0, s6: Float = 0, s7: Float = 0
                var i = 0
                while i + 8 <= d {
                    s0 += p[i] * e[base + i]
                    s1 += p[i + 1] * e[base + i + 1]
                    s2 += p[i + 2] * e[base + i + 2]
                    s3 += p[i + 3] * e[base + i + 3]
                    s4 += p[i + 4] * e[base + i + 4]
                    s5 += p[i + 5] * e[base + i + 5]
                    s6 += p[i + 6] * e[base + i + 6]
                    s7 += p[i + 7] * e[base + i + 7]
                    i += 8
                }
                var sum = ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7))
                while i < d {
                    sum += p[i] * e[base + i]
                    i += 1
                }
                return sum
            }
        }
    }

    /// Offers every open candidate (flag 0) whose score beats the heap's threshold, in index
    /// order (so an item equal to the threshold can be skipped: it would lose the tie). With
    /// `margin` > 0, every open candidate within `margin` below the threshold at its turn goes to
    /// `shortlist` too (a superset of those within `margin` of the final threshold). Chunks of 32
    /// whose maximum is below the threshold − margin are skipped after a vectorizable max.
    private func offerAll(_ x: UnsafeBufferPointer<Float>, flags: UnsafeBufferPointer<UInt8>, margin: Float,
                          shortlist: inout [Int32], into top: inout TopK) {
        guard let p = x.baseAddress else { return }
        let n = x.count
        var thr = top.threshold
        var start = 0
        while start < n {
            let end = min(start + 32, n)
            if end - start < 32 || chunkMax32(p + start) > thr - margin {
                for j in start..<end where x[j] > thr - margin && flags[j] == 0 {
                    if margin > 0 { shortlist.append(Int32(j)) }
                    if x[j] > thr {
                        top.offer(x[j], Int32(j))
                        thr = top.threshold
                    }
                }
            }
            start = end
        }
    }

    /// Cosines closer than this (max − min) count as all equal: Float32 rounding noise of a
    /// d-term dot product of unit vectors is far below it, and stretching noise to [0, w] would
    /// rank at random.
    static let flatSpread: Float = 1e-5
}

/// Minimum and maximum of a buffer of finite floats (0, 0 when empty), with 8 independent
/// accumulators so the compiler can keep them in vector registers.
func minAndMax(_ s: UnsafeBufferPointer<Float>) -> (Float, Float) {
    let n = s.count
    guard let p = s.baseAddress, n > 0 else { return (0, 0) }
    var lo = (p[0], p[0], p[0], p[0], p[0], p[0], p[0], p[0]), hi = lo
    var j = 0
    while j + 8 <= n {
        let q = p + j
        lo.0 = q[0] < lo.0 ? q[0] : lo.0; hi.0 = q[0] > hi.0 ? q[0] : hi.0
        lo.1 = q[1] < lo.1 ? q[1] : lo.1; hi.1 = q[1] > hi.1 ? q[1] : hi.1
        lo.2 = q[2] < lo.2 ? q[2] : lo.2; hi.2 = q[2] > hi.2 ? q[2] : hi.2
        lo.3 = q[3] < lo.3 ? q[3] : lo.3; hi.3 = q[3] > hi.3 ? q[3] : hi.3
        lo.4 = q[4] < lo.4 ? q[4] : lo.4; hi.4 = q[4] > hi.4 ? q[4] : hi.4
        lo.5 = q[5] < lo.5 ? q[5] : lo.5; hi.5 = q[5] > hi.5 ? q[5] : hi.5
        lo.6 = q[6] < lo.6 ? q[6] : lo.6; hi.6 = q[6] > hi.6 ? q[6] : hi.6
        lo.7 = q[7] < lo.7 ? q[7] : lo.7; hi.7 = q[7] > hi.7 ? q[7] : hi.7
        j += 8
    }
    var mn = min(min(min(lo.0, lo.1), min(lo.2, lo.3)), min(min(lo.4, lo.5), min(lo.6, lo.7)))
    var mx = max(max(max(hi.0, hi.1), max(hi.2, hi.3)), max(max(hi.4, hi.5), max(hi.6, hi.7)))
    while j < n {
        mn = min(mn, p[j])
        mx = max(mx, p[j])
        j += 1
    }
    return (mn, mx)
}

/// Calls `body(j)` for every j with s[j] ≤ low or s[j] ≥ high, in index order; chunks of 32
/// entirely inside (low, high) are skipped after a vectorizable min/max.
@inline(__always) func forEachOutside(_ s: UnsafeBufferPointer<Float>, below low: Float, above high: Float, _ body: (Int) -> Void) {
    guard let p = s.baseAddress else { return }
    var start = 0
    while start < s.count {
        let end = min(start + 32, s.count)
        var hit = end - start < 32
        if !hit {
            let (mn, mx) = minAndMax(UnsafeBufferPointer(start: p + start, count: 32))
            hit = mn <= low || mx >= high
        }
        if hit { for j in start..<end where s[j] <= low || s[j] >= high { body(j) } }
        start = end
    }
}

/// max of p[0..<32], 8 independent accumulators (maxps).
@inline(__always) func chunkMax32(_ p: UnsafePointer<Float>) -> Float {
    var m = (p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7])
    var j = 8
    while j < 32 {
        let q = p + j
        m.0 = q[0] > m.0 ? q[0] : m.0; m.1 = q[1] > m.1 ? q[1] : m.1
        m.2 = q[2] > m.2 ? q[2] : m.2; m.3 = q[3] > m.3 ? q[3] : m.3
        m.4 = q[4] > m.4 ? q[4] : m.4; m.5 = q[5] > m.5 ? q[5] : m.5
        m.6 = q[6] > m.6 ? q[6] : m.6; m.7 = q[7] > m.7 ? q[7] : m.7
        j += 8
    }
    return max(max(max(m.0, m.1), max(m.2, m.3)), max(max(m.4, m.5), max(m.6, m.7)))
}
