import Foundation
import PaperFeedCore

/// Typed, validating access to the fields of one record. Each accessor throws a
/// `FieldProblem` naming the canonical field; the parser turns it into a `RowIssue` and drops
/// the row (one issue per rejected row: the first problem found).
///
/// Rules shared by every record format:
/// - text: JSON strings or numbers, CSV cells; an empty CSV cell is the same as a missing field;
/// - lists: a JSON array of strings, or one string whose items are separated by `;`
///   (items trimmed, empty items dropped);
/// - timestamps: ISO 8601 (`Timestamp.parse`): `YYYY-MM-DD` is midnight UTC; a time later
///   than `options.now + options.futureTolerance` is rejected as "in the future";
/// - counts: whole numbers ≥ 0 (a JSON number such as `12.0` or `1e2` is accepted, `12.5` is
///   not); a text (CSV cell, JSON string) must be plain decimal digits (`0x10`, `1e2`, `inf` are
///   refused);
/// - control characters (see `ControlCharacters`): no text may hold NUL (U+0000: SQLite text
///   bound through GRDB ends at the first NUL, so it would be stored cut short); ids (`identifier`)
///   and single-line fields (list items, organization) hold no C0 control (U+0000–U+001F) nor
///   DEL (U+007F) other than, for single-line fields, tab; titles and abstracts keep tab, line
///   breaks and the other C0 controls exactly;
/// - timestamps are rounded to whole milliseconds, the store's precision, so what is accepted is
///   exactly what reads back.
struct FieldReader {
    let set: RecordSet
    let record: RecordSet.Record
    let options: ParseOptions

    func value(_ field: String) -> FieldValue { set.value(record, field) }

    /// A required id (paper, user): non-blank, trimmed of blanks, without control characters,
    /// in Unicode NFC (see `FieldReader.normalizedID`).
    func identifier(_ field: String) throws(FieldProblem) -> String {
        let id = try required(field).trimmedBlanks
        try ControlCharacters.check(id, field: field, rule: .identifier)
        return FieldReader.normalizedID(id)
    }

    /// `id` in Unicode Normalization Form C. Swift compares strings by canonical equivalence
    /// (`e\u{301}` == `\u{e9}`) but SQLite by bytes, so two spellings of one id would be one key
    /// in every dictionary of the program and two rows in the store; NFC makes them one id
    /// everywhere. ASCII ids (all the bundled data) are returned as they are.
    static func normalizedID(_ id: String) -> String {
        id.utf8.allSatisfy { $0 < 0x80 } ? id : id.precomposedStringWithCanonicalMapping
    }

    /// An optional single-line text (organization, list id): no control character but tab.
    func singleLine(_ field: String) throws(FieldProblem) -> String? {
        guard let text = try optional(field) else { return nil }
        try ControlCharacters.check(text, field: field, rule: .singleLine)
        return text
    }

    /// A required, non-blank text.
    func required(_ field: String) throws(FieldProblem) -> String {
        guard let text = try optional(field) else { throw FieldProblem(field, "missing") }
        guard !text.allSatisfy(\.isWhitespace) else { throw FieldProblem(field, "empty") }
        return text
    }

    /// An optional text (nil when missing or null); never one holding NUL.
    func optional(_ field: String) throws(FieldProblem) -> String? {
        switch value(field) {
        case .missing, .null: return nil
        case .number(let s): return s
        case .text(let s):
            try ControlCharacters.check(s, field: field, rule: .text)
            return s
        case .list: throw FieldProblem(field, "expected a string, found an array")
        case .other(let kind): throw FieldProblem(field, "expected a string, found \(kind)")
        }
    }

    /// A list (array, or `;`-separated string); `[]` when missing.
    func list(_ field: String) throws(FieldProblem) -> [String] {
        switch value(field) {
        case .missing, .null: return []
        case .list(let items):
            for item in items { try ControlCharacters.check(item, field: field, rule: .singleLine) }
            return items.map { $0.trimmedBlanks }.filter { !$0.isEmpty }
        case .text(let s):
            try ControlCharacters.check(s, field: field, rule: .singleLine)
            return s.split(separator: ";").map { String($0).trimmedBlanks }.filter { !$0.isEmpty }
        case .number(let n): return [n]
        case .other(let kind): throw FieldProblem(field, "expected an array of strings, found \(kind)")
        }
    }

    /// An ISO 8601 timestamp not in the future; nil when missing (unless `required`).
    func timestamp(_ field: String, required: Bool) throws(FieldProblem) -> Date? {
        guard let text = try optional(field), !text.allSatisfy(\.isWhitespace) else {
            if required { throw FieldProblem(field, "missing") }
            return nil
        }
        guard let parsed = Timestamp.parse(text.trimmedBlanks) else {
            throw FieldProblem(field, "not an ISO 8601 date or date-time: \"\(text)\"")
        }
        let date = FieldReader.storable(parsed)
        try FieldReader.checkNotFuture(date, field: field, options: options)
        return date
    }

    /// `date` rounded to whole milliseconds (the store keeps INTEGER milliseconds), computed as
    /// the store reads it back, so a parsed time equals the stored one exactly.
    static func storable(_ date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 * 1000).rounded() / 1000)
    }

    static func checkNotFuture(_ date: Date, field: String, options: ParseOptions) throws(FieldProblem) {
        let limit = options.now.addingTimeInterval(options.futureTolerance)
        if date > limit {
            throw FieldProblem(
                field,
                "\(Timestamp.format(date)) is in the future (now is \(Timestamp.format(options.now)), tolerance \(Int(options.futureTolerance)) s)")
        }
    }

    /// A whole number; nil when missing. A JSON number may have a fraction or exponent when its
    /// value is whole (`12.0`, `1e2`); a text must be plain decimal digits with an optional sign.
    func integer(_ field: String) throws(FieldProblem) -> Int? {
        switch value(field) {
        case .missing, .null: return nil
        case .text(let s):
            let t = s.trimmedBlanks
            if t.isEmpty { return nil }
            if NumberSyntax.isDecimalInteger(t), let v = Int(t) { return v }
            throw FieldProblem(field, "not a whole number: \"\(s)\"")
        case .number(let s):
            if let v = Int(s) { return v }
            if let d = Double(s), d.isFinite, d == d.rounded(), abs(d) < 1e15 { return Int(d) }
            throw FieldProblem(field, "not a whole number: \"\(s)\"")
        case .list: throw FieldProblem(field, "not a whole number: an array")
        case .other(let kind): throw FieldProblem(field, "not a whole number: \(kind)")
        }
    }

    /// A count ≥ 0; nil when missing.
    func count(_ field: String) throws(FieldProblem) -> Int? {
        guard let v = try integer(field) else { return nil }
        if v < 0 { throw FieldProblem(field, "negative count \(v)") }
        return v
    }

    /// A decimal number; nil when missing.
    func double(_ field: String) throws(FieldProblem) -> Double? {
        switch value(field) {
        case .missing, .null: return nil
        case .text(let s), .number(let s):
            let t = s.trimmedBlanks
            if t.isEmpty { return nil }
            guard NumberSyntax.isDecimal(t), let d = Double(t), d.isFinite else {
                throw FieldProblem(field, "not a number: \"\(s)\" (write a decimal, e.g. 0.25)")
            }
            return d
        case .list: throw FieldProblem(field, "not a number: an array")
        case .other(let kind): throw FieldProblem(field, "not a number: \(kind)")
        }
    }
}

extension String {
    /// The string without leading/trailing ASCII blanks (space, tab, CR, LF). Returns `self`
    /// unchanged (no copy) in the common case where there is nothing to trim; much faster
    /// than Foundation's `trimmingCharacters(in:)` on the hot ingest path.
    var trimmedBlanks: String {
        let u = utf8
        func blank(_ c: UInt8) -> Bool { c == 32 || c == 9 || c == 10 || c == 13 }
        guard let f = u.first, let l = u.last, blank(f) || blank(l) else { return self }
        guard let s = u.firstIndex(where: { !blank($0) }), let e = u.lastIndex(where: { !blank($0) }) else { return "" }
        return String(self[s...e])
    }
}
