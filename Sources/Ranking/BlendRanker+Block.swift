import Foundation
import LinearAlgebra
import PaperFeedCore

/// Scratch memory of one scoring worker, reused from block to block so that scoring a reader
/// allocates little beyond its output: the block's queries (rows × columns), its score matrix
/// (rows × candidates), one flag byte per candidate (0 open, 1 excluded, 2 adjusted), the
/// per-chunk maxima of the current row (and a copy to select from), the canonical dot of every
/// candidate rescored for the current reader (valid only for those), and the adjustment of
/// every adjusted candidate.
final class ScoringWorkspace {
    var profiles: DenseMatrix
    var sims: DenseMatrix
    var flags: [UInt8]
    var chunkMax: [Float]
    var chunkScratch: [Float]
    var exact: [Float]
    var adjustment: [Float]
    var excluded: [Int32] = []
    var adjusted: [Int32] = []
    var shortlist: [Int32] = []
    var rescore: [Int32] = []

    init(rows: Int, columns: Int, candidates: Int) {
        profiles = DenseMatrix(zeros: rows, columns)
        sims = DenseMatrix(zeros: rows, candidates)
        flags = [UInt8](repeating: 0, count: candidates)
        let chunks = (candidates + rowChunk - 1) / rowChunk
        chunkMax = [Float](repeating: 0, count: chunks)
        chunkScratch = [Float](repeating: 0, count: chunks)
        exact = [Float](repeating: 0, count: candidates)
        adjustment = [Float](repeating: 0, count: candidates)
    }
}

/// One reader's side of the plan: the query lives in the workspace row; these are the rest.
struct ReaderPlan {
    struct Dot {
        var signal: Signal
        var vector: ScoringPlan.ReaderVector
        var coefficient: Float
        var constant: Double
    }
    struct Adjustment {
        var index: Int32
        var total: Float
        var parts: [(signal: Signal, value: Double)]
    }
    var history: ReaderHistory
    var shares: [Float]
    /// b_u.
    var constant: Float
    var zeroQuery: Bool
    var coldItems: Bool
    var dots: [Dot]
    var adjustments: [Adjustment]
}

extension BlendRanker {
    /// Scores a block of readers against every candidate with one sgemm (rows × D)·(candidates × D)ᵀ
    /// of their queries (`ScoringPlan`), then, per reader, keeps the top k of
    /// q·X + b + item with a heap fed only by items above a floor and its threshold. Read papers are
    /// excluded (flag bytes, −∞ in the row); adjusted papers are scored apart. The block has
    /// `workspace.profiles.rows` rows (the rest zero), so a worker's sgemm calls all have one
    /// shape; exactness does not depend on it.
    func scoreBlock(_ users: ArraySlice<UserID>, k: Int, workspace ws: ScoringWorkspace) throws -> [RankedList] {
        let n = candidateRows.count
        let columns = plan.columns
        precondition(users.count <= ws.profiles.rows, "block larger than its workspace")
        for i in ws.profiles.values.indices { ws.profiles.values[i] = 0 }
        var plans: [ReaderPlan] = []
        plans.reserveCapacity(users.count)
        for (r, user) in users.enumerated() {
            plans.append(ws.profiles.values.withUnsafeMutableBufferPointer { all in
                readerPlan(history(user), query: UnsafeMutableBufferPointer(rebasing: all[(r * columns)..<((r + 1) * columns)]))
            })
        }
        let anyQuery = plans.contains { !$0.zeroQuery }
        if n > 0, columns > 0, anyQuery {
            try BLAS.gemm(ws.profiles, plan.matrix, transposeB: true, into: &ws.sims)
        }
        var lists: [RankedList] = []
        lists.reserveCapacity(plans.count)
        for (r, p) in plans.enumerated() {
            lists.append(ws.sims.values.withUnsafeMutableBufferPointer { all in
                ws.profiles.values.withUnsafeBufferPointer { queries in
                    scoreReader(p, query: UnsafeBufferPointer(rebasing: queries[(r * columns)..<((r + 1) * columns)]),
                                sims: UnsafeMutableBufferPointer(rebasing: all[(r * n)..<((r + 1) * n)]), k: k, workspace: ws)
                }
            })
        }
        return lists
    }

    /// One reader's list from its row of sgemm values `s`.
    ///
    /// sgemm's rounding depends on where a reader sits in the block, so its values are used only
    /// to find candidates: every value that reaches the list is the canonical dot `exactDot` (fixed
    /// order per segment, segments in order). Both differ from the true q·X_c by at most
    /// γ_D·|q|·|X_c| (γ_D = D·2⁻²⁴), so a score differs by at most δ (below, with the rounding of
    /// the two additions); the canonical top k is among the candidates whose approximate score is
    /// ≥ (approximate k-th best) − 2δ, rescored exactly (about k of them). So the list is exact and
    /// the same for any block layout, while the heavy work stays in sgemm and one linear pass over
    /// the row (score map with chunk maxima), plus a look into the few chunks above the floor
    /// (`roughCut`). The canonical dots of the rescored candidates are kept in `ws.exact`.
    private func scoreReader(_ p: ReaderPlan, query q: UnsafeBufferPointer<Float>, sims s: UnsafeMutableBufferPointer<Float>, k: Int,
                             workspace ws: ScoringWorkspace) -> RankedList {
        let n = s.count
        let item = p.coldItems ? plan.coldItem : plan.warmItem
        let lo = -p.constant, scale: Float = 1
        var norm: Float = 0
        for x in q { norm += x * x }
        norm = norm.squareRoot()
        let bound = norm * plan.maxRowNorm
        let unit: Float = 0x1p-24
        let delta = p.zeroQuery ? 0 : 2.2 * Float(plan.columns) * unit * bound * 1.01 + 4 * unit * (bound + abs(p.constant) + maxItem) + 1e-7
        let diversify = configuration.diversity.enabled
        var pool = k
        if diversify {
            let (v, overflow) = k.multipliedReportingOverflow(by: max(1, configuration.diversity.poolFactor))
            pool = overflow ? Int.max : v
        }
        ws.excluded.removeAll(keepingCapacity: true)
        ws.adjusted.removeAll(keepingCapacity: true)
        if configuration.candidates.excludeRead {
            for paper in p.history.read {
                if let c = candidateIndex[paper] {
                    ws.flags[Int(c)] = 1
                    ws.excluded.append(c)
                }
            }
        }
        for a in p.adjustments where ws.flags[Int(a.index)] == 0 {
            ws.flags[Int(a.index)] = 2
            ws.adjusted.append(a.index)
            ws.adjustment[Int(a.index)] = a.total
        }
        if p.zeroQuery { for j in 0..<n { s[j] = 0 } }
        var top = TopK(k: pool, capacity: n)
        item.withUnsafeBufferPointer { item in
            ws.flags.withUnsafeBufferPointer { flags in
                ws.exact.withUnsafeMutableBufferPointer { exact in
                    if p.zeroQuery {
                        let _ = roughCut(row: s, item: item, flags: flags, lo: lo, scale: scale, margin: 0, pool: pool, workspace: ws, into: &top)
                    } else {
                        let cut = roughCut(row: s, item: item, flags: flags, lo: lo, scale: scale, margin: 2 * delta, pool: pool, workspace: ws, into: nil)
                        ws.rescore.removeAll(keepingCapacity: true)
                        for c in ws.shortlist where s[Int(c)] >= cut { ws.rescore.append(c) }
                        ws.rescore.withUnsafeBufferPointer { exactDots(q, $0, into: exact) }
                        for c in ws.rescore { top.offer((exact[Int(c)] - lo) * scale + item[Int(c)], c) }
                    }
                    for c in ws.adjusted {
                        exact[Int(c)] = p.zeroQuery ? 0 : exactDot(q, Int(c))
                        top.offer((exact[Int(c)] - lo) * scale + item[Int(c)] + ws.adjustment[Int(c)], c)
                    }
                }
            }
        }
        for c in ws.excluded { ws.flags[Int(c)] = 0 }
        for c in ws.adjusted { ws.flags[Int(c)] = 0 }
        return list(p, top: top, k: k, diversify: diversify)
    }

    /// The largest |item term| (bounds the rounding of the score's last addition).
    var maxItem: Float { plan.maxItem }

    /// Turns the sgemm row into approximate scores in place, row[j] ← (row[j] − lo)·scale + item[j]
    /// (excluded and adjusted candidates ← −∞: excluded or scored apart), and returns the cut:
    /// every open candidate whose exact score can reach the top `pool` has a row value ≥ cut and
    /// is in `ws.shortlist` (see `scoreReader`). With `into` (margin 0: the row is exact), the top
    /// is filled directly.
    ///
    /// Floor F: the pool-th largest of the chunk maxima. Those maxima are the scores of `pool`
    /// distinct open candidates, so the pool-th best approximate score A is ≥ F and chunks whose
    /// maximum is below F − margin hold nothing needed. With candidates in random order only about
    /// k chunks are opened and about k candidates are offered to the rough heap (instead of
    /// k·ln(n/k) heap offers as its threshold rises from −∞). The rough heap still ends with the
    /// exact top `pool`, so cut = A − margin as without the floor.
    private func roughCut(row: UnsafeMutableBufferPointer<Float>, item: UnsafeBufferPointer<Float>, flags: UnsafeBufferPointer<UInt8>,
                          lo: Float, scale: Float, margin: Float, pool: Int, workspace ws: ScoringWorkspace,
                          into final: UnsafeMutablePointer<TopK>?) -> Float {
        let n = row.count
        ws.shortlist.removeAll(keepingCapacity: true)
        guard n > 0, let r = row.baseAddress, let it = item.baseAddress else { return -.infinity }
        let chunks = (n + rowChunk - 1) / rowChunk
        var rough = TopK(k: pool, capacity: n)
        ws.chunkMax.withUnsafeMutableBufferPointer { cm in
            let m = cm.baseAddress!
            scoreRow(r, item: it, count: n, lo: lo, scale: scale, chunkMax: m)
            for list in [ws.excluded, ws.adjusted] {
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
            if let final {
                offerAll(UnsafeBufferPointer(row), flags: flags, margin: 0, floor: floor, chunkMax: UnsafeBufferPointer(cm),
                         shortlist: &ws.shortlist, into: &final.pointee)
            } else {
                offerAll(UnsafeBufferPointer(row), flags: flags, margin: margin, floor: floor, chunkMax: UnsafeBufferPointer(cm),
                         shortlist: &ws.shortlist, into: &rough)
            }
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
}
