import Testing

@testable import LinearAlgebra

@Suite struct BLASTests {
    let a = DenseMatrix(rows: 2, columns: 3, values: [1, 2, 3, 4, 5, 6])
    let b = DenseMatrix(rows: 3, columns: 2, values: [7, 8, 9, 10, 11, 12])

    @Test func gemmMatchesHandComputedProduct() throws {
        #expect(try BLAS.gemm(a, b).values == [58, 64, 139, 154])
        // A·Aᵀ = [[14, 32], [32, 77]]; Aᵀ·A's first row = [17, 22, 27].
        #expect(try BLAS.gemm(a, a, transposeB: true).values == [14, 32, 32, 77])
        #expect(try BLAS.gemm(a, transposeA: true, a).row(0) == [17, 22, 27])
        // Aᵀ·Bᵀ is 3×3: (Aᵀ·Bᵀ)[0][0] = 1·7 + 4·8 = 39.
        let atbt = try BLAS.gemm(a, transposeA: true, b, transposeB: true)
        #expect(atbt.rows == 3 && atbt.columns == 3 && atbt[0, 0] == 39 && atbt[2, 2] == 3 * 11 + 6 * 12)
    }

    @Test func gemmAccumulatesWithAlphaAndBeta() throws {
        var c = DenseMatrix(rows: 2, columns: 2, values: [1, 1, 1, 1])
        try BLAS.gemm(a, b, alpha: 2, beta: 1, into: &c)
        #expect(c.values == [117, 129, 279, 309])
    }

    @Test func gemmRejectsMismatchedShapes() {
        var c = DenseMatrix(zeros: 2, 2)
        #expect(throws: LinearAlgebraError.self) { try BLAS.gemm(a, a, into: &c) }
        #expect(throws: LinearAlgebraError.self) { try BLAS.gemm(a, b, transposeB: true) }
    }

    @Test func gemvMatchesHandComputedProduct() throws {
        #expect(try BLAS.gemv(a, [1, 1, 1]) == [6, 15])
        #expect(try BLAS.gemv(a, transpose: true, [1, 2]) == [9, 12, 15])
        var y: [Float] = [1, 1]
        try BLAS.gemv(a, [1, 0, 0], alpha: 3, beta: 2, into: &y)
        #expect(y == [5, 14])
        #expect(throws: LinearAlgebraError.self) { try BLAS.gemv(a, [1, 1]) }
    }

    @Test func levelOneRoutines() throws {
        #expect(try BLAS.dot([1, 2, 3], [4, 5, 6]) == 32)
        var y: [Float] = [1, 1, 1]
        try BLAS.axpy(2, [1, 2, 3], &y)
        #expect(y == [3, 5, 7])
        BLAS.scal(0.5, &y)
        #expect(y == [1.5, 2.5, 3.5])
        #expect(BLAS.nrm2([3, 4]) == 5)
        #expect(throws: LinearAlgebraError.self) { try BLAS.dot([1], [1, 2]) }
    }

    @Test func threadCountCanBeSetAndRestored() {
        let before = BLAS.threads
        #expect(before >= 1)
        BLAS.threads = 1
        #expect(BLAS.threads == 1)
        BLAS.threads = before
        #expect(BLAS.threads == before)
    }

    @Test func transposeAndSlices() {
        #expect(a.transposed().values == [1, 4, 2, 5, 3, 6])
        #expect(a.columns(1..<3).values == [2, 3, 5, 6])
        #expect(a.rows(1..<2).values == [4, 5, 6])
    }
}
