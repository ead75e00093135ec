/// The union of the chunks' local vocabularies: one global id per distinct term, with summed
/// document frequency and total count. Chunks are merged in order, so ids are deterministic.
struct MergedVocabulary: Sendable {
    var terms: ByteStringTable
    var documentFrequency: [Int]
    var totalCount: [Int]
    /// Per chunk, per local term: its global id.
    var localToGlobal: [[Int32]]

    init(_ chunks: [TextChunk]) {
        let largest = chunks.map(\.counted.termCount).max() ?? 0
        terms = ByteStringTable(minimumCapacity: largest + largest / 2)
        documentFrequency = []
        totalCount = []
        localToGlobal = []
        var buffer: [UInt8] = []
        buffer.reserveCapacity(256)
        for chunk in chunks {
            let counted = chunk.counted
            var map = [Int32](repeating: -1, count: counted.termCount)
            for t in 0..<counted.termCount {
                let id: Int32
                if chunk.termSecond[t] < 0 {
                    let token = Int(chunk.termFirst[t])
                    let h = chunk.tokens.hashValue(of: token)
                    id = chunk.tokens.withKey(token) { add($0, hash: h) }
                } else {
                    chunk.termBytes(t, into: &buffer)
                    id = buffer.withUnsafeBufferPointer { add($0, hash: ByteStringTable.hash($0)) }
                }
                map[t] = id
                documentFrequency[Int(id)] += Int(counted.documentFrequency[t])
                totalCount[Int(id)] += counted.totalCount[t]
            }
            localToGlobal.append(map)
        }
    }

    /// A single "chunk" whose local ids already are the ids of `terms` (bag-of-words input).
    init(terms: ByteStringTable, counted: CountedDocuments) {
        self.terms = terms
        documentFrequency = counted.documentFrequency.map(Int.init)
        totalCount = counted.totalCount
        localToGlobal = [(0..<Int32(counted.termCount)).map { $0 }]
    }

    private mutating func add(_ key: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Int32 {
        let (id, inserted) = terms.insert(key, hash: hash)
        if inserted {
            documentFrequency.append(0)
            totalCount.append(0)
        }
        return id
    }

    /// scikit-learn's `CountVectorizer._limit_features` followed by `_sort_features`:
    /// keep a term when `low ≤ df ≤ high` (and df > 0) (`high = max_df` as a count, or `max_df · n`),
    /// then, if more than `max_features` remain, the `max_features` with the largest total count
    /// (ties by term byte order); the result is ordered by term bytes = column order.
    /// Source: scikit-learn 1.9 `sklearn/feature_extraction/text.py`.
    func selectColumns(documents n: Int, configuration c: TfidfConfiguration) -> [Int32] {
        let low = c.minDocumentFrequency.threshold(documents: n)
        let high = c.maxDocumentFrequency.threshold(documents: n)
        var kept: [Int32] = []
        for id in 0..<terms.count {
            let df = Double(documentFrequency[id])
            if df > 0 && df >= low && df <= high { kept.append(Int32(id)) }
        }
        terms.arena.withUnsafeBufferPointer { arena in
            let starts = terms.starts
            func key(_ id: Int32) -> UnsafeBufferPointer<UInt8> {
                UnsafeBufferPointer(rebasing: arena[starts[Int(id)]..<starts[Int(id) + 1]])
            }
            if let limit = c.maxFeatures, kept.count > limit {
                kept.sort { a, b in
                    let ta = totalCount[Int(a)], tb = totalCount[Int(b)]
                    return ta != tb ? ta > tb : bytesLess(key(a), key(b))
                }
                kept.removeSubrange(limit...)
            }
            kept.sort { bytesLess(key($0), key($1)) }
        }
        return kept
    }
}
