import LinearAlgebra
import Foundation
import PaperFeedCore

extension BlendRanker {
    /// The reader's query (written into `query`, D floats), constant, breakdown terms and
    /// adjustments (`ScoringPlan`).
    func readerPlan(_ h: ReaderHistory, query: UnsafeMutableBufferPointer<Float>) -> ReaderPlan {
        var dots: [ReaderPlan.Dot] = []
        var constant = 0.0
        var adjustments: [ReaderPlan.Adjustment] = []
        var shares: [Float] = []
        let cold = h.isCold
        if let learned, let stats = plan.stats {
            let u = replay?.log.userIndex(h.user)
            if plan.signalColumns[.category] != nil, let r = replay {
                shares = [Float](repeating: 0, count: learned.settings.categories?.count ?? 0)
                r.categoryShares(u, prior: learned.settings.categoryPrior, into: &shares[...])
            }
            let scale = stats.reader(profile: cold ? nil : h.profile, shares: shares)
            let ps = scale.contentScale > 0 ? Float(1 / scale.contentScale) : 0
            let gs = scale.categoryScale > 0 ? Float(1 / scale.categoryScale) : 0
            for seg in plan.segments {
                switch seg.vector {
                case .profile: if ps != 0 { for j in 0..<seg.width { query[seg.offset + j] = ps * h.profile[j] } }
                case .categories: if gs != 0 { for j in 0..<seg.width { query[seg.offset + j] = gs * shares[j] } }
                }
            }
            for signal in [Signal.content, .collaborative, .category] {
                guard let c = plan.dotCoefficients[signal] else { continue }
                let (inverse, mean): (Double, Double) = switch signal {
                case .content: (Double(ps), scale.contentMean)
                case .collaborative: (Double(ps), scale.audienceMean)
                default: (Double(gs), scale.categoryMean)
                }
                let coefficient = Double(c.coefficient) * inverse
                let b = c.offset - coefficient * mean
                dots.append(.init(signal: signal, vector: signal == .category ? .categories : .profile, coefficient: Float(coefficient),
                                  constant: b))
                constant += b
            }
            adjustments = learnedAdjustments(h, reader: u, ranker: learned, stats: stats)
        } else if let weights = plan.weights {
            if !cold {
                for seg in plan.segments {
                    let signal = seg.signals[0]
                    let (mu, sd) = h.profile.withUnsafeBufferPointer { plan.moments[signal]!.of($0) }
                    let a = sd > 1e-6 ? Float(weights[signal] / sd) : 0
                    for j in 0..<seg.width { query[seg.offset + j] = a * h.profile[j] }
                    let b = -Double(a) * mu
                    dots.append(.init(signal: signal, vector: .profile, coefficient: a, constant: b))
                    constant += b
                }
            }
            if !dots.contains(where: { $0.signal == .content }) {
                dots.insert(.init(signal: .content, vector: .profile, coefficient: 0, constant: 0), at: 0)
            }
            let penalty = configuration.feedback.skipPenalty
            for paper in h.skipped.sorted() where !h.read.contains(paper) && penalty != 0 {
                guard let c = candidateIndex[paper] else { continue }
                adjustments.append(.init(index: c, total: -Float(penalty), parts: [(.skipPenalty, -penalty)]))
            }
        }
        var zero = true
        for x in query where x != 0 {
            zero = false
            break
        }
        return ReaderPlan(history: h, shares: shares, constant: Float(constant), zeroQuery: zero,
                          coldItems: learned == nil && cold, dots: dots, adjustments: adjustments)
    }

    /// The learned ranker's own-pair terms for the candidates the reader was shown or skipped
    /// before (and did not read): seen and skipped indicators, and the change of the feedback
    /// feature when the reader's own impression and read are left out.
    private func learnedAdjustments(_ h: ReaderHistory, reader u: Int32?, ranker: LearnedRanker, stats: CandidateStats) -> [ReaderPlan.Adjustment] {
        var out: [ReaderPlan.Adjustment] = []
        let ws = ranker.rawWeight(.seen), wk = ranker.rawWeight(.skipped), wf = ranker.rawWeight(.feedback)
        for paper in h.shown.union(h.skipped).sorted() where !h.read.contains(paper) {
            guard let c = candidateIndex[paper] else { continue }
            var parts: [(signal: Signal, value: Double)] = []
            if ws != 0, h.shown.contains(paper) { parts.append((.seen, ws)) }
            if wk != 0, h.skipped.contains(paper) { parts.append((.skipped, wk)) }
            if wf != 0, let r = replay, let p = r.log.paperIndex(paper), let u {
                let s = ranker.settings.feedbackPriorStrength
                let change = stats.z(.feedback, r.readRate(p, excluding: u, priorStrength: s))
                    - stats.z(.feedback, r.readRate(p, excluding: nil, priorStrength: s))
                if change != 0 { parts.append((.feedback, wf * change)) }
            }
            guard !parts.isEmpty else { continue }
            out.append(.init(index: c, total: Float(parts.reduce(0) { $0 + $1.value }), parts: parts))
        }
        return out
    }

    /// The list from the heap: MMR when enabled, and each item's breakdown.
    func list(_ p: ReaderPlan, top: TopK, k: Int, diversify: Bool) -> RankedList {
        let picked = top.sorted()
        let lambda = Float(configuration.diversity.lambda)
        let chosen: [(index: Int32, score: Float, redundancy: Float)] =
            diversify ? mmr(picked, k: k) : picked.map { (index: $0.index, score: $0.score, redundancy: 0) }
        // Under MMR the listed score is λ·score − (1 − λ)·redundancy, so each part is scaled by λ.
        let f = diversify ? Double(lambda) : 1
        let parts = p.coldItems ? plan.coldParts : plan.warmParts
        let d = space.dimensions
        var adjusted: [Int32: [(signal: Signal, value: Double)]] = [:]
        for a in p.adjustments { adjusted[a.index] = a.parts }
        let items = chosen.map { c -> RankedItem in
            let j = Int(c.index)
            var signals = SignalBreakdown()
            for dot in p.dots {
                var v = dot.constant
                if dot.coefficient != 0, let m = plan.signalColumns[dot.signal] {
                    let x: Float
                    switch dot.vector {
                    case .profile: x = canonical(p.history.profile, m, row: j, width: d)
                    case .categories: x = canonical(p.shares, m, row: j, width: m.columns)
                    }
                    v += Double(dot.coefficient * x)
                }
                signals[dot.signal] = f * v
            }
            for part in parts { signals[part.signal] = f * Double(part.values[j]) }
            for (signal, value) in adjusted[c.index] ?? [] { signals[signal] = (signals[signal] ?? 0) + f * value }
            if diversify { signals[.diversity] = -Double(1 - lambda) * Double(c.redundancy) }
            return RankedItem(paper: candidateIDs[j], score: Double(c.score), signals: signals)
        }
        return RankedList(user: p.history.user, items: items)
    }

    /// The canonical dot of a reader vector with row j of a candidate matrix.
    private func canonical(_ v: [Float], _ m: DenseMatrix, row j: Int, width: Int) -> Float {
        guard v.count == width else { return 0 }
        return v.withUnsafeBufferPointer { vb in
            m.values.withUnsafeBufferPointer { mb in canonicalDot(vb.baseAddress!, mb.baseAddress! + j * width, count: width) }
        }
    }
}

