import Dispatch

/// Term counts of a run of documents over a local term numbering (scikit-learn's
/// `CountVectorizer._count_vocab` result before the vocabulary is sorted and pruned).
struct CountedDocuments: Sendable {
    /// Document `d` owns `terms[rowStarts[d] ..< rowStarts[d + 1]]` (distinct, any order).
    var rowStarts: [Int] = [0]
    var terms: [Int32] = []
    var counts: [Int32] = []
    /// Per local term: in how many documents it occurs, and its total count.
    var documentFrequency: [Int32] = []
    var totalCount: [Int] = []

    var documentCount: Int { rowStarts.count - 1 }
    var termCount: Int { documentFrequency.count }

    /// Accumulates one document at a time; `add` counts a term, `endDocument` closes the row.
    struct Builder {
        var result = CountedDocuments()
        private var inDocument: [Int32] = []
        private var touched: [Int32] = []

        mutating func newTerm() -> Int32 {
            let id = Int32(result.documentFrequency.count)
            result.documentFrequency.append(0)
            result.totalCount.append(0)
            inDocument.append(0)
            return id
        }

        @inline(__always) mutating func add(_ term: Int32, count: Int32 = 1) {
            let t = Int(term)
            if inDocument[t] == 0 { touched.append(term) }
            inDocument[t] &+= count
        }

        mutating func endDocument() {
            for term in touched {
                let t = Int(term), c = inDocument[t]
                result.terms.append(term)
                result.counts.append(c)
                result.documentFrequency[t] += 1
                result.totalCount[t] += Int(c)
                inDocument[t] = 0
            }
            touched.removeAll(keepingCapacity: true)
            result.rowStarts.append(result.terms.count)
        }
    }
}

/// A chunk of texts tokenized and counted with its own, local term dictionary.
struct TextChunk: Sendable {
    var counted: CountedDocuments
    /// Distinct tokens of the chunk (stop words included, pre-inserted).
    var tokens: ByteStringTable
    /// Per local term: its first token, and its second token for a bigram (−1 for a unigram).
    var termFirst: [Int32]
    var termSecond: [Int32]

    /// The term's bytes: the token, or "first second" for a bigram.
    func termBytes(_ term: Int, into buffer: inout [UInt8]) {
        buffer.removeAll(keepingCapacity: true)
        tokens.withKey(Int(termFirst[term])) { buffer.append(contentsOf: $0) }
        let second = termSecond[term]
        if second >= 0 {
            buffer.append(0x20)
            tokens.withKey(Int(second)) { buffer.append(contentsOf: $0) }
        }
    }
}

extension Tokenizer {
    /// Tokenizes and counts `texts` in parallel chunks (at most `DispatchQueue.concurrentPerform`
    /// workers). Every chunk is counted independently; merging is deterministic, so the final
    /// result never depends on thread timing or on the number of chunks.
    func countInChunks(_ texts: [String]) -> [TextChunk] {
        let chunks = Self.chunkRanges(texts.count)
        return parallelMap(chunks.count) { c in countChunk(texts[chunks[c]]) }
    }

    static func chunkRanges(_ n: Int) -> [Range<Int>] {
        let workers = max(1, ProcessInfo.processInfo.activeProcessorCount)
        var chunks = max(1, min(2 * workers, n / 256))
        // Benchmarking aid: PAPERFEED_TEXT_CHUNKS fixes the number of chunks (output is identical).
        if let forced = ProcessInfo.processInfo.environment["PAPERFEED_TEXT_CHUNKS"].flatMap(Int.init), forced > 0 {
            chunks = max(1, min(forced, n))
        }
        return (0..<chunks).map { c in (c * n / chunks)..<((c + 1) * n / chunks) }
    }

    func countChunk(_ texts: ArraySlice<String>) -> TextChunk {
        var tokens = ByteStringTable(minimumCapacity: 1 << 14)
        // Per token: its unigram term, −1 if unigrams are not terms, −2 for a stop word.
        var tokenTerm: [Int32] = []
        for word in stopWords.sorted() where tokens.insert(word).inserted { tokenTerm.append(-2) }
        var bigrams = PairTable(minimumCapacity: includesBigrams ? 1 << 15 : 16)
        var termFirst: [Int32] = [], termSecond: [Int32] = []
        var builder = CountedDocuments.Builder()
        var kept: [Int32] = []
        let unigrams = includesUnigrams, pairs = includesBigrams

        for text in texts {
            kept.removeAll(keepingCapacity: true)
            var t = text
            t.withUTF8 { bytes in
                Tokenizer.scan(bytes) { token, hash, k0, k1 in
                    let (id, inserted) = tokens.insert(token, hash: hash, k0: k0, k1: k1)
                    if inserted {
                        var term: Int32 = -1
                        if unigrams {
                            term = builder.newTerm()
                            termFirst.append(id)
                            termSecond.append(-1)
                        }
                        tokenTerm.append(term)
                    }
                    let term = tokenTerm[Int(id)]
                    if term == -2 { return }
                    kept.append(id)
                    if term >= 0 { builder.add(term) }
                }
            }
            if pairs && kept.count > 1 {
                for i in 1..<kept.count {
                    let a = kept[i - 1], b = kept[i]
                    let term = bigrams.value(a, b) {
                        termFirst.append(a)
                        termSecond.append(b)
                        return builder.newTerm()
                    }
                    builder.add(term)
                }
            }
            builder.endDocument()
        }
        return TextChunk(counted: builder.result, tokens: tokens, termFirst: termFirst, termSecond: termSecond)
    }
}

/// `body(0) … body(n − 1)` on `DispatchQueue.concurrentPerform`, results in index order.
func parallelMap<T: Sendable>(_ n: Int, _ body: @Sendable (Int) -> T) -> [T] {
    if n == 1 { return [body(0)] }
    let results = UnsafeMutableBufferPointer<T?>.allocate(capacity: n)
    results.initialize(repeating: nil)
    defer {
        _ = results.deinitialize()
        results.deallocate()
    }
    nonisolated(unsafe) let slots = results
    DispatchQueue.concurrentPerform(iterations: n) { i in slots[i] = body(i) }
    return results.map { $0! }
}

import Foundation
