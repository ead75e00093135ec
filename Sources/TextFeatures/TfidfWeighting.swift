import LinearAlgebra

/// CSR rows of one chunk before concatenation.
struct WeightedRows: Sendable {
    var rowLengths: [Int] = []
    var columns: [Int32] = []
    var values: [Float] = []
}

/// One chunk of counts with the column of each of its local terms (−1: not in the vocabulary).
struct ColumnMappedCounts: Sendable {
    var counted: CountedDocuments
    var columnOfTerm: [Int32]
}

extension TfidfConfiguration {
    /// The TF-IDF matrix of the chunks' documents in order (rows = documents, columns sorted
    /// within each row). Chunks are weighted in parallel; weights are computed in `Double` and
    /// stored as `Float`.
    func weightedMatrix(_ parts: [ColumnMappedCounts], idf: [Double]) -> CSRMatrix {
        let rows = parallelMap(parts.count) { p in weightRows(parts[p], idf: idf) }
        let nnz = rows.reduce(0) { $0 + $1.columns.count }
        var rowPointers: [Int] = [0]
        rowPointers.reserveCapacity(parts.reduce(1) { $0 + $1.counted.documentCount })
        var columns: [Int32] = []
        var values: [Float] = []
        columns.reserveCapacity(nnz)
        values.reserveCapacity(nnz)
        for part in rows {
            var end = rowPointers[rowPointers.count - 1]
            for length in part.rowLengths {
                end += length
                rowPointers.append(end)
            }
            columns.append(contentsOf: part.columns)
            values.append(contentsOf: part.values)
        }
        return CSRMatrix(
            unchecked: rowPointers.count - 1, columns: idf.count, rowPointers: rowPointers,
            columnIndices: columns, values: values)
    }

    func weightRows(_ part: ColumnMappedCounts, idf: [Double]) -> WeightedRows {
        let counted = part.counted, map = part.columnOfTerm
        var out = WeightedRows()
        out.rowLengths.reserveCapacity(counted.documentCount)
        out.columns.reserveCapacity(counted.terms.count)
        out.values.reserveCapacity(counted.terms.count)
        var packed: [UInt64] = []
        var weights: [Double] = []
        let sublinear = sublinearTF, l2 = normalization == .l2
        for d in 0..<counted.documentCount {
            packed.removeAll(keepingCapacity: true)
            for k in counted.rowStarts[d]..<counted.rowStarts[d + 1] {
                let column = map[Int(counted.terms[k])]
                if column >= 0 { packed.append(UInt64(UInt32(column)) << 32 | UInt64(UInt32(counted.counts[k]))) }
            }
            sortSmall(&packed)
            weights.removeAll(keepingCapacity: true)
            var sumOfSquares = 0.0
            var i = 0
            let first = out.columns.count
            while i < packed.count {
                // Entries of the same column (duplicate vocabulary strings) are summed.
                let column = Int32(truncatingIfNeeded: packed[i] >> 32)
                var count = 0
                while i < packed.count && Int32(truncatingIfNeeded: packed[i] >> 32) == column {
                    count += Int(UInt32(truncatingIfNeeded: packed[i]))
                    i += 1
                }
                let tf = sublinear ? 1 + _log(Double(count)) : Double(count)
                let w = tf * idf[Int(column)]
                sumOfSquares += w * w
                weights.append(w)
                out.columns.append(column)
            }
            let norm = l2 && sumOfSquares > 0 ? sumOfSquares.squareRoot() : 1
            for w in weights { out.values.append(Float(w / norm)) }
            out.rowLengths.append(out.columns.count - first)
        }
        return out
    }
}

/// Sorts a document's packed (column, count) entries: quicksort (median of three) with
/// insertion sort below 16 elements, on the raw buffer.
@inline(__always) func sortSmall(_ a: inout [UInt64]) {
    a.withUnsafeMutableBufferPointer { quicksort($0, 0, $0.count - 1) }
}

private func quicksort(_ p: UnsafeMutableBufferPointer<UInt64>, _ low: Int, _ high: Int) {
    var lo = low, hi = high
    while hi - lo >= 16 {
        let mid = lo + (hi - lo) / 2
        if p[mid] < p[lo] { p.swapAt(mid, lo) }
        if p[hi] < p[lo] { p.swapAt(hi, lo) }
        if p[hi] < p[mid] { p.swapAt(hi, mid) }
        let pivot = p[mid]
        var i = lo, j = hi
        while i <= j {
            while p[i] < pivot { i += 1 }
            while p[j] > pivot { j -= 1 }
            if i <= j {
                p.swapAt(i, j)
                i += 1
                j -= 1
            }
        }
        // Recurse into the smaller side, loop on the larger.
        if j - lo < hi - i {
            quicksort(p, lo, j)
            lo = i
        } else {
            quicksort(p, i, hi)
            hi = j
        }
    }
    if hi <= lo { return }
    var i = lo + 1
    while i <= hi {
        let x = p[i]
        var j = i
        while j > lo && p[j - 1] > x {
            p[j] = p[j - 1]
            j -= 1
        }
        p[j] = x
        i += 1
    }
}
