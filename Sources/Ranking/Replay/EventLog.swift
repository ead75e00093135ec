import Foundation
import PaperFeedCore

/// The events of a snapshot as columns of interned integer ids: what the log replay, the
/// training-row extraction and the feedback statistics read instead of arrays of string-keyed
/// structs (one hash per id when the log is built, integer compares and array lookups after).
///
/// Rows keep the snapshot's order, (at, user, paper, kind). Users and papers are interned in
/// byte order of their ids (`users[i] < users[i + 1]`), so every loop over interned ids visits
/// them in the same order as a loop over the sorted ids would. List ids are interned in order of
/// first appearance (−1: no list).
public struct EventLog: Sendable {
    public let users: [UserID]
    public let papers: [PaperID]
    public let user: [Int32]
    public let paper: [Int32]
    public let kind: [EventKind]
    /// Seconds since 1970.
    public let at: [Double]
    /// 1-based position in the shown list; 0 when unknown (or malformed: below 1).
    public let position: [Int32]
    public let list: [Int32]
    /// The logging policy's propensity of an impression (0 when not logged).
    public let propensity: [Float]
    public let listCount: Int

    public var count: Int { at.count }

    public init(events: [Event]) {
        var userSet = Set<UserID>(), paperSet = Set<PaperID>()
        for e in events {
            userSet.insert(e.user)
            paperSet.insert(e.paper)
        }
        users = userSet.sorted()
        papers = paperSet.sorted()
        var userIndex: [UserID: Int32] = [:], paperIndex: [PaperID: Int32] = [:], listIndex: [String: Int32] = [:]
        userIndex.reserveCapacity(users.count)
        paperIndex.reserveCapacity(papers.count)
        for (i, u) in users.enumerated() { userIndex[u] = Int32(i) }
        for (i, p) in papers.enumerated() { paperIndex[p] = Int32(i) }
        var user = [Int32](), paper = [Int32](), kind = [EventKind](), at = [Double](), position = [Int32](), list = [Int32]()
        var propensity = [Float]()
        propensity.reserveCapacity(events.count)
        user.reserveCapacity(events.count)
        paper.reserveCapacity(events.count)
        kind.reserveCapacity(events.count)
        at.reserveCapacity(events.count)
        position.reserveCapacity(events.count)
        list.reserveCapacity(events.count)
        for e in events {
            user.append(userIndex[e.user]!)
            paper.append(paperIndex[e.paper]!)
            kind.append(e.kind)
            at.append(e.at.timeIntervalSince1970)
            position.append(e.position.map { $0 >= 1 && $0 <= Int(Int32.max) ? Int32($0) : 0 } ?? 0)
            propensity.append(e.propensity.map { $0.isFinite && $0 > 0 && $0 <= 1 ? Float($0) : 0 } ?? 0)
            if let l = e.list {
                if let i = listIndex[l] {
                    list.append(i)
                } else {
                    let i = Int32(listIndex.count)
                    listIndex[l] = i
                    list.append(i)
                }
            } else {
                list.append(-1)
            }
        }
        self.user = user
        self.paper = paper
        self.kind = kind
        self.at = at
        self.position = position
        self.list = list
        self.propensity = propensity
        listCount = listIndex.count
    }

    /// Whether an event kind is a positive interaction: read, save or upvote (what the ranker
    /// excludes, what the feedback scorer counts as a read, what training labels as positive).
    @inline(__always) public static func isPositive(_ k: EventKind) -> Bool { k == .read || k == .save || k == .upvote }

    /// The index of a user id, or nil.
    public func userIndex(_ u: UserID) -> Int32? { Self.search(users, u).map(Int32.init) }
    /// The index of a paper id, or nil.
    public func paperIndex(_ p: PaperID) -> Int32? { Self.search(papers, p).map(Int32.init) }

    static func search<T: Comparable>(_ sorted: [T], _ x: T) -> Int? {
        var lo = 0, hi = sorted.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if sorted[mid] < x { lo = mid + 1 } else { hi = mid }
        }
        return lo < sorted.count && sorted[lo] == x ? lo : nil
    }

    /// The UTC day number (days since 1970) of a time in seconds.
    @inline(__always) public static func day(_ seconds: Double) -> Int { Int((seconds / 86_400).rounded(.down)) }
}
