import Foundation
import PaperFeedCore

/// Seeded, structure-aware mutations of an input file (issue 15). Each mutant applies 1–4
/// mutations chosen from byte-level ones (flip, insert, delete, truncate, splice with another
/// seed), line-level ones (duplicate, swap, CR-only or CRLF line ends, a BOM, a very long line)
/// and ones that know the syntax of the inputs (deep `[`/`{` nesting, huge or odd numbers in
/// place of a number, NUL as a raw byte or as `\u0000`, other control characters, tricky
/// Unicode and invalid UTF-8 inside strings, unbalanced quotes and separators). The same
/// generator state gives the same mutant: a failure is replayed from the printed seed.
struct FuzzMutator {
    var g: SeededGenerator

    mutating func int(_ n: Int) -> Int { n <= 1 ? 0 : Int(g.next() % UInt64(n)) }
    mutating func pick<T>(_ items: [T]) -> T { items[int(items.count)] }
    mutating func chance(_ p: Double) -> Bool { g.nextUnit() < p }

    static let hugeNumbers = [
        "1e308", "1e309", "-1e400", "1e-400", "99999999999999999999999", "9223372036854775807", "9223372036854775808",
        "-9223372036854775809", "0x10", "1e2", "NaN", "Infinity", "-0", "0.0000000000000000000001", "1" + String(repeating: "0", count: 400),
        "4294967296", "1024", "-1", "0", "2147483648", "1.7976931348623157e308", "5e-324", "1E5", "+3", "00012", ".5", "1.",
    ]
    static let tricky: [[UInt8]] = [
        Array("\\u0000".utf8), [0x00], Array("\\ud800".utf8), Array("\\udc00\\ud800".utf8), Array("e\u{301}".utf8), Array("\u{2028}".utf8),
        Array("\u{202E}".utf8), Array("\u{1F600}".utf8), [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xFF], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82],
        Array("\u{FEFF}".utf8), Array("\\\"".utf8), Array("\\\\".utf8), Array("\u{1E}".utf8), [0x7F], Array("\u{FFFD}".utf8), Array("\t".utf8),
    ]
    static let specials: [UInt8] = [0, 9, 10, 13, 11, 12, 0x1E, 0x7F, 0x80, 0xFF, 0x22, 0x2C, 0x7B, 0x7D, 0x5B, 0x5D, 0x5C, 0x3A, 0x20, 0x3B, 0x2D, 0x2E]

    /// A mutant of `input`; `others` are the other seeds of the same parser (for splicing).
    mutating func mutate(_ input: [UInt8], others: [[UInt8]]) -> [UInt8] {
        var b = input
        for _ in 0..<(1 + int(4)) { b = once(b, others: others) }
        return b
    }

    mutating func once(_ b0: [UInt8], others: [[UInt8]]) -> [UInt8] {
        var b = b0
        let n = b.count
        let at = int(n + 1)
        switch int(20) {
        case 0:  // flip a bit
            if n > 0 { b[int(n)] ^= UInt8(1 << int(8)) }
        case 1:  // random byte
            if n > 0 { b[int(n)] = UInt8(truncatingIfNeeded: g.next()) }
        case 2:  // insert a special byte
            b.insert(pick(Self.specials), at: at)
        case 3:  // delete a range
            if n > 0 {
                let s = int(n)
                b.removeSubrange(s..<min(n, s + 1 + int(16)))
            }
        case 4:  // truncate
            b = Array(b.prefix(at))
        case 5:  // duplicate a line
            let lines = split(b)
            if !lines.isEmpty {
                let l = pick(lines)
                b.insert(contentsOf: l + [10], at: lineStart(b, at))
            }
        case 6:  // swap two lines
            var lines = split(b)
            if lines.count >= 2 {
                lines.swapAt(int(lines.count), int(lines.count))
                b = Array(lines.joined(separator: [10])) + [10]
            }
        case 7:  // CR-only or CRLF line ends
            b = chance(0.5) ? b.map { $0 == 10 ? 13 : $0 } : Array(b.split(separator: 10, omittingEmptySubsequences: false).joined(separator: [13, 10]))
        case 8:  // BOM
            b = [0xEF, 0xBB, 0xBF] + b
        case 9:  // deep nesting at a random place, balanced or not
            let depth = pick([65, 100, 1000, 50_000, 100_000])
            let open: UInt8 = chance(0.5) ? 0x5B : 0x7B
            let close: UInt8 = open == 0x5B ? 0x5D : 0x7D
            var nest = [UInt8](repeating: open, count: depth)
            if open == 0x7B { nest = Array(repeating: Array("{\"k\":".utf8), count: depth).flatMap { $0 } }
            if chance(0.6) { nest += [UInt8](repeating: close, count: depth) }
            b.insert(contentsOf: nest, at: valueStart(b) ?? at)
        case 10, 11:  // a number replaced by a huge or odd one
            if let r = numberRange(b) { b.replaceSubrange(r, with: Array(pick(Self.hugeNumbers).utf8)) } else { b.insert(contentsOf: Array(pick(Self.hugeNumbers).utf8), at: at) }
        case 12:  // NUL inside a string (escaped or raw)
            b.insert(contentsOf: chance(0.5) ? Array("\\u0000".utf8) : [0], at: stringInside(b) ?? at)
        case 13:  // tricky Unicode / invalid UTF-8 inside a string
            b.insert(contentsOf: pick(Self.tricky), at: stringInside(b) ?? at)
        case 14:  // a control character
            b.insert(UInt8(int(32)), at: at)
        case 15:  // splice with another seed
            if let other = others.isEmpty ? nil : pick(others), !other.isEmpty {
                b = Array(b.prefix(at)) + Array(other[int(other.count)...])
            }
        case 16:  // a long line or long value
            b.insert(contentsOf: [UInt8](repeating: pick([0x61, 0x20, 0x22, 0x2C, 0x30]), count: pick([300, 5000, 70_000])), at: at)
        case 17:  // repeat the content
            b = Array(repeating: b, count: 2 + int(3)).flatMap { $0 }
        case 18:  // unbalanced quote or separator
            b.insert(pick([0x22, 0x2C, 0x3A, 0x7D, 0x5D, 0x3B]), at: at)
        default:  // a whole line emptied or blanked
            var lines = split(b)
            if !lines.isEmpty {
                lines[int(lines.count)] = chance(0.5) ? [] : [0x20, 0x09]
                b = Array(lines.joined(separator: [10])) + [10]
            }
        }
        return b
    }

    func split(_ b: [UInt8]) -> [[UInt8]] { b.split(separator: 10, omittingEmptySubsequences: false).map(Array.init) }

    func lineStart(_ b: [UInt8], _ at: Int) -> Int {
        var i = min(at, b.count)
        while i > 0 && b[i - 1] != 10 { i -= 1 }
        return i
    }

    /// The start of a JSON value: just after a random `:`, `[` or `,`.
    mutating func valueStart(_ b: [UInt8]) -> Int? {
        let marks = b.indices.filter { b[$0] == 0x3A || b[$0] == 0x5B || b[$0] == 0x2C }
        return marks.isEmpty ? nil : pick(marks) + 1
    }

    /// A random run of digits (with sign, dot, exponent).
    mutating func numberRange(_ b: [UInt8]) -> Range<Int>? {
        let digits = b.indices.filter { b[$0] >= 48 && b[$0] <= 57 }
        guard !digits.isEmpty else { return nil }
        var s = pick(digits), e = s
        func part(_ c: UInt8) -> Bool { (c >= 48 && c <= 57) || c == 0x2E || c == 0x65 || c == 0x45 || c == 0x2D || c == 0x2B }
        while s > 0 && part(b[s - 1]) { s -= 1 }
        while e < b.count && part(b[e]) { e += 1 }
        return s..<e
    }

    /// A position just after a random `"`.
    mutating func stringInside(_ b: [UInt8]) -> Int? {
        let quotes = b.indices.filter { b[$0] == 0x22 }
        return quotes.isEmpty ? nil : pick(quotes) + 1
    }
}
