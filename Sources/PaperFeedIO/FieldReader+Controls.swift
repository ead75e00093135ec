import Foundation

/// Which control characters a field may hold (Data/README.md "Control characters").
///
/// Why: GRDB binds a Swift `String` to SQLite as a NUL-terminated C string, so a NUL inside a
/// text is stored cut at the NUL (`p\u0000one` and `p\u0000two` would both be stored as `p`, the
/// second overwriting the first). So NUL is refused everywhere. Ids are also written into TREC
/// files, JSONL and CSV outputs, where a tab, line break or other control would split or
/// disguise them, so they hold none. Everything else is stored and read back byte for byte.
enum ControlCharacters {
    enum Rule {
        /// Free text (title, abstract): anything but NUL.
        case text
        /// A list item or short value (author, category, organization): no C0 control but the
        /// whitespace ones (tab, line feed, carriage return — arXiv folds long category texts such
        /// as ACM classes over lines, and those papers must not be lost), no DEL.
        case singleLine
        /// An id: no C0 control at all (tab and line breaks included), no DEL.
        case identifier
    }

    /// Throws `FieldProblem(field, …)` naming the first forbidden character and its 1-based
    /// position (in Unicode scalars) when `text` breaks `rule`.
    static func check(_ text: String, field: String, rule: Rule) throws(FieldProblem) {
        guard let (position, scalar) = firstForbidden(text, rule: rule) else { return }
        let code = String(format: "U+%04X", scalar)
        switch (rule, scalar) {
        case (_, 0):
            throw FieldProblem(field, "NUL character (U+0000) at character \(position); NUL cannot be stored, remove it")
        case (.identifier, _):
            throw FieldProblem(field, "control character \(code) at character \(position); ids may not contain control characters")
        default:
            throw FieldProblem(field, "control character \(code) at character \(position); only tab and line breaks are allowed here")
        }
    }

    /// (1-based scalar position, scalar value) of the first character `rule` forbids, or nil.
    /// Fast path: one pass over the UTF-8 bytes (control characters are single bytes < 0x20 or
    /// 0x7F, which never occur inside a multi-byte sequence).
    static func firstForbidden(_ text: String, rule: Rule) -> (Int, UInt32)? {
        func forbidden(_ b: UInt8) -> Bool {
            switch rule {
            case .text: return b == 0
            case .singleLine: return (b < 0x20 && b != 9 && b != 10 && b != 13) || b == 0x7F
            case .identifier: return b < 0x20 || b == 0x7F
            }
        }
        let any: Bool
        if case .text = rule {
            // Titles and abstracts are most of an ingest's bytes: memchr for the NUL.
            any = text.utf8.withContiguousStorageIfAvailable { b in
                b.baseAddress.map { memchr($0, 0, b.count) != nil } ?? false
            } ?? text.utf8.contains(0)
        } else {
            any = text.utf8.contains(where: forbidden)
        }
        guard any else { return nil }
        for (k, scalar) in text.unicodeScalars.enumerated() where scalar.value < 0x80 && forbidden(UInt8(scalar.value)) {
            return (k + 1, scalar.value)
        }
        return nil
    }
}

/// The number spellings a text field (CSV cell, JSON string) accepts. `Int("…")` and
/// `Double("…")` alone also take `0x10`, `1e2` (Double), `inf`, `nan` and hexadecimal floats.
enum NumberSyntax {
    /// `[+-]?[0-9]+`.
    static func isDecimalInteger(_ s: String) -> Bool {
        var u = Substring(s).utf8[...]
        if let f = u.first, f == UInt8(ascii: "+") || f == UInt8(ascii: "-") { u = u.dropFirst() }
        return !u.isEmpty && u.allSatisfy { $0 >= 48 && $0 <= 57 }
    }

    /// `[+-]?(D+ | D+.D* | .D+)([eE][+-]?D+)?` with D a decimal digit: no hex, no inf/nan.
    static func isDecimal(_ s: String) -> Bool {
        let u = Array(s.utf8)
        var i = 0
        func digits() -> Int {
            let start = i
            while i < u.count, u[i] >= 48, u[i] <= 57 { i += 1 }
            return i - start
        }
        if i < u.count, u[i] == UInt8(ascii: "+") || u[i] == UInt8(ascii: "-") { i += 1 }
        var mantissa = digits()
        if i < u.count, u[i] == UInt8(ascii: ".") {
            i += 1
            mantissa += digits()
        }
        guard mantissa > 0 else { return false }
        if i < u.count, u[i] == UInt8(ascii: "e") || u[i] == UInt8(ascii: "E") {
            i += 1
            if i < u.count, u[i] == UInt8(ascii: "+") || u[i] == UInt8(ascii: "-") { i += 1 }
            guard digits() > 0 else { return false }
        }
        return i == u.count
    }
}
