import Foundation
import PaperFeedCore

/// How one input file is read: streamed in chunks (papers jsonl/csv/arxiv, events, upvotes) or
/// whole (a Daily Papers page, which is one listing, parsed as a unit).
struct FilePlan: Sendable {
    enum Reading: Sendable {
        case papers(PaperFormat)
        case events(EventFormat)
        case upvotes
    }
    var index: Int
    var path: String
    /// The key of the file's progress record: its absolute path, symlinks resolved.
    var key: String
    var kind: IngestKind
    var reading: Reading
    var strict: Bool
    /// The progress of an earlier run that stopped part-way through this file.
    var resume: IngestProgress?
    var parse: ParseOptions

    var streamed: Bool {
        if case .papers(.dailypapers) = reading { return false }
        return true
    }

    var records: InputChunkReader.Records {
        switch reading {
        case .papers(let f): return f == .csv ? .csv : .lines
        case .events(let f): return f == .csv ? .csv : .lines
        case .upvotes: return EventFormat.infer(path: path) == .jsonl ? .lines : .csv
        }
    }
}

extension InputFile {
    /// Bytes already inflated (a chunk of a file): never inflated again, may be empty.
    init(path: String, inflated bytes: [UInt8]) {
        self.path = path
        self.bytes = bytes
        self.wasGzip = false
    }
}

/// Parsing one chunk with the ordinary parsers, then putting its line numbers back in file terms.
enum ChunkParser {
    /// The good rows and the issues of `chunk`, lines numbered as in the whole file.
    static func parse(_ chunk: InputChunk, plan: FilePlan) throws -> (IngestRows, [RowIssue]) {
        var bytes = chunk.bytes
        var shift = chunk.firstLine - 1
        if let header = chunk.header {
            // CSV chunks after the first get the file's header record in front.
            bytes = header + bytes
            shift = chunk.firstLine - 1 - chunk.headerLines
        }
        let empty = chunk.bytes.isEmpty
        let file = InputFile(path: plan.path, inflated: bytes)
        switch plan.reading {
        case .papers(let format):
            if empty { return (.papers([], hashes: []), []) }
            let parsed = try PaperParser.parseRecords(file: file, format: format, options: plan.parse)
            return (.papers(shifted(parsed.rows, shift)), shifted(parsed.issues, shift))
        case .events(let format):
            if empty { return (.events([]), []) }
            let parsed = format == .jsonl
                ? try EventParser.parseJSONLines(file: file, options: plan.parse)
                : try EventParser.parse(file: file, format: format, options: plan.parse)
            return (.events(shifted(parsed.rows, shift)), shifted(parsed.issues, shift))
        case .upvotes:
            if empty { return (.observations([], source: nil), []) }
            let parsed = try UpvoteParser.parse(file: file, options: plan.parse)
            return (.observations(shifted(parsed.rows, shift), source: nil), shifted(parsed.issues, shift))
        }
    }

    static func shifted<Row>(_ rows: [Located<Row>], _ shift: Int) -> [Located<Row>] {
        guard shift != 0 else { return rows }
        return rows.map { Located(line: $0.line + shift, row: $0.row) }
    }

    static func shifted(_ issues: [RowIssue], _ shift: Int) -> [RowIssue] {
        guard shift != 0 else { return issues }
        return issues.map {
            var issue = $0
            issue.line += shift
            return issue
        }
    }
}

/// The duplicate-id rule of `PaperParser` over a whole file read in chunks: a later row whose
/// id was already seen in the file with *different* content is an issue
/// (`id: duplicate id with different content (first at line N)`); an identical repeat is kept
/// (the store counts it as a duplicate). It remembers each id of the file once (its content
/// hash and line: about 60 bytes per paper).
struct PaperIDLedger {
    private var first: [String: (hash: UInt64, line: Int)] = [:]

    /// Indices of the rows to keep; the others become issues.
    mutating func filter(_ rows: [Located<Paper>], hashes: [UInt64], file: String, issues: inout [RowIssue]) -> [Int] {
        var kept: [Int] = []
        kept.reserveCapacity(rows.count)
        var found = false
        for (index, row) in rows.enumerated() {
            let hash = hashes[index]
            if let earlier = first[row.row.id.rawValue] {
                if earlier.hash != hash {
                    found = true
                    issues.append(
                        RowIssue(
                            file: file, line: row.line, field: "id",
                            reason: "duplicate id with different content (first at line \(earlier.line))", raw: row.row.id.rawValue))
                    continue
                }
            } else {
                first[row.row.id.rawValue] = (hash, row.line)
            }
            kept.append(index)
        }
        if found { issues.sort { $0.line < $1.line } }
        return kept
    }
}
