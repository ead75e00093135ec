import Foundation
import PaperFeedCore

/// Reads a bag-of-words corpus in LDA-C format (as citeulike-a/-t ship it).
///
/// - documents: line *i* (0-based) is `M w:c w:c …`: M distinct terms, `w` a 0-based id into
///   the vocabulary, `c` ≥ 1 its count; a line `0` is an empty document. The paper id is
///   `NAME:i`. Term ids are returned ascending.
/// - vocabulary: one term per line, 0-based.
/// - libraries (optional): line *u* (0-based) is `N id id …`, the papers of user `NAME:u<u>`
///   (e.g. `citeulike-t:u0` for the first line); ids index the documents.
///
/// A missing final newline is fine; blank lines at the end of a file are ignored; a blank
/// line elsewhere is a `record` issue (an empty document or library is written `0`).
/// Row issues (the line is dropped, the numbering of later lines is unchanged):
/// `terms` (M differs from the number of pairs), `term` (id out of range, repeated, or not a
/// number), `count` (≤ 0 or not a number), `items` (N differs from the number of ids),
/// `item` (id out of range or not a number), `line` (invalid UTF-8 in the vocabulary). A NUL in a
/// vocabulary term refuses the whole corpus (`IOError.unusableRow`): it cannot be stored, and
/// leaving the line out would shift every later term id.
public enum CorpusParser {
    public static func parse(name: String, documents: String, vocabulary: String, libraries: String?) throws -> Corpus {
        let vocabFile = try InputFile(path: vocabulary)
        var issues: [RowIssue] = []
        var vocab: [String] = []
        let vocabLines = trimTrailingBlank(vocabFile, vocabFile.lines())
        vocab.reserveCapacity(vocabLines.count)
        for line in vocabLines {
            if let issue = vocabFile.utf8Issue(in: line.range, line: line.number) { issues.append(issue) }
            let term = vocabFile.text(line.range)
            do throws(FieldProblem) {
                try ControlCharacters.check(term, field: "term", rule: .text)
            } catch {
                throw IOError.unusableRow(RowIssue(file: vocabulary, line: line.number, field: error.field, reason: error.reason, raw: term))
            }
            vocab.append(term)
        }

        let docFile = try InputFile(path: documents)
        let docLines = trimTrailingBlank(docFile, docFile.lines())
        var docs: [BagOfWordsDocument] = []
        docs.reserveCapacity(docLines.count)
        for line in docLines {
            let index = line.number - 1
            do throws(FieldProblem) {
                let tokens = Tokens.split(docFile.bytes, line.range)
                guard let first = tokens.first else { throw FieldProblem("record", "blank line; an empty document is written `0`") }
                guard let m = Tokens.int(docFile.bytes, first), m >= 0 else { throw FieldProblem("terms", "M is not a count") }
                guard m == tokens.count - 1 else { throw FieldProblem("terms", "M is \(m) but \(tokens.count - 1) term:count pairs follow") }
                var pairs: [(Int32, Int32)] = []
                pairs.reserveCapacity(m)
                for token in tokens.dropFirst() {
                    guard let colon = docFile.bytes[token].firstIndex(of: UInt8(ascii: ":")) else {
                        throw FieldProblem("term", "expected term:count, found \"\(docFile.text(token))\"")
                    }
                    guard let w = Tokens.int(docFile.bytes, token.lowerBound..<colon) else {
                        throw FieldProblem("term", "term id is not a number in \"\(docFile.text(token))\"")
                    }
                    guard w >= 0 && w < vocab.count else {
                        throw FieldProblem("term", "term id \(w) out of range (vocabulary has \(vocab.count) terms)")
                    }
                    guard let c = Tokens.int(docFile.bytes, (colon + 1)..<token.upperBound) else {
                        throw FieldProblem("count", "count is not a number in \"\(docFile.text(token))\"")
                    }
                    guard c > 0 else { throw FieldProblem("count", "count \(c) of term \(w) must be ≥ 1") }
                    pairs.append((Int32(w), Int32(truncatingIfNeeded: c)))
                }
                pairs.sort { $0.0 < $1.0 }
                for k in pairs.indices.dropFirst() where pairs[k].0 == pairs[k - 1].0 {
                    throw FieldProblem("term", "term id \(pairs[k].0) repeated")
                }
                docs.append(
                    BagOfWordsDocument(paper: PaperID("\(name):\(index)"), termIDs: pairs.map(\.0), counts: pairs.map(\.1)))
            } catch {
                issues.append(RowIssue(file: documents, line: line.number, field: error.field, reason: error.reason, raw: docFile.text(line.range)))
            }
        }

        var libs: [(user: UserID, papers: [PaperID])] = []
        if let libraries {
            let (lists, libIssues) = try ListFileParser.parseLines(path: libraries, itemCount: docLines.count)
            issues += libIssues
            libs.reserveCapacity(lists.count)
            for (u, items) in lists {
                libs.append((user: UserID("\(name):u\(u)"), papers: items.map { PaperID("\(name):\($0)") }))
            }
        }
        return Corpus(name: name, vocabulary: vocab, documents: docs, libraries: libs, issues: issues)
    }

    static func trimTrailingBlank(_ file: InputFile, _ lines: [LineRef]) -> ArraySlice<LineRef> {
        var end = lines.count
        while end > 0 && file.isBlank(lines[end - 1].range) { end -= 1 }
        return lines[..<end]
    }
}

/// Reads `N id id …` list files: citeulike libraries (`users.dat`) and the published
/// train/test splits (`cf-train-1-users.dat`, …). Line *u* (0-based) → `result[u]`; a line `0`
/// is an empty list (kept, so indices stay aligned).
public enum ListFileParser {
    /// All lists, in line order. Throws the first bad line as a `RowIssue` (`items`: N does not
    /// match; `item`: not a non-negative number), or an `IOError` for the file.
    public static func parse(path: String) throws -> [[Int]] {
        let (lists, issues) = try parseLines(path: path, itemCount: nil)
        if let first = issues.first { throw first }
        return lists.map(\.items)
    }

    /// (0-based line, items) of the good lines and the issues of the bad ones; ids must be
    /// below `itemCount` when it is given.
    static func parseLines(path: String, itemCount: Int?) throws -> ([(line: Int, items: [Int])], [RowIssue]) {
        let file = try InputFile(path: path)
        let lines = CorpusParser.trimTrailingBlank(file, file.lines())
        var result: [(line: Int, items: [Int])] = []
        result.reserveCapacity(lines.count)
        var issues: [RowIssue] = []
        for line in lines {
            do throws(FieldProblem) {
                let tokens = Tokens.split(file.bytes, line.range)
                guard let first = tokens.first else { throw FieldProblem("record", "blank line; an empty list is written `0`") }
                guard let n = Tokens.int(file.bytes, first), n >= 0 else { throw FieldProblem("items", "N is not a count") }
                guard n == tokens.count - 1 else { throw FieldProblem("items", "N is \(n) but \(tokens.count - 1) ids follow") }
                var items: [Int] = []
                items.reserveCapacity(n)
                for token in tokens.dropFirst() {
                    guard let id = Tokens.int(file.bytes, token), id >= 0 else {
                        throw FieldProblem("item", "not an item id: \"\(file.text(token))\"")
                    }
                    if let itemCount, id >= itemCount {
                        throw FieldProblem("item", "item id \(id) out of range (\(itemCount) documents)")
                    }
                    items.append(id)
                }
                result.append((line: line.number - 1, items: items))
            } catch {
                issues.append(RowIssue(file: path, line: line.number, field: error.field, reason: error.reason, raw: file.text(line.range)))
            }
        }
        return (result, issues)
    }
}

/// Whitespace-separated ASCII tokens of a line, as byte ranges.
enum Tokens {
    static func split(_ bytes: [UInt8], _ range: Range<Int>) -> [Range<Int>] {
        var tokens: [Range<Int>] = []
        var i = range.lowerBound
        while i < range.upperBound {
            while i < range.upperBound && (bytes[i] == 32 || bytes[i] == 9) { i += 1 }
            let s = i
            while i < range.upperBound && bytes[i] != 32 && bytes[i] != 9 { i += 1 }
            if i > s { tokens.append(s..<i) }
        }
        return tokens
    }

    /// A non-negative or negative decimal integer of at most 18 digits; nil otherwise.
    static func int(_ bytes: [UInt8], _ range: Range<Int>) -> Int? {
        var i = range.lowerBound
        var negative = false
        if i < range.upperBound && bytes[i] == UInt8(ascii: "-") { negative = true; i += 1 }
        guard i < range.upperBound, range.upperBound - i <= 18 else { return nil }
        var v = 0
        while i < range.upperBound {
            let c = bytes[i]
            guard c >= 48 && c <= 57 else { return nil }
            v = v * 10 + Int(c - 48)
            i += 1
        }
        return negative ? -v : v
    }
}
