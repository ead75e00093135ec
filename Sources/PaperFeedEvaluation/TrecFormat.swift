import Foundation
import PaperFeedCore

/// Reading and writing TREC qrels and run files — the only file IO of this module besides
/// `MetricsReport` writing.
///
/// - qrels: `user iteration paper grade` (trec_eval's `query 0 docno rel`), whitespace separated;
///   the iteration column is ignored; grade is an integer.
/// - run: `user Q0 paper rank score tag`; the Q0 and tag columns are kept only for writing,
///   the rank column must be an integer but is ignored (evaluation sorts by score, as trec_eval).
///
/// Empty lines are skipped. A repeated (user, paper) pair is an error (trec_eval rejects it too).
/// Fields are separated by blanks (space, tab, CR, and — like trec_eval's `isspace` — vertical
/// tab and form feed). A UTF-8 byte-order mark at the start of the file is skipped; a line with
/// invalid UTF-8 or with another control character (NUL, U+0001 … U+001F, DEL) is an error:
/// decoding would turn different invalid ids into one U+FFFD id, and control characters hide in
/// ids. Errors name `FILE:LINE` and the field.
public enum TrecFormat {
    // MARK: reading

    public static func readQrels(path: String) throws -> Qrels {
        try parseQrels(readBytes(path), name: path)
    }

    public static func readRun(path: String) throws -> Run {
        try parseRun(readBytes(path), name: path)
    }

    /// Parses qrels text; `name` is used in error messages in place of a file name.
    public static func parseQrels(_ text: String, name: String = "<qrels>") throws -> Qrels {
        try parseQrels(Array(text.utf8), name: name)
    }

    public static func parseRun(_ text: String, name: String = "<run>") throws -> Run {
        try parseRun(Array(text.utf8), name: name)
    }

    /// Parses qrels from bytes already read (e.g. inflated from gzip by PaperFeedIO).
    public static func parseQrels(bytes: [UInt8], name: String) throws -> Qrels { try parseQrels(bytes, name: name) }

    /// Parses a run from bytes already read (e.g. inflated from gzip by PaperFeedIO).
    public static func parseRun(bytes: [UInt8], name: String) throws -> Run { try parseRun(bytes, name: name) }

    static func parseQrels(_ bytes: [UInt8], name: String) throws -> Qrels {
        var out: [UserID: [PaperID: Int]] = [:]
        try bytes.withUnsafeBufferPointer { buf in
            var f = LineScanner(buf, name: name, fields: ["user", "iteration", "paper", "grade"])
            var user = UserID("")
            while try f.next() {
                if !f.equals(0, user.rawValue) { user = UserID(f.string(0)) }
                let paper = PaperID(f.string(2))
                guard let grade = f.int(3) else {
                    throw f.error(4, "'\(f.string(3))' is not an integer; write `user 0 paper grade` with an integer grade")
                }
                if out[user, default: [:]].updateValue(grade, forKey: paper) != nil {
                    throw duplicate(buf, name: name, line: f.line, user: user, paper: paper, paperField: 2)
                }
            }
        }
        return Qrels(out)
    }

    static func parseRun(_ bytes: [UInt8], name: String) throws -> Run {
        var out: [UserID: [ScoredPaper]] = [:]
        var seen: [UserID: Set<PaperID>] = [:]
        try bytes.withUnsafeBufferPointer { buf in
            var f = LineScanner(buf, name: name, fields: ["user", "Q0", "paper", "rank", "score", "tag"])
            var user: UserID? = nil
            var current: [ScoredPaper] = []
            var currentSeen = Set<PaperID>()
            while try f.next() {
                if user == nil || !f.equals(0, user!.rawValue) {
                    if let u = user {
                        out[u] = current
                        seen[u] = currentSeen
                    }
                    let u = UserID(f.string(0))
                    user = u
                    current = out.removeValue(forKey: u) ?? []
                    currentSeen = seen.removeValue(forKey: u) ?? []
                }
                let paper = PaperID(f.string(2))
                guard f.int(3) != nil else {
                    throw f.error(4, "'\(f.string(3))' is not an integer; write `user Q0 paper rank score tag`")
                }
                guard let score = f.double(4), score.isFinite else {
                    throw f.error(5, "'\(f.string(4))' is not a finite number; write `user Q0 paper rank score tag`")
                }
                if !currentSeen.insert(paper).inserted {
                    throw duplicate(buf, name: name, line: f.line, user: user!, paper: paper, paperField: 2)
                }
                current.append(ScoredPaper(paper: paper, score: score))
            }
            if let u = user { out[u] = current }
        }
        return Run(out)
    }

    /// The error for a repeated (user, paper) on `line`, naming the line where it first appeared.
    static func duplicate(_ buf: UnsafeBufferPointer<UInt8>, name: String, line: Int, user: UserID, paper: PaperID,
                          paperField: Int) -> EvaluationError {
        var f = LineScanner(buf, name: name, fields: [], checkCount: false)
        var first = line
        while (try? f.next()) == true, f.line < line {
            if f.count > paperField, f.equals(0, user.rawValue), f.equals(paperField, paper.rawValue) {
                first = f.line
                break
            }
        }
        return .duplicateEntry(file: name, line: line, user: user.rawValue, paper: paper.rawValue, firstLine: first)
    }

    // MARK: writing

    /// Qrels text: users in byte order, papers in byte order, `user 0 paper grade`.
    public static func format(_ qrels: Qrels) -> String {
        var out = ""
        for user in qrels.users {
            guard let papers = qrels.judgments[user] else { continue }
            for paper in papers.keys.sorted() {
                out += "\(user.rawValue) 0 \(paper.rawValue) \(papers[paper]!)\n"
            }
        }
        return out
    }

    /// Run text: users in byte order, items in evaluation order (score descending, ties by
    /// `tieBreak`; `nil`: the lists' own order, e.g. a ranker's), rank 1, 2, …, and written
    /// scores made strictly decreasing by `RunScores` (so any tool reads back this order);
    /// scores printed so that they read back exactly.
    public static func format(_ run: Run, tag: String = "paperfeed", tieBreak: TieBreak? = .paperIDDescending) -> String {
        var out = ""
        let published = run.published(order: tieBreak)
        for user in published.users {
            for (i, item) in (published.lists[user] ?? []).enumerated() {
                out += "\(user.rawValue) Q0 \(item.paper.rawValue) \(i + 1) \(item.score) \(tag)\n"
            }
        }
        return out
    }

    public static func writeQrels(_ qrels: Qrels, path: String) throws {
        try write(format(qrels), path: path)
    }

    public static func writeRun(_ run: Run, path: String, tag: String = "paperfeed",
                                tieBreak: TieBreak? = .paperIDDescending) throws {
        try write(format(run, tag: tag, tieBreak: tieBreak), path: path)
    }

    // MARK: helpers

    static func readBytes(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw EvaluationError.io(path: path, message: "cannot read the file")
        }
        return [UInt8](data)
    }

    static func write(_ text: String, path: String) throws {
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw EvaluationError.io(path: path, message: "cannot write the file (\(error.localizedDescription))")
        }
    }

    /// Splits a buffer into lines of whitespace-separated fields (byte ranges), skipping blank lines.
    struct LineScanner {
        let buf: UnsafeBufferPointer<UInt8>
        let name: String
        let names: [String]
        let checkCount: Bool
        var starts = [Int](repeating: 0, count: 16)
        var ends = [Int](repeating: 0, count: 16)
        var count = 0
        var line = 0
        var position = 0

        init(_ buf: UnsafeBufferPointer<UInt8>, name: String, fields: [String], checkCount: Bool = true) {
            self.buf = buf
            self.name = name
            self.names = fields
            self.checkCount = checkCount
            if buf.count >= 3, buf[0] == 0xEF, buf[1] == 0xBB, buf[2] == 0xBF { position = 3 }
        }

        /// Space, tab, CR, vertical tab, form feed (LF ends the line).
        @inline(__always) static func isBlank(_ c: UInt8) -> Bool { c == 32 || c == 9 || c == 13 || c == 11 || c == 12 }

        /// Moves to the next non-blank line; false at the end.
        mutating func next() throws -> Bool {
            let n = buf.count
            while position < n {
                line += 1
                count = 0
                var i = position
                let lineStart = position
                var control: (field: Int, byte: UInt8)? = nil
                var nonASCII = false
                while i < n, buf[i] != 10 {
                    let c = buf[i]
                    if Self.isBlank(c) {
                        i += 1
                        continue
                    }
                    let start = i
                    while i < n {
                        let b = buf[i]
                        if b == 10 || Self.isBlank(b) { break }
                        if b < 32 || b == 127 {
                            if control == nil { control = (count, b) }
                        } else if b >= 0x80 {
                            nonASCII = true
                        }
                        i += 1
                    }
                    if count < 16 {
                        starts[count] = start
                        ends[count] = i
                    }
                    count += 1
                }
                position = i + 1
                if count == 0 { continue }
                if checkCount, let control {
                    let field = control.field < names.count ? "\(control.field + 1) (\(names[control.field]))" : "\(control.field + 1)"
                    throw EvaluationError.malformedLine(
                        file: name, line: line, field: field,
                        message: String(format: "control character U+%04X; remove it (fields may not contain control characters)", control.byte))
                }
                if checkCount, nonASCII, let bad = UTF8Validation.firstInvalid(buf, lineStart..<i) {
                    throw EvaluationError.malformedLine(
                        file: name, line: line, field: "line", message: "invalid UTF-8 at byte \(bad - lineStart + 1); save the file as UTF-8")
                }
                if checkCount && count != names.count {
                    let which = count < names.count ? "\(count + 1) (\(names[count])) is missing" : "\(names.count + 1) is unexpected"
                    throw EvaluationError.malformedLine(
                        file: name, line: line, field: which,
                        message: "expected \(names.count) whitespace-separated fields `\(names.joined(separator: " "))`, found \(count)")
                }
                return true
            }
            return false
        }

        func error(_ field: Int, _ message: String) -> EvaluationError {
            .malformedLine(file: name, line: line, field: "\(field) (\(names[field - 1]))", message: message)
        }

        func string(_ i: Int) -> String {
            String(decoding: UnsafeBufferPointer(rebasing: buf[starts[i]..<ends[i]]), as: UTF8.self)
        }

        /// Whether field i has exactly the bytes of `text`.
        func equals(_ i: Int, _ text: String) -> Bool {
            var text = text
            return text.withUTF8 { t in
                guard t.count == ends[i] - starts[i] else { return false }
                var j = starts[i]
                for c in t {
                    if buf[j] != c { return false }
                    j += 1
                }
                return true
            }
        }

        /// Skips a leading `+` or `-` at `j`; whether it was `-`.
        func sign(_ j: inout Int) -> Bool {
            guard buf[j] == 45 || buf[j] == 43 else { return false }
            defer { j += 1 }
            return buf[j] == 45
        }

        func int(_ i: Int) -> Int? {
            var j = starts[i]
            let end = ends[i]
            let negative = sign(&j)
            guard j < end, end - j <= 18 else { return nil }
            var v = 0
            while j < end {
                let c = buf[j]
                guard c >= 48, c <= 57 else { return nil }
                v = v * 10 + Int(c - 48)
                j += 1
            }
            return negative ? -v : v
        }

        /// Decimal number. Plain decimals with at most 15 significant digits take the exact
        /// fast path (integer / power of ten, one correctly rounded division — Clinger 1990);
        /// everything else goes through the standard library parser.
        func double(_ i: Int) -> Double? {
            var j = starts[i]
            let end = ends[i]
            let negative = sign(&j)
            var mantissa: UInt64 = 0
            var digits = 0, fraction = 0
            var seenDot = false, ok = j < end
            while j < end {
                let c = buf[j]
                if c >= 48 && c <= 57 {
                    if mantissa != 0 || c != 48 { digits += 1 }
                    mantissa = mantissa &* 10 &+ UInt64(c - 48)
                    if seenDot { fraction += 1 }
                } else if c == 46 && !seenDot {
                    seenDot = true
                } else {
                    ok = false
                    break
                }
                j += 1
            }
            if ok && digits <= 15 && fraction <= 22 && end - starts[i] > (seenDot ? 1 : 0) + (negative ? 1 : 0) {
                let v = Double(mantissa) / TrecFormat.powersOfTen[fraction]
                return negative ? -v : v
            }
            return Double(string(i))
        }
    }

    static let powersOfTen: [Double] = (0...22).map { p in (0..<p).reduce(1.0) { x, _ in x * 10 } }
}
