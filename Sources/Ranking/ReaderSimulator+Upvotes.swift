import Foundation
import PaperFeedCore

extension ReaderSimulator {
    /// The upvote counts of the simulated world: the real observations passed in, the simulated
    /// upvotes so far, and the observation series (real and simulated, per paper, ordered by
    /// time) that the logging policy's trend reads.
    ///
    /// Known count of a paper at time t: its latest real observation before t, else the store's
    /// count (`PaperInfo.upvotes`), else 0. Current count = known count + simulated upvotes.
    struct UpvoteBook {
        /// Real observations per paper, ordered by time.
        private let real: [PaperID: [UpvoteObservation]]
        private let stored: [PaperID: Int]
        /// Real and simulated observations per paper, ordered by time; `order` lists the papers
        /// in a fixed order (real ones by id, then simulated ones as they first appear) so that
        /// the trend's prior sums in the same order on every run.
        private var series: [PaperID: [UpvoteObservation]]
        private var order: [PaperID]
        private(set) var simulated: [PaperID: Int] = [:]
        private(set) var emitted: [UpvoteObservation] = []

        init(observations: [UpvoteObservation], papers: [RankingSnapshot.PaperInfo]) {
            let sorted = observations.sorted { $0.paper == $1.paper ? $0.observedAt < $1.observedAt : $0.paper < $1.paper }
            var real: [PaperID: [UpvoteObservation]] = [:]
            var order: [PaperID] = []
            for o in sorted {
                if real[o.paper] == nil { order.append(o.paper) }
                real[o.paper, default: []].append(o)
            }
            self.real = real
            self.series = real
            self.order = order
            var stored: [PaperID: Int] = [:]
            for p in papers { if let u = p.upvotes { stored[p.id] = u } }
            self.stored = stored
        }

        /// The latest real observation before `t`, else the store's count, else 0.
        func known(_ paper: PaperID, before t: Date) -> Int {
            if let list = real[paper] {
                var lo = 0, hi = list.count
                while lo < hi {
                    let mid = (lo + hi) / 2
                    if list[mid].observedAt < t { lo = mid + 1 } else { hi = mid }
                }
                if lo > 0 { return list[lo - 1].upvotes }
            }
            return stored[paper] ?? 0
        }

        /// Known count before `t` plus the simulated upvotes recorded so far.
        func current(_ paper: PaperID, before t: Date) -> Int { known(paper, before: t) + simulated[paper, default: 0] }

        mutating func upvote(_ paper: PaperID) { simulated[paper, default: 0] += 1 }

        /// One slice per paper with observations, each ordered by time (the trend's input).
        func groups() -> [ArraySlice<UpvoteObservation>] { order.map { series[$0]![...] } }

        /// Emits the cumulative count of each paper at `t` (known count before t + simulated
        /// upvotes so far) and adds it to the paper's series. A paper that already has an
        /// observation at exactly `t` (a real one) keeps it and gets none.
        mutating func observe(_ papers: [PaperID], at t: Date) {
            for p in papers {
                let o = UpvoteObservation(paper: p, observedAt: t, upvotes: current(p, before: t))
                guard var list = series[p] else {
                    series[p] = [o]
                    order.append(p)
                    emitted.append(o)
                    continue
                }
                var i = list.count
                while i > 0 && list[i - 1].observedAt > t { i -= 1 }
                if i > 0 && list[i - 1].observedAt == t { continue }
                series[p] = nil
                list.insert(o, at: i)
                series[p] = list
                emitted.append(o)
            }
        }
    }
}
