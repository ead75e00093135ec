import Foundation
import LinearAlgebra
import PaperFeedCore

/// Scratch memory of one scoring worker, reused from block to block so that scoring a reader
/// allocates nothing but its output: the block's profiles (rows × d), its similarity matrix
/// (rows × candidates), one flag byte per candidate (0 open, 1 excluded, 2 skipped), the
/// per-chunk minima and maxima of the current row (and a copy to select from), and the canonical cosine
/// of every candidate rescored for the current reader (valid only for those).
final class ScoringWorkspace {
    var profiles: DenseMatrix
    var sims: DenseMatrix
    var flags: [UInt8]
    var chunkMin: [Float]
    var chunkMax: [Float]
    var chunkScratch: [Float]
    var cosine: [Float]
    var excluded: [Int32] = []
    var skipped: [Int32] = []
    var shortlist: [Int32] = []
    var rescore: [Int32] = []

    init(rows: Int, dimensions: Int, candidates: Int) {
        profiles = DenseMatrix(zeros: rows, dimensions)
        sims = DenseMatrix(zeros: rows, candidates)
        flags = [UInt8](repeating: 0, count: candidates)
        let chunks = (candidates + rowChunk - 1) / rowChunk
        chunkMin = [Float](repeating: 0, count: chunks)
        chunkMax = [Float](repeating: 0, count: chunks)
        chunkScratch = [Float](repeating: 0, count: chunks)
        cosine = [Float](repeating: 0, count: candidates)
    }
}

extension BlendRanker {
    /// Scores a block of readers against every candidate with one sgemm
    /// (rows × d)·(candidates × d)ᵀ, then, per reader, finds min and max of its row, and keeps the
    /// top k of `(sim − min)·scale + itemTerm` with a heap fed only by items above a floor and its
    /// threshold. Read papers are excluded (flag bytes, −∞ in the row); skipped papers are scored
    /// apart with the penalty. The block has `workspace.profiles.rows` rows (the rest
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
    /// in sgemm and two linear passes over the row (min/max; score map with chunk maxima), plus
    /// a look into the few chunks above the floor (`roughCut`). The canonical cosines of the
    /// rescored candidates are kept in `ws.cosine` for the breakdown.
    private func scoreReader(_ h: ReaderHistory, sims s: UnsafeMutableBufferPointer<Float>, k: Int,
                             workspace ws: ScoringWorkspace) -> RankedList {
        let n = s.count
        let cold = h.isCold
        let w = cold ? configuration.coldStartWeights : configuration.weights
        let epsilon = 2.2 * Float(space.dimensions) * 0x1p-24
        var lo: Float = 0, scale: Float = 0
        if !cold, w.content > 0, n > 0 {
            var mn = Float.infinity, mx = -Float.infinity
            ws.chunkMin.withUnsafeMutableBufferPointer { cmin in
                ws.chunkMax.withUnsafeMutableBufferPointer { cmax in
                    let (lo, hi) = (cmin.baseAddress!, cmax.baseAddress!)
                    let (amin, amax) = chunkMinMax(s.baseAddress!, count: n, chunkMin: lo, chunkMax: hi)
                    forEachOutside(s.baseAddress!, count: n, chunkMin: lo, chunkMax: hi,
                                   below: amin + 2 * epsilon, above: amax - 2 * epsilon) { j in
                        let c = exactCosine(h, j)
                        mn = min(mn, c)
                        mx = max(mx, c)
                    }
                }
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
        ws.excluded.removeAll(keepingCapacity: true)
        ws.skipped.removeAll(keepingCapacity: true)
        if configuration.candidates.excludeRead {
            for p in h.read {
                if let c = candidateIndex[p] {
                    ws.flags[Int(c)] = 1
                    ws.excluded.append(c)
                }
            }
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
                ws.cosine.withUnsafeMutableBufferPointer { buffer in
                    let cosine = buffer
                    let exact = { (j: Int) -> Float in
                        guard scale != 0 else { return item[j] }
                        let c = self.exactCosine(h, j)
                        cosine[j] = c
                        return (c - lo) * scale + item[j]
                    }
                    if scale == 0 {
                        offerAll(item, flags: flags, margin: 0, shortlist: &ws.shortlist, into: &top)
                    } else {
                        let cut = roughCut(row: s, item: item, flags: flags, lo: lo, scale: scale, margin: 2 * delta, pool: pool, workspace: ws)
                        ws.rescore.removeAll(keepingCapacity: true)
                        for c in ws.shortlist where s[Int(c)] >= cut { ws.rescore.append(c) }
                        ws.rescore.withUnsafeBufferPointer { exactCosines(h, $0, into: cosine) }
                        for c in ws.rescore { top.offer((cosine[Int(c)] - lo) * scale + item[Int(c)], c) }
                    }
                    for c in ws.skipped { top.offer(exact(Int(c)) - penalty, c) }
                }
            }
        }
        for c in ws.excluded { ws.flags[Int(c)] = 0 }
        for c in ws.skipped { ws.flags[Int(c)] = 0 }

        let picked = top.sorted()
        let lambda = Float(configuration.diversity.lambda)
        let chosen: [(index: Int32, score: Float, redundancy: Float)] =
            diversify ? mmr(picked, k: k) : picked.map { (index: $0.index, score: $0.score, redundancy: 0) }
        // Under MMR the listed score is λ·blend − (1 − λ)·redundancy, so each part is scaled by λ.
        let f = diversify ? Double(lambda) : 1
        let (wt, wf, wfr) = (f * w.trend, f * w.feedback, f * w.freshness)
        let skipPart = -f * configuration.feedback.skipPenalty
        let items = ws.cosine.withUnsafeBufferPointer { cosine in
            chosen.map { p -> RankedItem in
                let j = Int(p.index)
                var signals = SignalBreakdown()
                signals[.content] = scale == 0 ? 0 : f * Double((cosine[j] - lo) * scale)
                signals[.trend] = wt * Double(normalizedTrend[j])
                signals[.feedback] = wf * Double(normalizedFeedback[j])
                signals[.freshness] = wfr * Double(normalizedFreshness[j])
                if ws.skipped.contains(p.index) { signals[.skipPenalty] = skipPart }
                if diversify { signals[.diversity] = -Double(1 - lambda) * Double(p.redundancy) }
                return RankedItem(paper: candidateIDs[j], score: Double(p.score), signals: signals)
            }
        }
        return RankedList(user: h.user, items: items)
    }

    /// Turns the sgemm row into approximate scores in place, row[j] ← (row[j] − lo)·scale + item[j]
    /// (read and skipped candidates ← −∞: excluded or scored apart), and returns the cut: every
    /// open candidate whose exact score can reach the top `pool` has a row value ≥ cut and is in
    /// `ws.shortlist` (see `scoreReader`).
    ///
    /// Floor F: the pool-th largest of the chunk maxima. Those maxima are the scores of `pool`
    /// distinct open candidates, so the pool-th best approximate score A is ≥ F and chunks whose
    /// maximum is below F − margin hold nothing needed. With candidates in random order only about
    /// k chunks are opened and about k candidates are offered to the rough heap (instead of
    /// k·ln(n/k) heap offers as its threshold rises from −∞). The rough heap still ends with the
    /// exact top `pool`, so cut = A − margin as without the floor.
    private func roughCut(row: UnsafeMutableBufferPointer<Float>, item: UnsafeBufferPointer<Float>, flags: UnsafeBufferPointer<UInt8>,
                          lo: Float, scale: Float, margin: Float, pool: Int, workspace ws: ScoringWorkspace) -> Float {
        let n = row.count
        ws.shortlist.removeAll(keepingCapacity: true)
        guard n > 0, let r = row.baseAddress, let it = item.baseAddress else { return -.infinity }
        let chunks = (n + rowChunk - 1) / rowChunk
        var rough = TopK(k: pool, capacity: n)
        ws.chunkMax.withUnsafeMutableBufferPointer { cm in
            let m = cm.baseAddress!
            scoreRow(r, item: it, count: n, lo: lo, scale: scale, chunkMax: m)
            for list in [ws.excluded, ws.skipped] {
                for c in list {
                    r[Int(c)] = -.infinity
                    refreshChunkMax(r, count: n, chunkMax: m, at: Int(c))
                }
            }
            var floor = -Float.infinity
            if pool >= 1, pool <= chunks {
                ws.chunkScratch.withUnsafeMutableBufferPointer { sc in
                    sc.baseAddress!.update(from: m, count: chunks)
                    floor = kthLargest(sc.baseAddress!, count: chunks, rank: pool)
                }
            }
            offerAll(UnsafeBufferPointer(row), flags: flags, margin: margin, floor: floor,
                     chunkMax: UnsafeBufferPointer(cm), shortlist: &ws.shortlist, into: &rough)
        }
        return rough.threshold - margin
    }

    /// Offers every open candidate (flag 0) with score ≥ `floor` that beats the heap's threshold,
    /// in index order (so an item equal to the threshold can be skipped: it would lose the tie).
    /// The caller guarantees that the final top holds only scores ≥ `floor`. With `margin` > 0,
    /// every open candidate within `margin` below max(threshold, floor) at its turn goes to
    /// `shortlist` too (a superset of those within `margin` of the final threshold). Chunks of 32
    /// whose maximum (`chunkMax`, or computed) is below that limit − margin are skipped.
    private func offerAll(_ x: UnsafeBufferPointer<Float>, flags: UnsafeBufferPointer<UInt8>, margin: Float,
                          floor: Float = -.infinity, chunkMax: UnsafeBufferPointer<Float>? = nil,
                          shortlist: inout [Int32], into top: inout TopK) {
        guard let p = x.baseAddress else { return }
        let n = x.count
        var heap = top.threshold
        var limit = max(heap, floor) - margin
        var start = 0
        while start < n {
            let end = min(start + rowChunk, n)
            let m = chunkMax?[start / rowChunk] ?? (end - start < rowChunk ? Float.infinity : chunkMax32(p + start))
            if m >= limit {
                for j in start..<end where x[j] >= limit && flags[j] == 0 {
                    if margin > 0 { shortlist.append(Int32(j)) }
                    if x[j] > heap && x[j] >= floor {
                        top.offer(x[j], Int32(j))
                        heap = top.threshold
                        limit = max(heap, floor) - margin
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
