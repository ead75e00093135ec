import Foundation
import LinearAlgebra
import PaperFeedCore
import PaperFeedEvaluation
import TopicModel

/// Topic-cluster segments of a store experiment's readers: "per topic cluster of the reader's
/// history".
///
/// One reference topic model serves every cut-off: the model of the first cut-off (fitted on
/// papers published before it, so nothing from any test window shapes it); papers published
/// later are folded in (`TopicModel.foldIn`, no refit). A ranked reader `u@day` is described by
/// the mean-centered, unit-normalized sum of the embeddings of their training positives (read,
/// save, upvote before that cut-off), and those profiles are clustered with spherical k-means
/// (`KMeansConfiguration`, seeded). Readers without a training positive get no cluster. Each
/// cluster is named `topic-N (t1, t2, t3)` after the three terms with the largest loading on
/// the difference between its readers' mean history embedding and all readers' (what sets the
/// cluster apart; N from 1, clusters numbered by size, largest first, then by centroid order).
enum ReaderClusters {
    static func segments(_ replay: StoreReplay, clusters k: Int, seed: UInt64) throws -> [String: Set<UserID>] {
        guard k >= 1, let reference = replay.days.first?.model else { return [:] }
        let d = reference.dimensions
        var row: [PaperID: Int] = [:]
        for (i, id) in reference.paperIDs.enumerated() { row[id] = i }
        var vectors = reference.embeddings.values
        // Fold in every later paper any reader has as a training positive.
        var later: [Paper] = [], seen = Set<PaperID>()
        for day in replay.days {
            let needed = Set(day.exclude.values.flatMap { $0 })
            for p in day.known where needed.contains(p.id) && row[p.id] == nil && seen.insert(p.id).inserted { later.append(p) }
        }
        if !later.isEmpty {
            let folded = try reference.foldIn(texts: later.map(\.text))
            for (i, p) in later.enumerated() { row[p.id] = reference.paperIDs.count + i }
            vectors += folded.values
        }
        var mean = [Float](repeating: 0, count: d)
        let n0 = reference.paperIDs.count
        for i in 0..<n0 { for j in 0..<d { mean[j] += reference.embeddings.values[i * d + j] / Float(max(n0, 1)) } }
        // Profiles.
        var users: [UserID] = [], profiles: [Float] = [], raw: [[Float]] = []
        for day in replay.days {
            for user in day.readers {
                let papers = (day.exclude[user] ?? []).compactMap { row[$0] }.sorted()
                guard !papers.isEmpty else { continue }
                var centered = [Float](repeating: 0, count: d), sum = [Float](repeating: 0, count: d)
                for r in papers {
                    let v = vectors[(r * d)..<((r + 1) * d)]
                    var c = zip(v, mean).map { $0 - $1 }
                    let norm = c.reduce(0) { $0 + $1 * $1 }.squareRoot()
                    if norm > 0 { c = c.map { $0 / norm } }
                    for j in 0..<d { centered[j] += c[j]; sum[j] += v[v.startIndex + j] / Float(papers.count) }
                }
                users.append(day.outputID(user))
                profiles += centered
                raw.append(sum)
            }
        }
        guard !users.isEmpty else { return [:] }
        let fit = try KMeansConfiguration(clusters: k, seed: seed).fit(DenseMatrix(rows: users.count, columns: d, values: profiles))
        let count = fit.centroids.rows
        var members = [[Int]](repeating: [], count: count)
        for (i, c) in fit.assignments.enumerated() { members[c].append(i) }
        let sizes: [Int] = members.map(\.count)
        let order: [Int] = (0..<count).sorted { (a: Int, b: Int) -> Bool in sizes[a] != sizes[b] ? sizes[a] > sizes[b] : a < b }
        var overall = [Float](repeating: 0, count: d)
        for r in raw { for j in 0..<d { overall[j] += r[j] / Float(raw.count) } }
        var out: [String: Set<UserID>] = [:]
        for (rank, c) in order.enumerated() where !members[c].isEmpty {
            // What sets the cluster apart: its mean history minus everyone's.
            var centroid = overall.map { -$0 }
            for i in members[c] { for j in 0..<d { centroid[j] += raw[i][j] / Float(members[c].count) } }
            let name = "topic-\(rank + 1) (\(label(reference, direction: centroid).joined(separator: ", ")))"
            out[name] = Set(members[c].map { users[$0] })
        }
        return out
    }

    /// The three terms with the largest Σ_j direction_j · Vᵀ[j, t].
    static func label(_ model: TopicModel, direction: [Float]) -> [String] {
        let m = model.termLoadings.columns
        var scores = [Float](repeating: 0, count: m)
        for j in 0..<min(direction.count, model.termLoadings.rows) {
            let w = direction[j]
            for t in 0..<m { scores[t] += w * model.termLoadings.values[j * m + t] }
        }
        let vocabulary = model.tfidf.vocabulary
        return scores.indices.sorted { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : vocabulary[$0] < vocabulary[$1] }
            .prefix(3).map { vocabulary[$0] }
    }
}
