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
/// unclosed quote (`record`).
public enum EventParser {
    static let fields = ["user", "paper", "kind", "at"]
    static let optionalFields = ["position", "list", "propensity"]
    static let allowedKinds = EventKind.allCases.map(\.rawValue).joined(separator: ", ")

    public static func parse(path: String, format: EventFormat, options: ParseOptions) throws -> Parsed<Event> {
        try parse(file: InputFile(path: path), format: format, options: options)
    }

    public static func parse(file: InputFile, format: EventFormat, options: ParseOptions) throws -> Parsed<Event> {
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
        parsed.issues.sort { $0.line < $1.line }
        return parsed
    }

    private static func makeEvent(_ f: FieldReader) throws(FieldProblem) -> Event {
        let user = try f.required("user").trimmedBlanks
        let paper = try f.required("paper").trimmedBlanks
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
        let propensity = try f.double("propensity")
        if let p = propensity, !(p > 0 && p <= 1) {
            throw FieldProblem("propensity", "must be in (0, 1], got \(p)")
        }
        return Event(
            user: UserID(user), paper: PaperID(paper), kind: kind, at: at, position: position, list: list,
            propensity: propensity)
    }
}
