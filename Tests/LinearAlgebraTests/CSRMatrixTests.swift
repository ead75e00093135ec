import Testing

@testable import LinearAlgebra

@Suite struct CSRMatrixTests {
    func expectInvalid(_ build: () throws -> CSRMatrix, _ fragment: String) {
        let error = #expect(throws: LinearAlgebraError.self) { _ = try build() }
        guard case .invalidSparseMatrix(let why) = error else {
            Issue.record("expected .invalidSparseMatrix, got \(String(describing: error))")
            return
        }
        #expect(why.contains(fragment), "\(why)")
    }

    @Test func validMatrixPasses() throws {
        let a = try CSRMatrix(rows: 2, columns: 3, rowPointers: [0, 2, 3], columnIndices: [0, 2, 1], values: [1, 2, 3])
        try a.validate()
        #expect(a.toDense().values == [1, 0, 2, 0, 3, 0])
    }

    @Test func validateRejectsEachBrokenInvariant() {
        expectInvalid({ try CSRMatrix(rows: 2, columns: 3, rowPointers: [0, 2, 1, 3], columnIndices: [0, 1, 2], values: [1, 1, 1]) }, "rowPointers has")
        expectInvalid({ try CSRMatrix(rows: 2, columns: 3, rowPointers: [1, 2, 3], columnIndices: [0, 1, 2], values: [1, 1, 1]) }, "rowPointers[0]")
        // Non-monotone row pointers.
        expectInvalid({ try CSRMatrix(rows: 3, columns: 3, rowPointers: [0, 2, 1, 3], columnIndices: [0, 1, 2], values: [1, 1, 1]) }, "decreases")
        // Column out of range.
        expectInvalid({ try CSRMatrix(rows: 1, columns: 3, rowPointers: [0, 2], columnIndices: [0, 3], values: [1, 1]) }, "out of range")
        expectInvalid({ try CSRMatrix(rows: 1, columns: 3, rowPointers: [0, 1], columnIndices: [-1], values: [1]) }, "out of range")
        // Unsorted and duplicated columns.
        expectInvalid({ try CSRMatrix(rows: 1, columns: 3, rowPointers: [0, 2], columnIndices: [2, 1], values: [1, 1]) }, "strictly increasing")
        expectInvalid({ try CSRMatrix(rows: 1, columns: 3, rowPointers: [0, 2], columnIndices: [1, 1], values: [1, 1]) }, "strictly increasing")
        // Count mismatches.
        expectInvalid({ try CSRMatrix(rows: 1, columns: 3, rowPointers: [0, 2], columnIndices: [0, 1], values: [1]) }, "must agree")
        expectInvalid({ try CSRMatrix(rows: 1, columns: 3, rowPointers: [0, 3], columnIndices: [0, 1], values: [1, 1]) }, "must agree")
    }

    @Test(arguments: [UInt64(101), 202, 303])
    func sparseTimesDenseMatchesDense(seed: UInt64) throws {
        print("sparse×dense seed \(seed)")
        let a = TestData.sparse(37, 23, density: 0.2, seed: seed)
        let aDense = a.toDense()
        for k in [1, 5, 8, 19] {
            let b = TestData.dense(23, k, seed: seed &+ UInt64(k))
            #expect(TestData.maxDifference(try a.multiplied(by: b), TestData.product(aDense, b)) < 1e-5)
            let c = TestData.dense(37, k, seed: seed &+ 100 &+ UInt64(k))
            let expected = TestData.product(aDense.transposed(), c)
            #expect(TestData.maxDifference(try a.transposeMultiplied(by: c), expected) < 1e-5)
            #expect(TestData.maxDifference(try a.transposeMultipliedByScatter(by: c), expected) < 1e-5)
        }
    }

    @Test func transposeIsValidAndInvolutive() throws {
        let a = TestData.sparse(15, 40, density: 0.1, seed: 7)
        let t = a.transposed()
        try t.validate()
        #expect(t.toDense() == a.toDense().transposed())
        #expect(t.transposed() == a)
    }

    @Test func productsRejectWrongShapes() {
        let a = TestData.sparse(4, 3, density: 0.5, seed: 1)
        #expect(throws: LinearAlgebraError.self) { try a.multiplied(by: DenseMatrix(zeros: 4, 2)) }
        #expect(throws: LinearAlgebraError.self) { try a.transposeMultiplied(by: DenseMatrix(zeros: 3, 2)) }
    }

    @Test func emptyRowsAndEmptyMatrix() throws {
        let a = try CSRMatrix(rows: 3, columns: 2, rowPointers: [0, 0, 1, 1], columnIndices: [1], values: [2])
        #expect(try a.multiplied(by: DenseMatrix(rows: 2, columns: 1, values: [1, 3])).values == [0, 6, 0])
        let e = try CSRMatrix(rows: 0, columns: 2, rowPointers: [0], columnIndices: [], values: [])
        #expect(try e.multiplied(by: DenseMatrix(zeros: 2, 3)).rows == 0)
    }
}
