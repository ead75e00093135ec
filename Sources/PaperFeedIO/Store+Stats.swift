import Foundation
import GRDB
import PaperFeedCore

/// What `paperfeed stats` prints.
public struct StoreStats: Sendable, Codable, Equatable {
    public struct DateRange: Sendable, Codable, Equatable {
        public var first: String?
        public var last: String?
    }
    public var database: String
    public var papers: Int
    public var papersBySource: [String: Int]
    public var papersWithDate: Int
    public var papersWithUpvotes: Int
    public var users: Int
    public var events: Int
    public var eventsByKind: [String: Int]
    public var orphanEvents: Int
    public var upvoteObservations: Int
    public var orphanObservations: Int
    public var corpora: [String: Int]
    public var libraryItems: Int
    public var published: DateRange
    public var eventTimes: DateRange
    public var observationTimes: DateRange
}

extension Store {
    public func stats() throws -> StoreStats {
        try read { db in
            func count(_ sql: String) throws -> Int { try Int.fetchOne(db, sql: sql) ?? 0 }
            func range(_ column: String, _ table: String) throws -> StoreStats.DateRange {
                let row = try Row.fetchOne(db, sql: "SELECT MIN(\(column)), MAX(\(column)) FROM \(table)")
                let lo = row?[0] as Int64?, hi = row?[1] as Int64?
                return .init(first: lo.map { Timestamp.format(Store.date($0)) }, last: hi.map { Timestamp.format(Store.date($0)) })
            }
            var bySource: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT source, COUNT(*) FROM papers GROUP BY source") { bySource[row[0]] = row[1] }
            var byKind: [String: Int] = Dictionary(uniqueKeysWithValues: EventKind.allCases.map { ($0.rawValue, 0) })
            for row in try Row.fetchAll(db, sql: "SELECT kind, COUNT(*) FROM events GROUP BY kind") { byKind[row[0]] = row[1] }
            var corpora: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT corpus, COUNT(*) FROM corpus_documents GROUP BY corpus") { corpora[row[0]] = row[1] }
            return StoreStats(
                database: path,
                papers: try count("SELECT COUNT(*) FROM papers"),
                papersBySource: bySource,
                papersWithDate: try count("SELECT COUNT(*) FROM papers WHERE published_at IS NOT NULL"),
                papersWithUpvotes: try count("SELECT COUNT(*) FROM papers WHERE upvotes IS NOT NULL"),
                users: try count("SELECT COUNT(DISTINCT user) FROM events"),
                events: try count("SELECT COUNT(*) FROM events"),
                eventsByKind: byKind,
                orphanEvents: try count("SELECT COUNT(*) FROM events e WHERE NOT EXISTS (SELECT 1 FROM papers p WHERE p.id = e.paper)"),
                upvoteObservations: try count("SELECT COUNT(*) FROM upvote_observations"),
                orphanObservations: try count(
                    "SELECT COUNT(*) FROM upvote_observations o WHERE NOT EXISTS (SELECT 1 FROM papers p WHERE p.id = o.paper)"),
                corpora: corpora,
                libraryItems: try count("SELECT COUNT(*) FROM libraries"),
                published: try range("published_at", "papers"),
                eventTimes: try range("at", "events"),
                observationTimes: try range("observed_at", "upvote_observations"))
        }
    }
}
