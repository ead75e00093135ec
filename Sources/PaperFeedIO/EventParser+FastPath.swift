import Foundation
import PaperFeedCore

/// A fast path for the commonest JSONL event line, for streaming ingest of millions of events:
/// one flat object of plain ASCII strings, plain numbers, `true`/`false`/`null`, read straight
/// from the bytes with no dictionary and no intermediate values.
///
/// It never rejects anything: a line it does not fully understand, or that any rule of
/// `EventParser` might reject, returns nil and goes to `EventParser` as before, which decides
/// and words the issue. So the fast path only ever produces the `Event` that `EventParser`
/// produces for the same line (checked line by line in `EventFastPathTests`); any new rule of
/// the parser must either hold for every line the fast path accepts or be added to the
/// conditions below.
///
/// A line is taken only when: it is `{…}` with blanks (space, tab) between tokens; every key
/// and string value is printable ASCII without `\` (no escapes, no control bytes, no UTF-8);
/// no key repeats; `user`, `paper`, `kind`, `at` are strings, `user` and `paper` without
/// leading or trailing spaces and not empty, `kind` exactly one of the kinds in lower case,
/// `at` parsed by `Timestamp.parse` and not after `now + futureTolerance`; `position`, if
/// present, is null or a number 1 … 999,999,999 written without sign, zeros in front, fraction
/// or exponent; `list` is null or a string (empty = none); `propensity` is null or a number
/// `D[.D]` in (0, 1]; other keys (ignored by the parser) have a string, number or literal value.
/// Column mapping (`ParseOptions.columnMap`) turns the fast path off.
enum EventFastPath {
    /// The event of the line `bytes[range]`, or nil to let `EventParser` read it.
    static func event(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, limit: Date) -> Event? {
        var s = Scanner(b: bytes, i: range.lowerBound, end: range.upperBound)
        return s.object(limit: limit)
    }

    private struct Scanner {
        let b: UnsafeBufferPointer<UInt8>
        var i: Int
        let end: Int

        static let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\")

        mutating func blanks() {
            while i < end, b[i] == 32 || b[i] == 9 { i += 1 }
        }

        mutating func expect(_ c: UInt8) -> Bool {
            guard i < end, b[i] == c else { return false }
            i += 1
            return true
        }

        /// A plain string at `i` (its opening quote): printable ASCII, no escapes.
        mutating func string() -> Range<Int>? {
            guard expect(Self.quote) else { return nil }
            let start = i
            while i < end {
                let c = b[i]
                if c == Self.quote {
                    i += 1
                    return start..<(i - 1)
                }
                guard c >= 0x20 && c < 0x7f && c != Self.backslash else { return nil }
                i += 1
            }
            return nil
        }

        /// A JSON number token `-?(0|[1-9]D*)(.D+)?([eE][+-]?D+)?`.
        mutating func number() -> Range<Int>? {
            let start = i
            if i < end && b[i] == UInt8(ascii: "-") { i += 1 }
            guard i < end, isDigit(b[i]) else { return nil }
            if b[i] == UInt8(ascii: "0") {
                i += 1
                if i < end && isDigit(b[i]) { return nil }
            } else {
                while i < end, isDigit(b[i]) { i += 1 }
            }
            if i < end && b[i] == UInt8(ascii: ".") {
                i += 1
                guard i < end, isDigit(b[i]) else { return nil }
                while i < end, isDigit(b[i]) { i += 1 }
            }
            if i < end && (b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E")) {
                i += 1
                if i < end && (b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-")) { i += 1 }
                guard i < end, isDigit(b[i]) else { return nil }
                while i < end, isDigit(b[i]) { i += 1 }
            }
            return start..<i
        }

        func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }

        mutating func literal(_ word: StaticString) -> Bool {
            let w = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
            guard end - i >= w.count else { return false }
            for (k, c) in w.enumerated() where b[i + k] != c { return false }
            i += w.count
            return true
        }

        enum Value {
            case string(Range<Int>)
            case number(Range<Int>)
            case null
            case other
        }

        mutating func value() -> Value? {
            guard i < end else { return nil }
            switch b[i] {
            case Self.quote: return string().map(Value.string)
            case UInt8(ascii: "-"), 48...57: return number().map(Value.number)
            case UInt8(ascii: "n"): return literal("null") ? .null : nil
            case UInt8(ascii: "t"): return literal("true") ? .other : nil
            case UInt8(ascii: "f"): return literal("false") ? .other : nil
            default: return nil
            }
        }

        func equals(_ r: Range<Int>, _ word: StaticString) -> Bool {
            guard r.count == word.utf8CodeUnitCount else { return false }
            let w = word.utf8Start
            for k in 0..<r.count where b[r.lowerBound + k] != w[k] { return false }
            return true
        }

        func text(_ r: Range<Int>) -> String { String(decoding: UnsafeBufferPointer(rebasing: b[r]), as: UTF8.self) }

        /// A non-empty identifier without leading or trailing spaces.
        func identifier(_ v: Value?) -> String? {
            guard case .string(let r)? = v, !r.isEmpty, b[r.lowerBound] != 32, b[r.upperBound - 1] != 32 else { return nil }
            return text(r)
        }

        mutating func object(limit: Date) -> Event? {
            blanks()
            guard expect(UInt8(ascii: "{")) else { return nil }
            var user: Value?, paper: Value?, kind: Value?, at: Value?, position: Value?, list: Value?, propensity: Value?
            blanks()
            if i < end && b[i] == UInt8(ascii: "}") { return nil }
            while true {
                blanks()
                guard let key = string() else { return nil }
                blanks()
                guard expect(UInt8(ascii: ":")) else { return nil }
                blanks()
                guard let v = value() else { return nil }
                func set(_ slot: inout Value?) -> Bool {
                    if slot != nil { return false }
                    slot = v
                    return true
                }
                var fresh = true
                switch key.count {
                case 2: if equals(key, "at") { fresh = set(&at) }
                case 4:
                    if equals(key, "user") { fresh = set(&user) } else if equals(key, "kind") { fresh = set(&kind) } else if equals(key, "list") {
                        fresh = set(&list)
                    }
                case 5: if equals(key, "paper") { fresh = set(&paper) }
                case 8: if equals(key, "position") { fresh = set(&position) }
                case 10: if equals(key, "propensity") { fresh = set(&propensity) }
                default: break
                }
                // A repeated field (the parser keeps the last one) goes to the parser.
                guard fresh else { return nil }
                blanks()
                if expect(UInt8(ascii: ",")) { continue }
                guard expect(UInt8(ascii: "}")) else { return nil }
                break
            }
            blanks()
            guard i == end else { return nil }
            return event(user: user, paper: paper, kind: kind, at: at, position: position, list: list, propensity: propensity, limit: limit)
        }

        func event(user: Value?, paper: Value?, kind: Value?, at: Value?, position: Value?, list: Value?, propensity: Value?,
                   limit: Date) -> Event? {
            guard let u = identifier(user), let p = identifier(paper) else { return nil }
            guard case .string(let k)? = kind, let eventKind = Self.kind(k, b) else { return nil }
            guard case .string(let a)? = at, let date = Timestamp.parse(text(a)), date <= limit else { return nil }
            var pos: Int?
            switch position {
            case nil, .null?: pos = nil
            case .number(let r)?:
                guard r.count <= 9, b[r.lowerBound] != UInt8(ascii: "0"), r.allSatisfy({ isDigit(b[$0]) }) else { return nil }
                pos = r.reduce(0) { $0 * 10 + Int(b[$1] - 48) }
            default: return nil
            }
            var l: String?
            switch list {
            case nil, .null?: l = nil
            case .string(let r)?: l = r.isEmpty ? nil : text(r)
            default: return nil
            }
            var prop: Double?
            switch propensity {
            case nil, .null?: prop = nil
            case .number(let r)?:
                guard r.allSatisfy({ isDigit(b[$0]) || b[$0] == UInt8(ascii: ".") }), let d = Double(text(r)), d > 0 && d <= 1 else {
                    return nil
                }
                prop = d
            default: return nil
            }
            return Event(user: UserID(u), paper: PaperID(p), kind: eventKind, at: date, position: pos, list: l, propensity: prop)
        }

        static func kind(_ r: Range<Int>, _ b: UnsafeBufferPointer<UInt8>) -> EventKind? {
            let s = Scanner(b: b, i: 0, end: 0)
            switch r.count {
            case 10: return s.equals(r, "impression") ? .impression : nil
            case 4:
                if s.equals(r, "read") { return .read }
                if s.equals(r, "skip") { return .skip }
                if s.equals(r, "save") { return .save }
                return nil
            case 6: return s.equals(r, "upvote") ? .upvote : nil
            default: return nil
            }
        }
    }
}

extension EventParser {
    /// `parse(file:format:options:)` for JSONL, with `EventFastPath` taking the lines it can and
    /// `EventParser` the rest (in one pass over those lines, numbered as in `file`); the result
    /// is the same, rows and issues in line order.
    static func parseJSONLines(file: InputFile, options: ParseOptions) throws -> Parsed<Event> {
        guard options.columnMap.isEmpty, EventFastPath.enabled else { return try parse(file: file, format: .jsonl, options: options) }
        let limit = options.now.addingTimeInterval(options.futureTolerance)
        var fast: [Located<Event>] = []
        var rest: [UInt8] = []
        var restLines: [Int] = []
        let lines = file.lines()
        fast.reserveCapacity(lines.count)
        file.bytes.withUnsafeBufferPointer { b in
            for line in lines {
                if let e = EventFastPath.event(b, line.range, limit: limit) {
                    fast.append(Located(line: line.number, row: e))
                } else {
                    rest.append(contentsOf: UnsafeBufferPointer(rebasing: b[line.range]))
                    rest.append(10)
                    restLines.append(line.number)
                }
            }
        }
        if restLines.isEmpty {
            var parsed = Parsed(file: file.path, rows: fast, issues: [])
            rejectConflictingDuplicates(&parsed)
            return parsed
        }
        let slow = try parse(file: InputFile(path: file.path, inflated: rest), format: .jsonl, options: options, rejectDuplicates: false)
        var parsed = Parsed<Event>(file: file.path)
        parsed.issues = slow.issues.map {
            var issue = $0
            issue.line = restLines[$0.line - 1]
            return issue
        }
        // Merge the two runs of rows by line.
        parsed.rows.reserveCapacity(fast.count + slow.rows.count)
        var k = 0
        for row in slow.rows {
            let line = restLines[row.line - 1]
            while k < fast.count && fast[k].line < line {
                parsed.rows.append(fast[k])
                k += 1
            }
            parsed.rows.append(Located(line: line, row: row.row))
        }
        parsed.rows += fast[k...]
        rejectConflictingDuplicates(&parsed)
        parsed.issues.sort { $0.line < $1.line }
        return parsed
    }
}

extension EventFastPath {
    /// Off with `PAPERFEED_EVENT_FAST_PATH=0` (to compare, or to rule it out).
    static let enabled = ProcessInfo.processInfo.environment["PAPERFEED_EVENT_FAST_PATH"] != "0"
}
