/// A sparse matrix in compressed sparse row form (the layout of scipy's `csr_matrix`).
///
/// Invariants (checked by `validate()` and by the throwing initializer):
/// `rowPointers.count == rows + 1`, `rowPointers[0] == 0`, `rowPointers` non-decreasing,
/// `rowPointers[rows] == columnIndices.count == values.count`, every column index in
/// `0..<columns`, and column indices strictly increasing within a row.
public struct CSRMatrix: Sendable, Equatable {
    public let rows: Int
    public let columns: Int
    public let rowPointers: [Int]
    public let columnIndices: [Int32]
    public let values: [Float]

    /// Builds and validates a matrix; throws `LinearAlgebraError.invalidSparseMatrix` naming the
    /// first broken invariant.
    public init(rows: Int, columns: Int, rowPointers: [Int], columnIndices: [Int32], values: [Float]) throws {
        self.init(unchecked: rows, columns: columns, rowPointers: rowPointers, columnIndices: columnIndices, values: values)
        try validate()
    }

    /// Builds without checking; for producers that construct the invariants themselves.
    /// Call `validate()` in tests.
    public init(unchecked rows: Int, columns: Int, rowPointers: [Int], columnIndices: [Int32], values: [Float]) {
        self.rows = rows
        self.columns = columns
        self.rowPointers = rowPointers
        self.columnIndices = columnIndices
        self.values = values
    }

    public var nonZeroCount: Int { values.count }

    /// Checks every invariant listed on the type.
    public func validate() throws {
        func fail(_ why: String) -> LinearAlgebraError { .invalidSparseMatrix(why) }
        guard rows >= 0, columns >= 0 else { throw fail("negative shape \(rows)x\(columns)") }
        guard rowPointers.count == rows + 1 else {
            throw fail("rowPointers has \(rowPointers.count) entries, expected rows + 1 = \(rows + 1)")
        }
        guard rowPointers[0] == 0 else { throw fail("rowPointers[0] is \(rowPointers[0]), expected 0") }
        guard columnIndices.count == values.count, rowPointers[rows] == values.count else {
            throw fail("rowPointers[rows] = \(rowPointers[rows]), columnIndices \(columnIndices.count), values \(values.count) must agree")
        }
        for r in 0..<rows {
            let start = rowPointers[r], end = rowPointers[r + 1]
            guard start <= end else { throw fail("rowPointers decreases at row \(r)") }
            var previous: Int32 = -1
            for k in start..<end {
                let c = columnIndices[k]
                guard c >= 0, Int(c) < columns else { throw fail("column index \(c) out of range 0..<\(columns) in row \(r)") }
                guard c > previous else { throw fail("column indices not strictly increasing in row \(r)") }
                previous = c
            }
        }
    }

    /// The (column, value) pairs of row `r`.
    public func row(_ r: Int) -> (columns: ArraySlice<Int32>, values: ArraySlice<Float>) {
        let range = rowPointers[r]..<rowPointers[r + 1]
        return (columnIndices[range], values[range])
    }
}
