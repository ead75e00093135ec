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
    var shortlist: [(Float, Int32)] = []

    init(rows: Int, dimensions: Int, candidates: Int) {
        profiles = DenseMatrix(zeros: rows, dimensions)
        sims = DenseMatrix(zeros: rows, candidates)
        flags = [UInt8](repeating: 0, count: candidates)
    }
}

extension BlendRanker {
    /// Scores a block of readers against every candidate with one sgemm
    /// (rows × d)·(candidates × d)ᵀ, then, per reader, finds min and max of its row, and keeps the
    /// top k of `(sim − min)·scale + itemTerm` with a heap fed only by items above its threshold
    /// (8 candidates at a time). Read papers are excluded through the flag bytes; skipped papers
    /// are scored apart with the penalty. The profile block always has `workspace.profiles.rows`
    /// rows (zero-padded), so every sgemm call has the same shape whatever the number of readers.
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
            lists.append(ws.sims.values.withUnsafeBufferPointer { all in
                scoreReader(h, sims: UnsafeBufferPointer(rebasing: all[(r * n)..<((r + 1) * n)]), k: k, workspace: ws)
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
    /// whose approximate score is ≥ (approximate k-th best) − 2δ. So the list is exact and the
    /// same for any block layout, while the heavy work stays in sgemm and one SIMD pass.
    private func scoreReader(_ h: ReaderHistory, sims s: UnsafeBufferPointer<Float>, k: Int,
                             workspace ws: ScoringWorkspace) -> RankedList {
        let n = s.count
        let cold = h.isCold
        let w = cold ? configuration.coldStartWeights : configuration.weights
        let epsilon = 2.2 * Float(space.dimensions) * 0x1p-24
        var lo: Float = 0, scale: Float = 0
        if !cold, w.content > 0, n > 0 {
            let (amin, amax) = minAndMax(s)
            var mn = Float.infinity, mx = -Float.infinity
            forEachOutside(s, below: amin + 2 * epsilon, above: amax - 2 * epsilon) { j in
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
                    offerAll(s, item: item, flags: flags, lo: 0, scale: 0, margin: 0, shortlist: &ws.shortlist, into: &top)
                } else {
                    var rough = TopK(k: pool, capacity: n)
                    ws.shortlist.removeAll(keepingCapacity: true)
                    offerAll(s, item: item, flags: flags, lo: lo, scale: scale, margin: 2 * delta, shortlist: &ws.shortlist, into: &rough)
                    let cut = rough.threshold - 2 * delta
                    for (x, c) in ws.shortlist where x >= cut { top.offer(exact(Int(c)), c) }
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
            var signals: [String: Double] = [:]
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

    /// The canonical cosine of the reader's profile and candidate `j`: one dot product in index
    /// order (no SIMD reassociation), so it is the same wherever it is computed.
    @inline(__always) func exactCosine(_ h: ReaderHistory, _ j: Int) -> Float {
        let d = space.dimensions
        return h.profile.withUnsafeBufferPointer { p in
            candidateMatrix.values.withUnsafeBufferPointer { e in
                var sum: Float = 0
                let base = j * d
                for i in 0..<d { sum += p[i] * e[base + i] }
                return sum
            }
        }
    }

    /// Offers every open candidate (flag 0) whose score beats the heap's threshold, in index order.
    /// score = (s − lo)·scale + item, or item alone when scale = 0 (cold reader, flat row). With
    /// `margin` > 0, every open candidate within `margin` below the threshold at its turn is also
    /// appended to `shortlist` (a superset of those within margin of the final threshold).
    private func offerAll(_ s: UnsafeBufferPointer<Float>, item: UnsafeBufferPointer<Float>, flags: UnsafeBufferPointer<UInt8>,
                          lo: Float, scale: Float, margin: Float, shortlist: inout [(Float, Int32)], into top: inout TopK) {
        let n = s.count
        guard n > 0, let sp = s.baseAddress, let ip = item.baseAddress else { return }
        var thr = top.threshold
        var j = 0
        @inline(__always) func scalar(_ j: Int, _ x: Float) {
            if x > thr - margin, flags[j] == 0 {
                if margin > 0 { shortlist.append((x, Int32(j))) }
                if x > thr {
                    top.offer(x, Int32(j))
                    thr = top.threshold
                }
            }
        }
        if scale == 0 {
            while j + 8 <= n {
                let v = UnsafeRawPointer(ip + j).loadUnaligned(as: SIMD8<Float>.self)
                if any(v .> SIMD8(repeating: thr - margin)) { for l in 0..<8 { scalar(j + l, v[l]) } }
                j += 8
            }
            while j < n { scalar(j, ip[j]); j += 1 }
        } else {
            let vlo = SIMD8<Float>(repeating: lo), vscale = SIMD8<Float>(repeating: scale)
            while j + 8 <= n {
                let a = UnsafeRawPointer(sp + j).loadUnaligned(as: SIMD8<Float>.self)
                let b = UnsafeRawPointer(ip + j).loadUnaligned(as: SIMD8<Float>.self)
                let v = (a - vlo) * vscale + b
                if any(v .> SIMD8(repeating: thr - margin)) { for l in 0..<8 { scalar(j + l, v[l]) } }
                j += 8
            }
            while j < n { scalar(j, (sp[j] - lo) * scale + ip[j]); j += 1 }
        }
    }

    /// Cosines closer than this (max − min) count as all equal: Float32 rounding noise of a
    /// d-term dot product of unit vectors is far below it, and stretching noise to [0, w] would
    /// rank at random.
    static let flatSpread: Float = 1e-5
}

/// Minimum and maximum of a non-empty buffer of finite floats, 16 at a time.
func minAndMax(_ s: UnsafeBufferPointer<Float>) -> (Float, Float) {
    let n = s.count
    guard let p = s.baseAddress, n > 0 else { return (0, 0) }
    var lo0 = SIMD8<Float>(repeating: .infinity), hi0 = SIMD8<Float>(repeating: -.infinity)
    var lo1 = lo0, hi1 = hi0
    var j = 0
    while j + 16 <= n {
        let a = UnsafeRawPointer(p + j).loadUnaligned(as: SIMD8<Float>.self)
        let b = UnsafeRawPointer(p + j + 8).loadUnaligned(as: SIMD8<Float>.self)
        lo0 = pointwiseMin(lo0, a); hi0 = pointwiseMax(hi0, a)
        lo1 = pointwiseMin(lo1, b); hi1 = pointwiseMax(hi1, b)
        j += 16
    }
    var lo = pointwiseMin(lo0, lo1).min(), hi = pointwiseMax(hi0, hi1).max()
    while j < n {
        lo = Swift.min(lo, p[j])
        hi = Swift.max(hi, p[j])
        j += 1
    }
    return (lo, hi)
}

/// Calls `body(j)` for every j with s[j] ≤ low or s[j] ≥ high, in index order, 8 at a time.
@inline(__always) func forEachOutside(_ s: UnsafeBufferPointer<Float>, below low: Float, above high: Float, _ body: (Int) -> Void) {
    let n = s.count
    guard let p = s.baseAddress else { return }
    let vl = SIMD8<Float>(repeating: low), vh = SIMD8<Float>(repeating: high)
    var j = 0
    while j + 8 <= n {
        let v = UnsafeRawPointer(p + j).loadUnaligned(as: SIMD8<Float>.self)
        if any((v .<= vl) .| (v .>= vh)) {
            for l in 0..<8 where v[l] <= low || v[l] >= high { body(j + l) }
        }
        j += 8
    }
    while j < n {
        if p[j] <= low || p[j] >= high { body(j) }
        j += 1
    }
}
