import PaperFeedCore

/// Deterministic abstract-like texts for benchmarks at 100k–1M documents.
///
/// Words are ASCII pseudo-words built from consonant–vowel syllables (never a stop word).
/// Each document has a main and a secondary latent topic; a word is drawn from the main topic
/// (35 %), the secondary topic (10 %) or the corpus-wide background (55 %), each a Zipf law
/// (P(rank r) ∝ 1 / (r + 1)^s) sampled with Walker's alias method, so the TF-IDF matrix has
/// low-rank structure for the SVD. Text = title (8 words), "\n", sentences of 8–24 words.
/// Document `i` uses its own generator `SeededGenerator(seed:).derived(i)`: the same seed gives
/// the same texts, independent of order or threads.
public struct SyntheticCorpus: Sendable {
    public let seed: UInt64
    public let documents: Int
    public let wordsPerDocument: Int
    public let vocabularySize: Int
    public let zipfExponent: Double
    public let topics: Int
    /// The pseudo-words; index 0 is the most frequent in the background law.
    public let words: [String]

    /// All words back to back; word i is `wordArena[wordStarts[i] ..< wordStarts[i + 1]]`.
    private let wordArena: [UInt8]
    private let wordStarts: [Int32]
    private let background: AliasTable
    private let topicWords: [[Int32]]
    private let topicDraw: AliasTable

    public init(
        seed: UInt64 = 1, documents: Int, wordsPerDocument: Int = 150, vocabularySize: Int = 50_000,
        zipfExponent: Double = 1.07, topics: Int = 20
    ) {
        precondition(documents >= 0 && wordsPerDocument >= 1 && vocabularySize >= 10 && topics >= 1)
        self.seed = seed
        self.documents = documents
        self.wordsPerDocument = wordsPerDocument
        self.vocabularySize = vocabularySize
        self.zipfExponent = zipfExponent
        self.topics = topics
        var g = SeededGenerator(seed: seed)
        let consonants = Array("bcdfghjklmnprstvwz".utf8), vowels = Array("aeiou".utf8)
        let stop = Tokenizer.englishStopWords
        var seen = Set<[UInt8]>()
        var list: [[UInt8]] = []
        list.reserveCapacity(vocabularySize)
        var attempts = 0
        while list.count < vocabularySize {
            let syllables = 2 + Int(g.next() % 3) + attempts / 20
            var w: [UInt8] = []
            for _ in 0..<syllables {
                w.append(consonants[Int(g.next() % UInt64(consonants.count))])
                w.append(vowels[Int(g.next() % UInt64(vowels.count))])
            }
            if seen.insert(w).inserted, !stop.contains(String(decoding: w, as: UTF8.self)) {
                list.append(w)
                attempts = 0
            } else {
                attempts += 1
            }
        }
        wordArena = list.flatMap { $0 }
        var starts: [Int32] = [0]
        for w in list { starts.append(starts[starts.count - 1] + Int32(w.count)) }
        wordStarts = starts
        words = list.map { String(decoding: $0, as: UTF8.self) }
        background = AliasTable(weights: (0..<vocabularySize).map { 1 / _pow(Double($0 + 1), zipfExponent) })
        let perTopic = max(10, min(vocabularySize / topics, 2_000))
        topicWords = (0..<topics).map { _ in
            (0..<perTopic).map { _ in Int32(truncatingIfNeeded: g.next() % UInt64(vocabularySize)) }
        }
        topicDraw = AliasTable(weights: (0..<perTopic).map { 1 / _pow(Double($0 + 1), zipfExponent) })
    }

    /// Text of document `index` (0 ..< documents).
    public func text(_ index: Int) -> String {
        var g = SeededGenerator(seed: seed).derived(UInt64(index))
        let main = Int(g.next() % UInt64(topics)), second = Int(g.next() % UInt64(topics))
        var out: [UInt8] = []
        out.reserveCapacity(wordsPerDocument * 8)
        var sentenceLeft = 8  // the title
        var inTitle = true, capitalize = true
        wordArena.withUnsafeBufferPointer { arena in
            for _ in 0..<wordsPerDocument {
                let u = g.nextUnit()
                let word: Int
                if u < 0.35 {
                    word = Int(topicWords[main][topicDraw.sample(&g)])
                } else if u < 0.45 {
                    word = Int(topicWords[second][topicDraw.sample(&g)])
                } else {
                    word = background.sample(&g)
                }
                let start = Int(wordStarts[word]), end = Int(wordStarts[word + 1])
                out.append(capitalize ? arena[start] & ~0x20 : arena[start])
                out.append(contentsOf: UnsafeBufferPointer(rebasing: arena[(start + 1)..<end]))
                capitalize = false
                sentenceLeft -= 1
                if sentenceLeft == 0 {
                    if inTitle {
                        out.append(0x0A)  // "\n"
                    } else {
                        out.append(0x2E)  // ". "
                        out.append(0x20)
                    }
                    inTitle = false
                    capitalize = true
                    sentenceLeft = 8 + Int(g.next() % 17)
                } else {
                    if g.next() % 12 == 0 { out.append(0x2C) }  // ", " or " "
                    out.append(0x20)
                }
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// All texts, generated in parallel.
    public func texts() -> [String] {
        let n = documents
        let chunks = max(1, min(64, n / 1_000))
        let parts = parallelMap(chunks) { c in ((c * n / chunks)..<((c + 1) * n / chunks)).map { text($0) } }
        return parts.flatMap { $0 }
    }
}

/// Walker's alias method (Vose's construction): O(1) draws from a discrete distribution.
struct AliasTable: Sendable {
    private let probability: [Double]
    private let alias: [Int32]

    init(weights: [Double]) {
        let n = weights.count, total = weights.reduce(0, +)
        var p = weights.map { $0 * Double(n) / total }
        var alias = [Int32](repeating: 0, count: n)
        var small: [Int] = [], large: [Int] = []
        for i in 0..<n { if p[i] < 1 { small.append(i) } else { large.append(i) } }
        while !small.isEmpty && !large.isEmpty {
            let s = small.removeLast(), l = large.removeLast()
            alias[s] = Int32(l)
            p[l] -= 1 - p[s]
            if p[l] < 1 { small.append(l) } else { large.append(l) }
        }
        for i in small + large { p[i] = 1 }
        probability = p
        self.alias = alias
    }

    @inline(__always) func sample(_ g: inout SeededGenerator) -> Int {
        let u = g.nextUnit() * Double(probability.count)
        let i = min(Int(u), probability.count - 1)
        return u - Double(i) < probability[i] ? i : Int(alias[i])
    }
}

#if canImport(Glibc)
    import Glibc
    @inline(__always) func _pow(_ x: Double, _ y: Double) -> Double { Glibc.pow(x, y) }
#else
    import Foundation
    @inline(__always) func _pow(_ x: Double, _ y: Double) -> Double { Foundation.pow(x, y) }
#endif
