/// UTF-8 validation (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF), shared
/// by the input parsers of PaperFeedIO and the TREC reader of PaperFeedEvaluation. Decoding
/// invalid bytes with `String(decoding:as:)` replaces them by U+FFFD, so two different invalid
/// ids would become one: the readers check first.
public enum UTF8Validation {
    /// Index of the first byte of the first invalid sequence in `range` of `b`, or nil.
    public static func firstInvalid(_ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int? {
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
