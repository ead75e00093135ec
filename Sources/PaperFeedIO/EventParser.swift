import Foundation
import PaperFeedCore

/// Reads user events (`ingest events`), JSONL or CSV.
///
/// Fields: `user`, `paper`, `kind` (one of `impression read skip upvote save`), `at`
/// (ISO 8601), optional `position` (1-based integer), `list` (id of the shown list),
/// `propensity` (0 < p ≤ 1). Column names can be remapped with `ParseOptions.columnMap`.
///
/// Row issues: missing `user`/`paper`/`kind`/`at`; unknown kind (the message lists the
/// allowed kinds); `at` unparseable or later than `now + futureTolerance`; position ≤ 0 or not
/// an integer; propensity outside (0, 1]; invalid JSON / UTF-8 (`line`); CSV column count or
/// unclosed quote (`record`); a control character in `user`, `paper` or `list`; the same
/// (user, paper, kind, at) as an earlier row with another position, list or propensity (`record`).
public enum EventParser {
    static let fields = ["user", "paper", "kind", "at"]
    static let optionalFields = ["position", "list", "propensity"]
    static let allowedKinds = EventKind.allCases.map(\.rawValue).joined(separator: ", ")

    public static func parse(path: String, format: EventFormat, options: ParseOptions) throws -> Parsed<Event> {
        try parse(file: InputFile(path: path), format: format, options: options)
    }

    public static func parse(file: InputFile, format: EventFormat, options: ParseOptions) throws -> Parsed<Event> {
        try parse(file: file, format: format, options: options, rejectDuplicates: true)
    }

    /// `rejectDuplicates: false` leaves the repeat check to the caller (the fast path runs it
    /// over all its rows, so a repeat is found whichever path read each line).
    static func parse(file: InputFile, format: EventFormat, options: ParseOptions, rejectDuplicates: Bool) throws -> Parsed<Event> {
        let set = try RecordSet(
            file: file, format: format == .csv ? .csv : .jsonl, required: fields, optional: optionalFields, options: options)
        var parsed = Parsed<Event>(file: file.path, rows: [], issues: set.issues)
        for record in set.records {
            do {
                let event = try makeEvent(set.reader(record, options: options))
                parsed.rows.append(Located(line: record.line, row: event))
            } catch {
                parsed.issues.append(set.issue(record.line, record.range, error.field, error.reason))
            }
        }
        if rejectDuplicates { rejectConflictingDuplicates(&parsed) }
        parsed.issues.sort { $0.line < $1.line }
        return parsed
    }

    /// Moves a later event with the same identity (user, paper, kind, at) as an earlier row but
    /// another position, list or propensity to `issues` (`record: …`), as `PaperParser` does for
    /// ids: the store keeps one event per identity, so the second would be dropped without a
    /// word. An exact repeat is kept (the store counts it as a duplicate).
    static func rejectConflictingDuplicates(_ parsed: inout Parsed<Event>) {
        struct Key: Hashable {
            var user: [UInt8], paper: [UInt8], kind: EventKind, at: Date
        }
        var first: [Key: Int] = [:]  // → index in kept
        var kept: [Located<Event>] = []
        kept.reserveCapacity(parsed.rows.count)
        for row in parsed.rows {
            let e = row.row
            let key = Key(user: Array(e.user.rawValue.utf8), paper: Array(e.paper.rawValue.utf8), kind: e.kind, at: e.at)
            if let k = first[key] {
                let earlier = kept[k]
                if earlier.row.position != e.position || earlier.row.list != e.list || earlier.row.propensity != e.propensity {
                    parsed.issues.append(
                        RowIssue(
                            file: parsed.file, line: row.line, field: "record",
                            reason: "same user, paper, kind and time as line \(earlier.line) but a different position, list or propensity; keep one of them",
                            raw: "\(e.user.rawValue) \(e.paper.rawValue) \(e.kind.rawValue) \(Timestamp.format(e.at))"))
                    continue
                }
            } else {
                first[key] = kept.count
            }
            kept.append(row)
        }
        parsed.rows = kept
    }

    private static func makeEvent(_ f: FieldReader) throws(FieldProblem) -> Event {
        let user = try f.identifier("user")
        let paper = try f.identifier("paper")
        let kindText = try f.required("kind").trimmedBlanks
        guard let kind = EventKind(rawValue: kindText.lowercased()) else {
            throw FieldProblem("kind", "unknown kind \"\(kindText)\"; allowed: \(allowedKinds)")
        }
        guard let at = try f.timestamp("at", required: true) else { throw FieldProblem("at", "missing") }
        var position: Int? = nil
        do {
            position = try f.integer("position")
        } catch {
            throw FieldProblem("position", "not an integer: must be a 1-based position (\(error.reason))")
        }
        if let p = position, p <= 0 { throw FieldProblem("position", "must be ≥ 1 (1-based), got \(p)") }
        let list = try f.optional("list").flatMap { $0.isEmpty ? nil : $0 }
        if let list { try ControlCharacters.check(list, field: "list", rule: .identifier) }
        let propensity = try f.double("propensity")
        if let p = propensity, !(p > 0 && p <= 1) {
            throw FieldProblem("propensity", "must be in (0, 1], got \(p)")
        }
        return Event(
            user: UserID(user), paper: PaperID(paper), kind: kind, at: at, position: position, list: list,
            propensity: propensity)
    }
}
