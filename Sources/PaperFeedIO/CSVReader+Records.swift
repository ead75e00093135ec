/// One CSV record: the line it starts on, its bytes and its fields (unquoted, `""` → `"`).
struct CSVRecord: Sendable {
    var line: Int
    var range: Range<Int>
    var fields: [String]
}

/// RFC 4180 CSV: comma separated, fields optionally in double quotes, `""` inside quotes
/// is one quote, quoted fields may span lines (the record's line is its first line), CRLF or
/// LF line ends. Blank lines are skipped. A quote that is never closed swallows the rest of
/// the file and is reported as `record: unclosed quote` at the line where the record began.
/// Records with invalid UTF-8 are reported (`line: invalid UTF-8 at byte N`, N counted from
/// the record's first byte) and dropped.
enum CSVReader {
    static func read(_ file: InputFile) -> (records: [CSVRecord], issues: [RowIssue]) {
        var records: [CSVRecord] = []
        var issues: [RowIssue] = []
        let b = file.bytes
        let n = b.count
        var i = 0
        var line = 1
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), lf = UInt8(10), cr = UInt8(13)
        while i < n {
            let recordStart = i
            let recordLine = line
            var fields: [String] = []
            var atEnd = false
            while !atEnd {
                if i < n && b[i] == quote {
                    // Quoted field.
                    i += 1
                    var buffer: [UInt8] = []
                    var closed = false
                    while i < n {
                        let c = b[i]
                        if c == quote {
                            if i + 1 < n && b[i + 1] == quote {
                                buffer.append(quote)
                                i += 2
                                continue
                            }
                            i += 1
                            closed = true
                            break
                        }
                        if c == lf { line += 1 }
                        buffer.append(c)
                        i += 1
                    }
                    if !closed {
                        issues.append(
                            RowIssue(
                                file: file.path, line: recordLine, field: "record", reason: "unclosed quote",
                                raw: String(decoding: b[recordStart..<min(n, recordStart + 200)], as: UTF8.self)))
                        return (records, issues)
                    }
                    // Text after the closing quote (not RFC 4180) is kept literally.
                    while i < n && b[i] != comma && b[i] != lf && !(b[i] == cr && (i + 1 == n || b[i + 1] == lf)) {
                        buffer.append(b[i])
                        i += 1
                    }
                    fields.append(String(decoding: buffer, as: UTF8.self))
                } else {
                    let s = i
                    while i < n && b[i] != comma && b[i] != lf { i += 1 }
                    var e = i
                    if e > s && b[e - 1] == cr && (i == n || b[i] == lf) { e -= 1 }
                    fields.append(String(decoding: b[s..<e], as: UTF8.self))
                }
                // Delimiter.
                if i < n && b[i] == comma {
                    i += 1
                } else {
                    if i < n && b[i] == cr { i += 1 }
                    if i < n && b[i] == lf { i += 1; line += 1 }
                    atEnd = true
                }
            }
            var recordEnd = i
            while recordEnd > recordStart && (b[recordEnd - 1] == lf || b[recordEnd - 1] == cr) { recordEnd -= 1 }
            let range = recordStart..<recordEnd
            if fields.count == 1 && fields[0].isEmpty { continue }  // blank line
            if let issue = file.utf8Issue(in: range, line: recordLine) {
                issues.append(issue)
                continue
            }
            records.append(CSVRecord(line: recordLine, range: range, fields: fields))
        }
        return (records, issues)
    }
}
