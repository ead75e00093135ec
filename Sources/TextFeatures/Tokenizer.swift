import Foundation

/// The "reference v1" analyzer, working on UTF-8 bytes (never on `Character`):
///
/// 1. ASCII letters are lowercased (`A`–`Z` → `a`–`z`); nothing else is case-folded.
/// 2. Every byte that is not an ASCII letter or digit separates tokens. All bytes of a non-ASCII
///    character are ≥ 0x80, so non-ASCII characters separate too: "naïve" → "na", "ve".
/// 3. A token is kept when it has at least 2 bytes and at least one letter ("x1" is kept, "42"
///    and "a" are not), and is not a stop word.
/// 4. With `ngramRange` 1...2 the bigrams of consecutive kept tokens (after stop-word removal)
///    are added, joined by one space, as scikit-learn's `_word_ngrams` does.
///
/// This is the analyzer the scikit-learn reference values were computed with (see
/// Tests/TextFeaturesTests/Fixtures/SOURCES.md); tests check the vocabulary is identical.
public struct Tokenizer: Sendable, Equatable, Codable {
    /// 1...1 (unigrams), 1...2 (unigrams and bigrams) or 2...2 (bigrams only).
    public private(set) var ngramRange: ClosedRange<Int>
    /// Tokens equal to one of these (after lowercasing) are dropped before forming bigrams.
    public var stopWords: Set<String>

    /// - Precondition: `ngramRange` lies within 1...2.
    public init(ngramRange: ClosedRange<Int> = 1...1, stopWords: Set<String> = Tokenizer.englishStopWords) {
        precondition(ngramRange.lowerBound >= 1 && ngramRange.upperBound <= 2, "ngramRange must lie within 1...2")
        self.ngramRange = ngramRange
        self.stopWords = stopWords
    }

    /// scikit-learn's `ENGLISH_STOP_WORDS` (318 words), bundled as `Resources/stopwords-en.txt`.
    public static let englishStopWords: Set<String> = {
        guard let url = Bundle.module.url(forResource: "stopwords-en", withExtension: "txt"),
            let text = try? String(contentsOf: url, encoding: .utf8)
        else { fatalError("TextFeatures: bundled stopwords-en.txt is missing") }
        return Set(text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
    }()

    private enum CodingKeys: String, CodingKey { case ngramRange, stopWords }

    /// Decodes `{"ngramRange": [1, 2], "stopWords": [...]}`.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let range = try c.decode(ClosedRange<Int>.self, forKey: .ngramRange)
        guard range.lowerBound >= 1 && range.upperBound <= 2 else {
            throw DecodingError.dataCorruptedError(forKey: .ngramRange, in: c, debugDescription: "ngramRange must lie within 1...2")
        }
        self.init(ngramRange: range, stopWords: Set(try c.decode([String].self, forKey: .stopWords)))
    }

    /// Encodes the stop words sorted, so equal tokenizers give identical bytes.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(ngramRange, forKey: .ngramRange)
        try c.encode(stopWords.sorted(), forKey: .stopWords)
    }

    var includesUnigrams: Bool { ngramRange.lowerBound == 1 }
    var includesBigrams: Bool { ngramRange.upperBound == 2 }

    /// The terms of `text` in order: all unigrams first, then all bigrams (scikit-learn's order).
    /// For inspection and tests; fitting never builds these strings.
    public func terms(in text: String) -> [String] {
        var tokens: [String] = []
        var t = text
        t.withUTF8 { bytes in
            Self.scan(bytes) { token, _, _, _ in
                let s = String(decoding: token, as: UTF8.self)
                if !stopWords.contains(s) { tokens.append(s) }
            }
        }
        var out: [String] = []
        if includesUnigrams { out = tokens }
        if includesBigrams, tokens.count > 1 {
            for i in 1..<tokens.count { out.append(tokens[i - 1] + " " + tokens[i]) }
        }
        return out
    }

    /// Calls `emit(token, hash, k0, k1)` for every token of ≥ 2 bytes with a letter, lowercased,
    /// in order (stop words included), with `ByteStringTable.hash(token)` and, for tokens of
    /// ≤ 16 bytes, its two little-endian words (else (hash, 0)). The token buffer is only valid
    /// during the call.
    @inline(__always)
    static func scan(_ text: UnsafeBufferPointer<UInt8>, _ emit: (UnsafeBufferPointer<UInt8>, UInt64, UInt64, UInt64) -> Void) {
        let n = text.count
        if n == 0 { return }
        // Lowercase into a zeroed scratch copy (16 bytes longer, so every token's two words can
        // be loaded), so tokens are contiguous lowercase slices.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: n + 16) { lower in
            lower.initialize(repeating: 0)
            let raw = UnsafeRawPointer(lower.baseAddress!)
            var i = 0
            while i < n {
                // Skip separators.
                var b = text[i]
                while !isWordByte(b) {
                    i += 1
                    if i == n { return }
                    b = text[i]
                }
                let start = i
                var hasLetter = false
                while true {
                    let isUpper = b &- 65 < 26
                    let c = isUpper ? b | 0x20 : b
                    hasLetter = hasLetter || c &- 97 < 26
                    lower[i] = c
                    i += 1
                    if i == n { break }
                    b = text[i]
                    if !isWordByte(b) { break }
                }
                let length = i - start
                guard length >= 2 && hasLetter else { continue }
                let token = UnsafeBufferPointer(rebasing: lower[start..<i])
                if length <= 16 {
                    var k0 = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: start, as: UInt64.self))
                    var k1 = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: start + 8, as: UInt64.self))
                    if length < 8 {
                        k0 &= (1 &<< UInt64(8 * length)) &- 1
                        k1 = 0
                    } else if length < 16 {
                        k1 &= (1 &<< UInt64(8 * (length - 8))) &- 1
                    }
                    emit(token, ByteStringTable.mix(k0, k1, length), k0, k1)
                } else {
                    let h = ByteStringTable.hash(token)
                    emit(token, h, h, 0)
                }
            }
        }
    }

    /// ASCII letter or digit.
    @inline(__always) static func isWordByte(_ b: UInt8) -> Bool {
        (b | 0x20) &- 97 < 26 || b &- 48 < 10
    }
}
