import PaperFeedCore

extension BeyondAccuracy {
    /// Intra-list diversity (Ziegler et al., WWW 2005; Smyth & McClave 2001):
    ///
    ///     ILD(list) = (2 / (m(m−1))) Σ_{i<j} (1 − cos(e_i, e_j)),   run value = mean over lists
    ///
    /// over the m papers of the reader's first k that have an embedding (papers without one are
    /// skipped); lists with fewer than 2 embedded papers are left out; 0 when none is left.
    /// cos = 0 when a vector is all zeros (distance 1). Distances range over [0, 2].
    public static func intraListDiversity(
        _ run: Run, embeddings: [PaperID: [Float]], cutoff: Int? = nil, tieBreak: TieBreak = .paperIDDescending
    ) -> Double {
        var total = 0.0
        var lists = 0
        for user in run.users {
            let items = run.ranked(user, tieBreak: tieBreak).prefix(cutoff ?? Int.max)
            if let d = intraListDiversity(items.map(\.paper), embeddings: embeddings) {
                total += d
                lists += 1
            }
        }
        return lists == 0 ? 0 : total / Double(lists)
    }

    /// ILD of one list; `nil` when fewer than 2 of its papers have embeddings.
    public static func intraListDiversity(_ papers: [PaperID], embeddings: [PaperID: [Float]]) -> Double? {
        let vectors = papers.compactMap { embeddings[$0] }
        guard vectors.count >= 2 else { return nil }
        let norms = vectors.map { v in v.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot() }
        var sum = 0.0
        for i in 0..<vectors.count {
            for j in (i + 1)..<vectors.count {
                sum += 1 - cosine(vectors[i], vectors[j], norms[i], norms[j])
            }
        }
        let pairs = Double(vectors.count * (vectors.count - 1) / 2)
        return sum / pairs
    }

    static func cosine(_ a: [Float], _ b: [Float], _ na: Double, _ nb: Double) -> Double {
        guard na > 0, nb > 0 else { return 0 }
        var dot = 0.0
        for i in 0..<Swift.min(a.count, b.count) { dot += Double(a[i]) * Double(b[i]) }
        return dot / (na * nb)
    }
}
