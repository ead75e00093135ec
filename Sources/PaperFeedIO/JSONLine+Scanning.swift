/// A JSON value of one input line (RFC 8259). Numbers keep their text so that integer
/// fields can be checked exactly.
enum JSONValue: Sendable, Equatable {
    case string(String)
    case number(String)
    case bool(Bool)
    case null
    case array([JSONValue])
    case object([String: JSONValue])
}

/// Why a line is not JSON; `offset` is 1-based within the line.
struct JSONLineError: Error {
    var reason: String
    var offset: Int
    /// The line ended before the value was complete (a truncated line).
    var truncated: Bool
    /// The value nests deeper than `JSONScanner.maxDepth`.
    var nesting = false
}

/// A small hand-written JSON scanner for one line (a JSONL record). It is several times
/// faster than `JSONDecoder` on the arXiv listings and reports where a line breaks.
/// The caller checks UTF-8 first; this scanner only looks at ASCII structure bytes.
///
/// Limits (Data/README.md "Limits"): arrays and objects nest at most `maxDepth` (64) deep —
/// the scanner recurses once per level, so the limit also bounds its stack use (a line of
/// 43,500 `[` used to overflow the stack); a deeper value is `nesting deeper than 64`.
/// Lines longer than `RecordSet.maxRecordBytes` are refused before they get here.
struct JSONScanner {
    /// Deepest nesting of arrays and objects accepted. PaperFeed's records are flat (depth 1,
    /// lists at depth 2); 64 leaves room for any honest extension field while keeping the
    /// recursion a few kilobytes of stack.
    static let maxDepth = 64

    private let bytes: UnsafeBufferPointer<UInt8>
    private var i: Int
    private let end: Int
    private let start: Int
    private var depth = 0

    /// Parses `range` of `buffer` as one JSON value followed only by blanks.
    static func parse(_ buffer: [UInt8], _ range: Range<Int>) throws(JSONLineError) -> JSONValue {
        let result: Result<JSONValue, JSONLineError> = buffer.withUnsafeBufferPointer { b in
            var scanner = JSONScanner(bytes: b, i: range.lowerBound, end: range.upperBound, start: range.lowerBound)
            do throws(JSONLineError) {
                let value = try scanner.value()
                scanner.skipBlanks()
                if scanner.i < scanner.end { throw scanner.error("unexpected text after the JSON value") }
                return .success(value)
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    private func error(_ reason: String) -> JSONLineError {
        JSONLineError(reason: reason, offset: i - start + 1, truncated: i >= end)
    }

    private mutating func skipBlanks() {
        while i < end, bytes[i] == 32 || bytes[i] == 9 || bytes[i] == 13 || bytes[i] == 10 { i += 1 }
    }

    private mutating func value() throws(JSONLineError) -> JSONValue {
        skipBlanks()
        guard i < end else { throw error("unexpected end of line") }
        switch bytes[i] {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
        default: throw error("unexpected character")
        }
    }

    private mutating func literal(_ word: StaticString) throws(JSONLineError) {
        let w = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        for c in w {
            guard i < end else { throw error("unexpected end of line") }
            guard bytes[i] == c else { throw error("unexpected character") }
            i += 1
        }
    }

    private mutating func number() throws(JSONLineError) -> JSONValue {
        let s = i
        if bytes[i] == UInt8(ascii: "-") { i += 1 }
        var digits = 0
        while i < end, bytes[i] >= 48 && bytes[i] <= 57 { i += 1; digits += 1 }
        guard digits > 0 else { throw error(i >= end ? "unexpected end of line" : "invalid number") }
        if i < end, bytes[i] == UInt8(ascii: ".") {
            i += 1
            var frac = 0
            while i < end, bytes[i] >= 48 && bytes[i] <= 57 { i += 1; frac += 1 }
            guard frac > 0 else { throw error(i >= end ? "unexpected end of line" : "invalid number") }
        }
        if i < end, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            i += 1
            if i < end, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
            var exp = 0
            while i < end, bytes[i] >= 48 && bytes[i] <= 57 { i += 1; exp += 1 }
            guard exp > 0 else { throw error(i >= end ? "unexpected end of line" : "invalid number") }
        }
        return .number(String(decoding: UnsafeBufferPointer(rebasing: bytes[s..<i]), as: UTF8.self))
    }

    /// Enters one more level of nesting (an array or object at `i`), refusing a level past `maxDepth`.
    private mutating func enter() throws(JSONLineError) {
        guard depth < JSONScanner.maxDepth else {
            throw JSONLineError(reason: "nesting deeper than \(JSONScanner.maxDepth)", offset: i - start + 1, truncated: false, nesting: true)
        }
        depth += 1
    }

    private mutating func array() throws(JSONLineError) -> JSONValue {
        try enter()
        defer { depth -= 1 }
        i += 1
        var items: [JSONValue] = []
        skipBlanks()
        if i < end, bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
        while true {
            items.append(try value())
            skipBlanks()
            guard i < end else { throw error("unexpected end of line") }
            if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            if bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
            throw error("expected `,` or `]`")
        }
    }

    private mutating func object() throws(JSONLineError) -> JSONValue {
        try enter()
        defer { depth -= 1 }
        i += 1
        var members: [String: JSONValue] = [:]
        skipBlanks()
        if i < end, bytes[i] == UInt8(ascii: "}") { i += 1; return .object(members) }
        while true {
            skipBlanks()
            guard i < end else { throw error("unexpected end of line") }
            guard bytes[i] == UInt8(ascii: "\"") else { throw error("expected a member name") }
            let key = try string()
            skipBlanks()
            guard i < end else { throw error("unexpected end of line") }
            guard bytes[i] == UInt8(ascii: ":") else { throw error("expected `:`") }
            i += 1
            members[key] = try value()
            skipBlanks()
            guard i < end else { throw error("unexpected end of line") }
            if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            if bytes[i] == UInt8(ascii: "}") { i += 1; return .object(members) }
            throw error("expected `,` or `}`")
        }
    }

    /// A string at `i` (which is the opening quote). Fast path without escapes.
    private mutating func string() throws(JSONLineError) -> String {
        i += 1
        let s = i
        while i < end {
            let c = bytes[i]
            if c == UInt8(ascii: "\"") {
                let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[s..<i]), as: UTF8.self)
                i += 1
                return text
            }
            if c == UInt8(ascii: "\\") { break }
            if c < 0x20 { throw error("control character inside a string") }
            i += 1
        }
        guard i < end else { throw error("unexpected end of line inside a string") }
        // Slow path: escapes.
        var out = [UInt8](UnsafeBufferPointer(rebasing: bytes[s..<i]))
        while i < end {
            let c = bytes[i]
            if c == UInt8(ascii: "\"") {
                i += 1
                return String(decoding: out, as: UTF8.self)
            }
            if c < 0x20 { throw error("control character inside a string") }
            if c != UInt8(ascii: "\\") { out.append(c); i += 1; continue }
            i += 1
            guard i < end else { break }
            let e = bytes[i]
            i += 1
            switch e {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
            case UInt8(ascii: "b"): out.append(8)
            case UInt8(ascii: "f"): out.append(12)
            case UInt8(ascii: "n"): out.append(10)
            case UInt8(ascii: "r"): out.append(13)
            case UInt8(ascii: "t"): out.append(9)
            case UInt8(ascii: "u"):
                var scalar = try hex4()
                if (0xD800...0xDBFF).contains(scalar), i + 1 < end, bytes[i] == UInt8(ascii: "\\"),
                    bytes[i + 1] == UInt8(ascii: "u")
                {
                    i += 2
                    let low = try hex4()
                    if (0xDC00...0xDFFF).contains(low) {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else {
                        appendScalar(0xFFFD, to: &out)
                        scalar = low
                    }
                }
                appendScalar(scalar, to: &out)
            default:
                i -= 1
                throw error("invalid escape")
            }
        }
        throw error("unexpected end of line inside a string")
    }

    private mutating func hex4() throws(JSONLineError) -> UInt32 {
        var v: UInt32 = 0
        for _ in 0..<4 {
            guard i < end else { throw error("unexpected end of line") }
            let c = bytes[i]
            let d: UInt32
            switch c {
            case 48...57: d = UInt32(c - 48)
            case 65...70: d = UInt32(c - 55)
            case 97...102: d = UInt32(c - 87)
            default: throw error("invalid \\u escape")
            }
            v = v * 16 + d
            i += 1
        }
        return v
    }

    private func appendScalar(_ value: UInt32, to out: inout [UInt8]) {
        let scalar = Unicode.Scalar(value) ?? "\u{FFFD}"
        out.append(contentsOf: String(Character(scalar)).utf8)
    }
}
