import Foundation
import PaperFeedCore

/// A Hugging Face Daily Papers page saved from a browser as plain text.
///
/// Layout (see Data/seed/dailypapers-000_*.txt):
/// ```
/// new / Get trending papers in your email inbox! / Subscribe / Daily Papers /
/// byAK and the research community / Mar 13          ← header junk, blank lines between
///
/// TITLE
///
/// ABSTRACT (one line)
///
///   • 5 authors            ← or an organisation line "HANDLE Display Name"
/// ·
/// Sep 27, 2023 5           ← date, optional trailing upvote count
///
/// NEXT TITLE …
/// ```
/// Entries are separated by one blank line. An entry may stop after its abstract (no
/// metadata block): then `publishedAt` and `upvotes` are nil. A metadata block is told from
/// the next entry's title by its `·` line.
///
/// Rules:
/// - header junk: leading blank lines, the lines listed in `headerLines`, and a bare
///   month-day line (`Mar 13`) before the first entry are skipped;
/// - dates: `Mon D, YYYY` or `Mon D` (month names in English, 3 letters or full). A date
///   without a year is in the year of `options.listingDate`, or the year before when that
///   would put it after the listing date. `publishedAt` is midnight UTC of that day;
/// - upvotes: a trailing number on the date line is the count. A dated entry without a
///   number has **0** upvotes: the page prints counts of 1 and more (1, 2, 3, 5 on the seed
///   page) but never a `0`, so a missing number on a dated entry is HF hiding a zero;
/// - `  • N authors` gives no names (authors stay empty); an organisation line is the HF
///   handle then the display name, and the display name is stored as `organization`;
/// - a NUL in the title or abstract, or a control character in the organisation, rejects the
///   entry (see `ControlCharacters`);
/// - the id is `DailyPapersID.make(title:)`; an entry whose title line is empty (three blank
///   lines between two entries where one belongs) cannot get an id and is a `RowIssue` (`title`).
///   Issue lines are the entry's title line.
enum DailyPapersPage {
    static let headerLines: Set<String> = [
        "new", "Get trending papers in your email inbox!", "Subscribe", "Daily Papers",
        "byAK and the research community",
    ]

    static func parse(file: InputFile, options: ParseOptions) -> Parsed<Paper> {
        var parsed = Parsed<Paper>(file: file.path)
        let refs = file.lines()
        let lines = refs.map { file.text($0.range).trimmingCharacters(in: .whitespaces) }
        let badUTF8 = Dictionary(
            refs.compactMap { ref in file.utf8Issue(in: ref.range, line: ref.number).map { (ref.number - 1, $0) } },
            uniquingKeysWith: { a, _ in a })
        let n = lines.count
        var i = 0
        while i < n && (lines[i].isEmpty || headerLines.contains(lines[i]) || isBareDay(lines[i])) { i += 1 }

        while i < n {
            // At a title position. A blank run of exactly two lines here is an empty title
            // line followed by its separator blank.
            if lines[i].isEmpty {
                var k = i
                while k < n && lines[k].isEmpty { k += 1 }
                if k == n { break }
                if k - i == 2 {
                    let (_, end) = entryTail(lines, abstractAt: k)
                    parsed.issues.append(
                        RowIssue(
                            file: file.path, line: i + 1, field: "title",
                            reason: "empty title line: the entry cannot get an id (abstract on line \(k + 1))",
                            raw: lines[i..<end].joined(separator: "\n")))
                    i = skipSeparator(lines, end)
                } else {
                    i = k
                }
                continue
            }
            let titleIndex = i
            var abstractIndex = i + 1
            if abstractIndex < n && lines[abstractIndex].isEmpty { abstractIndex += 1 }
            let (meta, end) = entryTail(lines, abstractAt: abstractIndex)
            let raw = lines[titleIndex..<end].joined(separator: "\n")
            if let bad = (titleIndex..<end).lazy.compactMap({ badUTF8[$0] }).first {
                parsed.issues.append(RowIssue(file: file.path, line: titleIndex + 1, field: bad.field, reason: bad.reason, raw: raw))
            } else {
                do {
                    let abstract = abstractIndex < n ? lines[abstractIndex] : ""
                    let paper = try makePaper(title: lines[titleIndex], abstract: abstract, meta: meta, options: options)
                    parsed.rows.append(Located(line: titleIndex + 1, row: paper))
                } catch {
                    parsed.issues.append(RowIssue(file: file.path, line: titleIndex + 1, field: error.field, reason: error.reason, raw: raw))
                }
            }
            i = skipSeparator(lines, end)
        }
        return parsed
    }

    /// The metadata lines of the entry whose abstract is at `a` and the index just past the
    /// entry. Metadata is the block of non-blank lines after the abstract (directly or after
    /// one blank line) when that block has a `·` line, or any non-blank lines directly under
    /// the abstract; otherwise the entry has none and the block is the next entry's title.
    private static func entryTail(_ lines: [String], abstractAt a: Int) -> ([String], Int) {
        let n = lines.count
        guard a < n else { return ([], n) }
        var start = a + 1
        if start < n && lines[start].isEmpty { start += 1 }
        var e = start
        while e < n && !lines[e].isEmpty { e += 1 }
        let block = Array(lines[min(start, n)..<e])
        if start == a + 1 && !block.isEmpty { return (block, e) }
        if block.contains("·") { return (block, e) }
        return ([], a + 1)
    }

    /// Skips the one blank line that separates entries.
    private static func skipSeparator(_ lines: [String], _ i: Int) -> Int {
        i < lines.count && lines[i].isEmpty ? i + 1 : i
    }

    private static func makePaper(title: String, abstract: String, meta: [String], options: ParseOptions) throws(FieldProblem) -> Paper {
        try ControlCharacters.check(title, field: "title", rule: .text)
        try ControlCharacters.check(abstract, field: "abstract", rule: .text)
        guard let id = DailyPapersID.make(title: title) else {
            throw FieldProblem("title", "title has no letters or digits: the entry cannot get an id")
        }
        var paper = Paper(id: id, title: title, abstract: abstract, source: "dailypapers")
        guard !meta.isEmpty else { return paper }
        guard let dot = meta.firstIndex(of: "·"), dot + 2 == meta.count else {
            throw FieldProblem("published_at", "expected metadata lines, a `·` line and a date after the abstract, found \"\(meta.joined(separator: " | "))\"")
        }
        for line in meta[..<dot] {
            if line.hasPrefix("•") { continue }  // "• N authors": a count, no names
            if let space = line.firstIndex(of: " ") {
                paper.organization = String(line[line.index(after: space)...]).trimmingCharacters(in: .whitespaces)
            } else {
                paper.organization = line
            }
            try ControlCharacters.check(paper.organization ?? "", field: "organization", rule: .singleLine)
        }
        let (date, count) = try parseDateLine(meta[dot + 1], listingDate: options.listingDate)
        try FieldReader.checkNotFuture(date, field: "published_at", options: options)
        paper.publishedAt = date
        paper.upvotes = count ?? 0
        return paper
    }

    static let months: [String: Int] = {
        let names = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"]
        var m: [String: Int] = [:]
        for (k, name) in names.enumerated() {
            m[name] = k + 1
            m[String(name.prefix(3))] = k + 1
        }
        m["sept"] = 9
        return m
    }()

    /// `Mon D` alone (the page's listing-day line in the header).
    static func isBareDay(_ line: String) -> Bool {
        let parts = line.split(separator: " ")
        return parts.count == 2 && months[parts[0].lowercased()] != nil && Int(parts[1]) != nil
    }

    /// `Mon D, YYYY [N]` or `Mon D [N]` → (midnight UTC, count).
    static func parseDateLine(_ line: String, listingDate: Date) throws(FieldProblem) -> (Date, Int?) {
        let parts = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        func bad() -> FieldProblem { FieldProblem("published_at", "unrecognised date \"\(line)\" (expected `Mon D, YYYY` or `Mon D`, optionally followed by the upvote count)") }
        guard parts.count >= 2, parts.count <= 4, let month = months[parts[0].lowercased()] else { throw bad() }
        var dayText = parts[1]
        let hasYear = dayText.hasSuffix(",")
        if hasYear { dayText.removeLast() }
        guard let day = Int(dayText) else { throw bad() }
        var rest = Array(parts[2...])
        var year: Int
        if hasYear {
            guard let first = rest.first, first.count == 4, let y = Int(first) else { throw bad() }
            year = y
            rest.removeFirst()
        } else {
            let listing = Timestamp.civil(listingDate)
            year = listing.year
            if let candidate = Timestamp.date(year: year, month: month, day: day), candidate > listingDate { year -= 1 }
        }
        guard rest.count <= 1 else { throw bad() }
        var count: Int? = nil
        if let c = rest.first {
            guard let v = Int(c) else { throw FieldProblem("upvotes", "not a whole number: \"\(c)\"") }
            guard v >= 0 else { throw FieldProblem("upvotes", "negative count \(v)") }
            count = v
        }
        guard let date = Timestamp.date(year: year, month: month, day: day) else { throw bad() }
        return (date, count)
    }
}
