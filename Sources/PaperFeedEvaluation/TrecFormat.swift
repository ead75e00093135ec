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
/// Errors name `FILE:LINE` and the field.
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

    static func parseQrels(_ bytes: [UInt8], name: String) throws -> Qrels {
        var out: [UserID: [PaperID: Int]] = [:]
        var firstLine: [UserID: [PaperID: Int]] = [:]
        try forEachLine(bytes, name: name, fields: ["user", "iteration", "paper", "grade"]) { f, line in
            let user = UserID(f.string(0)), paper = PaperID(f.string(2))
            guard let grade = f.int(3) else {
                throw EvaluationError.malformedLine(
                    file: name, line: line, field: "4 (grade)",
                    message: "'\(f.string(3))' is not an integer; write `user 0 paper grade` with an integer grade")
            }
            if let first = firstLine[user]?[paper] {
                throw EvaluationError.duplicateEntry(
                    file: name, line: line, user: user.rawValue, paper: paper.rawValue, firstLine: first)
            }
            firstLine[user, default: [:]][paper] = line
            out[user, default: [:]][paper] = grade
        }
        return Qrels(out)
    }

    static func parseRun(_ bytes: [UInt8], name: String) throws -> Run {
        var out: [UserID: [ScoredPaper]] = [:]
        var seen: [UserID: [PaperID: Int]] = [:]
        var lastUser: UserID? = nil
        var current: [ScoredPaper] = []
        var currentSeen: [PaperID: Int] = [:]
        func flush() {
            if let u = lastUser {
                out[u] = current
                seen[u] = currentSeen
            }
        }
        try forEachLine(bytes, name: name, fields: ["user", "Q0", "paper", "rank", "score", "tag"]) { f, line in
            let user = UserID(f.string(0)), paper = PaperID(f.string(2))
            guard f.int(3) != nil else {
                throw EvaluationError.malformedLine(
                    file: name, line: line, field: "4 (rank)",
                    message: "'\(f.string(3))' is not an integer; write `user Q0 paper rank score tag`")
            }
            guard let score = Double(f.string(4)), score.isFinite else {
                throw EvaluationError.malformedLine(
                    file: name, line: line, field: "5 (score)",
                    message: "'\(f.string(4))' is not a finite number; write `user Q0 paper rank score tag`")
            }
            if user != lastUser {
                flush()
                lastUser = user
                current = out.removeValue(forKey: user) ?? []
                currentSeen = seen.removeValue(forKey: user) ?? [:]
            }
            if let first = currentSeen[paper] {
                throw EvaluationError.duplicateEntry(
                    file: name, line: line, user: user.rawValue, paper: paper.rawValue, firstLine: first)
            }
            currentSeen[paper] = line
            current.append(ScoredPaper(paper: paper, score: score))
        }
        flush()
        return Run(out)
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
    /// `tieBreak`), rank 1, 2, …; scores printed so that they read back exactly.
    public static func format(_ run: Run, tag: String = "paperfeed", tieBreak: TieBreak = .paperIDDescending) -> String {
        var out = ""
        for user in run.users {
            for (i, item) in run.ranked(user, tieBreak: tieBreak).enumerated() {
                out += "\(user.rawValue) Q0 \(item.paper.rawValue) \(i + 1) \(item.score) \(tag)\n"
            }
        }
        return out
    }

    public static func writeQrels(_ qrels: Qrels, path: String) throws {
        try write(format(qrels), path: path)
    }

    public static func writeRun(_ run: Run, path: String, tag: String = "paperfeed",
                                tieBreak: TieBreak = .paperIDDescending) throws {
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

    /// Whitespace-separated fields of one line, as byte ranges into the file.
    struct Fields {
        let bytes: UnsafeBufferPointer<UInt8>
        var starts: [Int]
        var ends: [Int]
        func string(_ i: Int) -> String {
            String(decoding: UnsafeBufferPointer(rebasing: bytes[starts[i]..<ends[i]]), as: UTF8.self)
        }
        func int(_ i: Int) -> Int? {
            var j = starts[i]
            let end = ends[i]
            guard j < end else { return nil }
            var negative = false
            if bytes[j] == 45 || bytes[j] == 43 {
                negative = bytes[j] == 45
                j += 1
            }
            guard j < end, end - j <= 18 else { return nil }
            var v = 0
            while j < end {
                let c = bytes[j]
                guard c >= 48, c <= 57 else { return nil }
                v = v * 10 + Int(c - 48)
                j += 1
            }
            return negative ? -v : v
        }
    }

    /// Calls `body` for every non-empty line with exactly `fields.count` fields.
    static func forEachLine(
        _ bytes: [UInt8], name: String, fields names: [String],
        _ body: (Fields, Int) throws -> Void
    ) throws {
        try bytes.withUnsafeBufferPointer { buf in
            var f = Fields(bytes: buf, starts: [], ends: [])
            f.starts.reserveCapacity(8)
            f.ends.reserveCapacity(8)
            var i = 0, line = 0
            let n = buf.count
            while i < n {
                line += 1
                f.starts.removeAll(keepingCapacity: true)
                f.ends.removeAll(keepingCapacity: true)
                while i < n, buf[i] != 10 {
                    let c = buf[i]
                    if c == 32 || c == 9 || c == 13 {
                        i += 1
                        continue
                    }
                    f.starts.append(i)
                    while i < n, buf[i] != 32, buf[i] != 9, buf[i] != 13, buf[i] != 10 { i += 1 }
                    f.ends.append(i)
                }
                i += 1  // the newline
                if f.starts.isEmpty { continue }
                if f.starts.count != names.count {
                    let which = f.starts.count < names.count
                        ? "\(f.starts.count + 1) (\(names[f.starts.count])) is missing"
                        : "\(names.count + 1) is unexpected"
                    throw EvaluationError.malformedLine(
                        file: name, line: line, field: which,
                        message: "expected \(names.count) whitespace-separated fields `\(names.joined(separator: " "))`, "
                            + "found \(f.starts.count)")
                }
                try body(f, line)
            }
        }
    }
}
