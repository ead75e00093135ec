import PaperFeedCore

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

/// UTF-8 validation (RFC 3629), see `UTF8Validation` in PaperFeedCore.
enum UTF8Check {
    /// Index of the first byte of the first invalid sequence in `range`, or nil.
    static func firstInvalid(_ bytes: [UInt8], _ range: Range<Int>) -> Int? {
        bytes.withUnsafeBufferPointer { UTF8Validation.firstInvalid($0, range) }
    }
}
