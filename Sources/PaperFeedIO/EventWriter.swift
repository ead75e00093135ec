import Foundation
import PaperFeedCore

/// Writes events in the JSONL format `ingest events` reads (see Data/README.md).
public enum EventWriter {
    /// One JSON object per line, keys in a fixed order, atomically. `synthetic` adds
    /// `"synthetic":true` to every line (the event parser ignores unknown keys).
    public static func writeJSONL(_ events: [Event], to path: String, synthetic: Bool = false) throws {
        var out = ""
        out.reserveCapacity(events.count * 140)
        for e in events {
            out += "{\"user\":\(quote(e.user.rawValue)),\"paper\":\(quote(e.paper.rawValue)),\"kind\":\"\(e.kind.rawValue)\",\"at\":\"\(Timestamp.format(e.at))\""
            if let p = e.position { out += ",\"position\":\(p)" }
            if let l = e.list { out += ",\"list\":\(quote(l))" }
            if let p = e.propensity { out += ",\"propensity\":\(p)" }
            if synthetic { out += ",\"synthetic\":true" }
            out += "}\n"
        }
        try AtomicFile.write(out, to: path)
    }

    /// A JSON string literal.
    public static func quote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 { out += String(format: "\\u%04x", u.value) } else { out.unicodeScalars.append(u) }
            }
        }
        return out + "\""
    }
}

extension Store {
    /// Stores events produced in-process (the simulator) with the same rules as `ingest events`.
    public func insertEvents(_ events: [Event], file: String) throws -> IngestSummary {
        var summary = IngestSummary(file: file, kind: "events")
        try applyEvents(events.enumerated().map { Located(line: $0.offset + 1, row: $0.element) }, into: &summary)
        return summary
    }

    /// One chunk of events in its own transaction, as `ingest` applies them (benchmarks).
    public func insertEventChunk(_ rows: [Located<Event>], into summary: inout IngestSummary) throws {
        try applyChunk(.events(rows), checkpoint: nil, into: &summary)
    }

    /// Stores upvote observations produced in-process (the simulator) with the same rules as
    /// `ingest upvotes`, marked with `source` (e.g. `simulate(seed 7)`): a rerun is all duplicates.
    public func insertObservations(_ observations: [UpvoteObservation], source: String) throws -> IngestSummary {
        var summary = IngestSummary(file: source, kind: "upvotes")
        try applyObservations(observations.enumerated().map { Located(line: $0.offset + 1, row: $0.element) }, source: source, into: &summary)
        return summary
    }
}
