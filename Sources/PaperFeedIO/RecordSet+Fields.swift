import Foundation
import PaperFeedCore

/// Record-oriented input shared by the JSONL and CSV formats of papers, events and upvote
/// observations: every record answers "what is the value of canonical field F".
///
/// Field lookup: the key (JSON member or CSV column) of canonical field F is
/// `options.columnMap[F]` when given, else F itself, else the first alias of F present in the
/// CSV header (e.g. `arxiv_id` for `paper`). CSV header names are trimmed and compared
/// exactly; a UTF-8 byte-order mark is ignored.
///
/// Limits: a JSONL line or CSV record longer than `maxRecordBytes` (4 MiB) is refused as
/// `line: record is N bytes, longer than the limit of 4194304` (the longest bundled arXiv line is
/// 56 KB); JSON nesting is limited by `JSONScanner.maxDepth`.
struct RecordSet {
    /// Longest JSONL line or CSV record accepted, in bytes (4 MiB). Bounds the memory and time one
    /// hostile row can cost; documented in Data/README.md "Limits".
    static let maxRecordBytes = 4 << 20

    enum Format { case jsonl, csv }
    enum Storage {
        case json([String: JSONValue])
        case csv([String])
    }
    struct Record {
        var line: Int
        var range: Range<Int>
        var storage: Storage
    }

    var file: InputFile
    var records: [Record] = []
    var issues: [RowIssue] = []
    /// canonical field → JSON key
    var keys: [String: String] = [:]
    /// canonical field → CSV column index
    var columns: [String: Int] = [:]

    /// Reads the records. Throws `IOError.badHeader` when a CSV lacks a required column.
    init(
        file: InputFile, format: Format, required: [String], optional: [String], aliases: [String: [String]] = [:],
        options: ParseOptions
    ) throws {
        self.file = file
        for (field, column) in options.columnMap.sorted(by: { $0.key < $1.key }) where !(required + optional).contains(field) || column.isEmpty {
            throw IOError.badColumnMap(
                "\(file.path): --map \(field)=\(column): the fields of this format are \((required + optional).joined(separator: ", "))")
        }
        for field in required + optional { keys[field] = options.columnMap[field] ?? field }
        switch format {
        case .jsonl: readJSONLines()
        case .csv: try readCSV(required: required, optional: optional, aliases: aliases, options: options)
        }
    }

    private mutating func readJSONLines() {
        for line in file.lines() {
            if file.isBlank(line.range) { continue }
            if let issue = RecordSet.sizeIssue(file, line.range, line: line.number) {
                issues.append(issue)
                continue
            }
            if let issue = file.utf8Issue(in: line.range, line: line.number) {
                issues.append(issue)
                continue
            }
            do {
                let value = try JSONScanner.parse(file.bytes, line.range)
                guard case .object(let members) = value else {
                    issues.append(issue(line.number, line.range, "line", "expected a JSON object"))
                    continue
                }
                records.append(Record(line: line.number, range: line.range, storage: .json(members)))
            } catch {
                let reason =
                    error.nesting
                    ? "\(error.reason) (at byte \(error.offset))"
                    : error.truncated
                    ? "truncated JSON: \(error.reason) at byte \(error.offset)"
                    : "invalid JSON at byte \(error.offset): \(error.reason)"
                issues.append(issue(line.number, line.range, "line", reason))
            }
        }
    }

    private mutating func readCSV(required: [String], optional: [String], aliases: [String: [String]], options: ParseOptions) throws {
        let (csv, csvIssues) = CSVReader.read(file)
        guard let header = csv.first else { throw IOError.emptyFile(file.path) }
        var names = header.fields.map { $0.trimmingCharacters(in: .whitespaces) }
        if let first = names.first, first.hasPrefix("\u{FEFF}") { names[0] = String(first.dropFirst()) }
        var index: [String: Int] = [:]
        for (k, name) in names.enumerated() where index[name] == nil { index[name] = k }
        for field in required + optional {
            var candidates = [options.columnMap[field] ?? field]
            if options.columnMap[field] == nil { candidates += aliases[field] ?? [] }
            if let column = candidates.lazy.compactMap({ index[$0] }).first {
                columns[field] = column
            } else if required.contains(field) {
                let mapped = options.columnMap[field].map { " (mapped to `\($0)`)" } ?? ""
                throw IOError.badHeader(
                    file.path,
                    reason: "missing column `\(field)`\(mapped); the header has \(names.joined(separator: ", ")); map a column with --map \(field)=COLUMN")
            }
        }
        issues = csvIssues.filter { $0.line != header.line }
        for record in csv.dropFirst() {
            if let issue = RecordSet.sizeIssue(file, record.range, line: record.line) {
                issues.append(issue)
                continue
            }
            if record.fields.count != names.count {
                issues.append(
                    issue(record.line, record.range, "record", "expected \(names.count) columns, found \(record.fields.count)"))
                continue
            }
            records.append(Record(line: record.line, range: record.range, storage: .csv(record.fields)))
        }
        issues.sort { $0.line < $1.line }
    }

    /// The issue for a record longer than `maxRecordBytes` (its raw text cut to 200 bytes), or nil.
    static func sizeIssue(_ file: InputFile, _ range: Range<Int>, line: Int) -> RowIssue? {
        guard range.count > maxRecordBytes else { return nil }
        return RowIssue(
            file: file.path, line: line, field: "line",
            reason: "record is \(range.count) bytes, longer than the limit of \(maxRecordBytes)",
            raw: file.text(range.lowerBound..<(range.lowerBound + 200)))
    }

    func issue(_ line: Int, _ range: Range<Int>, _ field: String, _ reason: String) -> RowIssue {
        RowIssue(file: file.path, line: line, field: field, reason: reason, raw: file.text(range))
    }

    /// The value of canonical `field` in `record`.
    func value(_ record: Record, _ field: String) -> FieldValue {
        switch record.storage {
        case .json(let members):
            guard let v = members[keys[field] ?? field] else { return .missing }
            return FieldValue(v)
        case .csv(let fields):
            guard let k = columns[field], k < fields.count else { return .missing }
            let text = fields[k]
            return text.isEmpty ? .missing : .text(text)
        }
    }

    /// A typed view of one record (see `FieldReader`).
    func reader(_ record: Record, options: ParseOptions) -> FieldReader {
        FieldReader(set: self, record: record, options: options)
    }
}

/// A field as found in a record, before validation.
enum FieldValue {
    case missing
    case null
    case text(String)
    case number(String)
    case list([String])
    case other(String)

    init(_ json: JSONValue) {
        switch json {
        case .string(let s): self = .text(s)
        case .number(let n): self = .number(n)
        case .bool(let b): self = .other(b ? "true" : "false")
        case .null: self = .null
        case .object: self = .other("an object")
        case .array(let items):
            var list: [String] = []
            for item in items {
                switch item {
                case .string(let s): list.append(s)
                case .number(let n): list.append(n)
                default: self = .other("an array of non-strings"); return
                }
            }
            self = .list(list)
        }
    }
}

/// A row-level problem found while reading one field: becomes a `RowIssue`.
struct FieldProblem: Error {
    var field: String
    var reason: String
    init(_ field: String, _ reason: String) {
        self.field = field
        self.reason = reason
    }
}
