import Foundation
import PaperFeedCore

/// The training data of the learned ranker: one row per logged impression.
///
/// **Rows and labels.** Every impression of paper c to reader u at time t is a row, unless u
/// already had a positive (read, save, upvote) on c before t (such papers are never candidates).
/// Its grade is what u did with c from t until c was shown to u again (or until as-of): 2 when
/// saved or upvoted, 1 when only read, 0 otherwise — an explicit skip and a shown-but-unread
/// paper are both negatives. Papers outside the topic space are left out (they cannot be served).
///
/// **Features** (`RankerFeature`) come from the state at the start of the impression's UTC day
/// (`LogReplay` advanced to it, the trend as of it): what the nightly rerank of that day could
/// know. So the row's own read, and everything after the day began, is never in its features;
/// in particular the content profile and the feedback read rate leave the row's own event out.
///
/// **Groups** (for validation): the logged list (`list` id), or the reader's day when the events
/// carry no list id.
struct TrainingRows {
    var features: [RankerFeature]
    /// Row-major, count × features.count.
    var x: [Float] = []
    var grade: [UInt8] = []
    var bucket: [UInt8] = []
    var day: [Int32] = []
    var group: [Int32] = []
    var user: [Int32] = []
    /// The row's impression: its index in the log.
    var event: [Int32] = []
    /// The logging policy's propensity of the impression (0: not logged).
    var propensity: [Float] = []
    var count: Int { grade.count }
    var positives: Int { grade.reduce(0) { $0 + ($1 > 0 ? 1 : 0) } }

    /// Grades of every event that is a row (−1: not a row), from each (reader, paper) pair's
    /// events in time order.
    static func grades(_ log: EventLog) -> [Int8] {
        var keyed: [(key: UInt64, index: Int32)] = []
        keyed.reserveCapacity(log.count)
        for i in 0..<log.count where log.kind[i] != .skip {
            keyed.append((LogReplay.key(log.user[i], log.paper[i]), Int32(i)))
        }
        keyed.sort { $0.key != $1.key ? $0.key < $1.key : $0.index < $1.index }
        var grade = [Int8](repeating: -1, count: log.count)
        var start = 0
        while start < keyed.count {
            var end = start + 1
            while end < keyed.count && keyed[end].key == keyed[start].key { end += 1 }
            var positiveBefore = false
            var k = start
            while k < end {
                let i = Int(keyed[k].index)
                if log.kind[i] != .impression {
                    positiveBefore = true
                    k += 1
                    continue
                }
                // The window of this impression: up to the pair's next impression.
                var g: Int8 = 0
                var j = k + 1
                while j < end, log.kind[Int(keyed[j].index)] != .impression {
                    let kind = log.kind[Int(keyed[j].index)]
                    g = max(g, kind == .read ? 1 : 2)
                    j += 1
                }
                if !positiveBefore { grade[i] = g }
                k += 1
            }
            start = end
        }
        return grade
    }

    /// Extracts the rows of `log` (events before as-of) with the features of `settings`,
    /// standardized over each day's candidates (`CandidateStats`).
    static func extract(log: EventLog, snapshot: RankingSnapshot, space: TopicSpace, features: [RankerFeature],
                        settings: LearnedRanker.Settings) -> TrainingRows {
        var rows = TrainingRows(features: features)
        let grades = grades(log)
        var categories: [PaperID: [String]] = [:]
        var published: [PaperID: Date] = [:]
        var dated: [(at: Double, row: Int)] = []
        for p in snapshot.papers {
            if !p.categories.isEmpty { categories[p.id] = p.categories }
            if let at = p.publishedAt {
                published[p.id] = at
                if let row = space.index[p.id] { dated.append((at.timeIntervalSince1970, row)) }
            }
        }
        dated.sort { $0.at != $1.at ? $0.at < $1.at : $0.row < $1.row }
        var replay = LogReplay(log: log, space: space, content: settings.content, examination: settings.examination,
                               categories: settings.categories, paperCategories: categories,
                               trackAudience: features.contains(.collaborative))
        let groups = TrendScorer.groups(snapshot.observations)
        let d = space.dimensions
        let f = features.count
        var column: [RankerFeature: Int] = [:]
        for (k, feature) in features.enumerated() { column[feature] = k }
        var groupOf: [Int64: Int32] = [:]
        var audience = [Float](repeating: 0, count: d)
        var paperCats = [Float](repeating: 0, count: settings.categories?.count ?? 0)
        var i = 0
        while i < log.count {
            let dayNumber = EventLog.day(log.at[i])
            let dayStart = Double(dayNumber) * 86_400
            var end = i
            while end < log.count && EventLog.day(log.at[end]) == dayNumber { end += 1 }
            guard (i..<end).contains(where: { grades[$0] >= 0 }) else {
                i = end
                continue
            }
            replay.advance(to: dayStart)
            let trend = TrendScorer(configuration: settings.trend, asOf: Date(timeIntervalSince1970: dayStart),
                                    published: published, observations: groups)
            let context = FeatureContext(replay: replay, trend: trend, time: dayStart, settings: settings, published: published)
            let window = candidateRows(dated, time: dayStart, windowDays: settings.candidateWindowDays)
            let stats = context.candidateStats(rows: window, space: space, features: features, categories: categories)
            var readerCache: [Int32: (profile: [Float]?, shares: [Float], scale: CandidateStats.Reader)] = [:]
            for r in i..<end where grades[r] >= 0 {
                let u = log.user[r], p = log.paper[r]
                let paperID = log.papers[Int(p)]
                guard let spaceRow = space.index[paperID] else { continue }
                let reader: (profile: [Float]?, shares: [Float], scale: CandidateStats.Reader)
                if let cached = readerCache[u] {
                    reader = cached
                } else {
                    let v = context.readerVectors(u)
                    reader = (v.profile, v.shares, stats.reader(profile: v.profile, shares: v.shares))
                    readerCache[u] = reader
                }
                let scale = reader.scale
                var x = [Float](repeating: 0, count: f)
                let e = space.embeddings.values[(spaceRow * d)..<((spaceRow + 1) * d)]
                if let profile = reader.profile, scale.contentScale > 0 {
                    if let k = column[.content] {
                        x[k] = Float((Double(dotArrays(profile[...], e)) - scale.contentMean) / scale.contentScale)
                    }
                    if let k = column[.collaborative] {
                        replay.audience(p, shrinkage: settings.audienceShrinkage, into: &audience[...])
                        x[k] = Float((Double(dotArrays(profile[...], audience[...])) - scale.audienceMean) / scale.contentScale)
                    }
                }
                if let k = column[.category], let v = settings.categories, scale.categoryScale > 0 {
                    v.paperVector(categories[paperID] ?? [], into: &paperCats[...])
                    x[k] = Float((Double(dotArrays(reader.shares[...], paperCats[...])) - scale.categoryMean) / scale.categoryScale)
                }
                if let k = column[.trend] { x[k] = Float(stats.z(.trend, context.trendFeature(paperID))) }
                if let k = column[.feedback] { x[k] = Float(stats.z(.feedback, context.feedbackFeature(paper: p, reader: u))) }
                if let k = column[.freshness] { x[k] = Float(stats.z(.freshness, context.freshnessFeature(paperID))) }
                let own = context.ownPair(reader: u, paper: p)
                if let k = column[.seen] { x[k] = Float(own.seen) }
                if let k = column[.skipped] { x[k] = Float(own.skipped) }
                rows.x += x
                rows.grade.append(UInt8(grades[r]))
                rows.bucket.append(UInt8(PositionBucket.of(log.position[r])))
                rows.day.append(Int32(dayNumber))
                rows.user.append(u)
                rows.event.append(Int32(r))
                rows.propensity.append(log.propensity[r])
                let groupKey = log.list[r] >= 0 ? Int64(log.list[r]) : -(Int64(u) << 24 | Int64(dayNumber & 0xFF_FFFF)) - 1
                if let id = groupOf[groupKey] {
                    rows.group.append(id)
                } else {
                    let id = Int32(groupOf.count)
                    groupOf[groupKey] = id
                    rows.group.append(id)
                }
            }
            i = end
        }
        return rows
    }

    /// Space rows of the papers published in (time − window, time], from `dated` sorted by time.
    static func candidateRows(_ dated: [(at: Double, row: Int)], time: Double, windowDays: Double) -> [Int] {
        let start = time - windowDays * 86_400
        var lo = 0, hi = dated.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if dated[mid].at <= start { lo = mid + 1 } else { hi = mid }
        }
        var out: [Int] = []
        var k = lo
        while k < dated.count, dated[k].at <= time {
            out.append(dated[k].row)
            k += 1
        }
        return out.sorted()
    }
}

@inline(__always) func dotArrays(_ a: ArraySlice<Float>, _ b: ArraySlice<Float>) -> Float {
    var s: Float = 0
    var i = a.startIndex, j = b.startIndex
    while i < a.endIndex {
        s += a[i] * b[j]
        i += 1
        j += 1
    }
    return s
}

extension TrendScorer {
    /// Observations (ordered by paper, then time) grouped per paper: the input of the as-of
    /// initializer, built once for many as-of times.
    static func groups(_ obs: [UpvoteObservation]) -> [ArraySlice<UpvoteObservation>] {
        var groups: [ArraySlice<UpvoteObservation>] = []
        var i = 0
        while i < obs.count {
            var j = i + 1
            while j < obs.count && obs[j].paper == obs[i].paper { j += 1 }
            groups.append(obs[i..<j])
            i = j
        }
        return groups
    }
}
