/// One line of an input file: 1-based number and the byte range (without `\n` and
/// without a trailing `\r`).
public struct LineRef: Sendable, Hashable {
    public var number: Int
    public var range: Range<Int>
}

extension InputFile {
    /// Splits the bytes at LF; a trailing CR is dropped; line numbers are 1-based. A final
    /// line without `\n` is a line; the empty remainder after a final `\n` is not.
    /// No `String` is made here (see `text(_:)`).
    public func lines() -> [LineRef] {
        var result: [LineRef] = []
        bytes.withUnsafeBufferPointer { buffer in
            var start = 0
            var number = 1
            let count = buffer.count
            while start < count {
                var end = start
                while end < count && buffer[end] != 10 { end += 1 }
                var stop = end
                if stop > start && buffer[stop - 1] == 13 { stop -= 1 }
                result.append(LineRef(number: number, range: start..<stop))
                number += 1
                start = end + 1
            }
        }
        return result
    }

    /// The text of a byte range (invalid UTF-8 is replaced by U+FFFD; check with
    /// `invalidUTF8Offset(in:)` first when that matters).
    public func text(_ range: Range<Int>) -> String {
        String(decoding: bytes[range], as: UTF8.self)
    }

    /// Whether the range holds only ASCII blanks (space, tab).
    func isBlank(_ range: Range<Int>) -> Bool {
        bytes[range].allSatisfy { $0 == 32 || $0 == 9 }
    }

    /// 1-based offset (within the range) of the first byte that is not valid UTF-8, or nil.
    public func invalidUTF8Offset(in range: Range<Int>) -> Int? {
        UTF8Check.firstInvalid(bytes, range).map { $0 - range.lowerBound + 1 }
    }

    /// The `RowIssue` for invalid UTF-8 in `range` (field `line`), or nil when it is valid.
    func utf8Issue(in range: Range<Int>, line: Int) -> RowIssue? {
        guard let offset = invalidUTF8Offset(in: range) else { return nil }
        return RowIssue(file: path, line: line, field: "line", reason: "invalid UTF-8 at byte \(offset)", raw: text(range))
    }
}

/// UTF-8 validation (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF).
enum UTF8Check {
    /// Index of the first byte of the first invalid sequence in `range`, or nil.
    static func firstInvalid(_ bytes: [UInt8], _ range: Range<Int>) -> Int? {
        bytes.withUnsafeBufferPointer { b -> Int? in
            var i = range.lowerBound
            let end = range.upperBound
            while i < end {
                let c = b[i]
                if c < 0x80 { i += 1; continue }
                var need = 0
                var lo: UInt8 = 0x80
                var hi: UInt8 = 0xBF
                switch c {
                case 0xC2...0xDF: need = 1
                case 0xE0: need = 2; lo = 0xA0
                case 0xE1...0xEC, 0xEE...0xEF: need = 2
                case 0xED: need = 2; hi = 0x9F
                case 0xF0: need = 3; lo = 0x90
                case 0xF1...0xF3: need = 3
                case 0xF4: need = 3; hi = 0x8F
                default: return i
                }
                guard i + need < end else { return i }
                let c1 = b[i + 1]
                guard c1 >= lo && c1 <= hi else { return i }
                for k in 2...max(2, need) where k <= need {
                    guard b[i + k] & 0xC0 == 0x80 else { return i }
                }
                i += need + 1
            }
            return nil
        }
    }
}
