import Testing

@testable import LinearAlgebra

@Suite struct LAPACKTests {
    func expectOrthonormalColumns(_ q: DenseMatrix, tolerance: Float = 2e-5) throws {
        let qtq = try BLAS.gemm(q, transposeA: true, q)
        #expect(TestData.maxDifference(qtq, .identity(q.columns)) < tolerance)
    }

    @Test func householderQRReconstructs() throws {
        let a = TestData.dense(9, 4, seed: 11)
        let (q, r) = try LAPACK.thinQR(a)
        #expect(q.rows == 9 && q.columns == 4 && r.rows == 4 && r.columns == 4)
        try expectOrthonormalColumns(q)
        #expect(TestData.maxDifference(try BLAS.gemm(q, r), a) < 1e-5)
        for i in 0..<4 { for j in 0..<i { #expect(r[i, j] == 0) } }
    }

    @Test func householderQRKnownCase() throws {
        // [3, 4]ᵀ = q·r with |r| = 5, q = ±[0.6, 0.8].
        let (q, r) = try LAPACK.thinQR(DenseMatrix(rows: 2, columns: 1, values: [3, 4]))
        #expect(abs(abs(r[0, 0]) - 5) < 1e-6)
        #expect(abs(q[0, 0] * r[0, 0] - 3) < 1e-6 && abs(q[1, 0] * r[0, 0] - 4) < 1e-6)
    }

    @Test func wideQRGivesSquareQ() throws {
        let a = TestData.dense(3, 5, seed: 12)
        let (q, r) = try LAPACK.thinQR(a)
        #expect(q.rows == 3 && q.columns == 3 && r.rows == 3 && r.columns == 5)
        #expect(TestData.maxDifference(try BLAS.gemm(q, r), a) < 1e-5)
    }

    @Test func choleskyQROrthonormalizesAndFallsBack() throws {
        let a = TestData.dense(200, 12, seed: 13)
        var q = a
        let r = try LAPACK.orthonormalize(&q, passes: 2)
        try expectOrthonormalColumns(q)
        #expect(TestData.maxDifference(try BLAS.gemm(q, r), a) < 1e-4)
        // Rank-deficient (two equal columns): Cholesky fails, Householder takes over.
        var d = a
        for i in 0..<d.rows { d[i, 5] = d[i, 2] }
        var qd = d
        let rd = try LAPACK.orthonormalize(&qd, passes: 1)
        try expectOrthonormalColumns(qd)
        #expect(TestData.maxDifference(try BLAS.gemm(qd, rd), d) < 1e-4)
    }

    @Test func svdOfHandWorked2x2() throws {
        // A = [[3, 0], [4, 5]]: AᵀA = [[25, 20], [20, 25]], eigenvalues 45 and 5.
        let a = DenseMatrix(rows: 2, columns: 2, values: [3, 0, 4, 5])
        let svd = try LAPACK.svd(a)
        #expect(abs(svd.singularValues[0] - Float(45.0.squareRoot())) < 1e-5)
        #expect(abs(svd.singularValues[1] - Float(5.0.squareRoot())) < 1e-5)
        // v₁ = ±[1, 1]/√2.
        #expect(abs(abs(svd.vt[0, 0]) - Float(0.5.squareRoot())) < 1e-5 && svd.vt[0, 0] * svd.vt[0, 1] > 0)
        try expectReconstruction(a, svd)
    }

    @Test func svdOfHandWorked3x2() throws {
        // A = [[1, 0], [0, 1], [1, 1]]: AᵀA = [[2, 1], [1, 2]], σ = √3 and 1;
        // u₁ = A·v₁/σ₁ = ±[1, 1, 2]/√6.
        let a = DenseMatrix(rows: 3, columns: 2, values: [1, 0, 0, 1, 1, 1])
        let svd = try LAPACK.svd(a)
        #expect(svd.u.rows == 3 && svd.u.columns == 2 && svd.vt.rows == 2 && svd.vt.columns == 2)
        #expect(abs(svd.singularValues[0] - Float(3.0.squareRoot())) < 1e-5)
        #expect(abs(svd.singularValues[1] - 1) < 1e-5)
        let sign: Float = svd.u[2, 0] > 0 ? 1 : -1
        let expected = [1, 1, 2].map { Float($0) / Float(6.0.squareRoot()) }
        for i in 0..<3 { #expect(abs(sign * svd.u[i, 0] - expected[i]) < 1e-5) }
        try expectReconstruction(a, svd)
    }

    @Test func svdOfRandomWideAndTallMatricesReconstructs() throws {
        for (n, m, seed) in [(7, 4, UInt64(21)), (4, 9, UInt64(22))] {
            let a = TestData.dense(n, m, seed: seed)
            let svd = try LAPACK.svd(a)
            try expectReconstruction(a, svd)
            try expectOrthonormalColumns(svd.u)
            try expectOrthonormalColumns(svd.vt.transposed())
            #expect(zip(svd.singularValues, svd.singularValues.dropFirst()).allSatisfy { $0 >= $1 })
        }
    }

    @Test func nanInputThrowsLapackError() throws {
        var a = TestData.dense(4, 3, seed: 5)
        a[1, 1] = .nan
        let error = #expect(throws: LinearAlgebraError.self) { try LAPACK.svd(a) }
        guard case .lapack(let routine, let info) = error else {
            Issue.record("expected a .lapack error, got \(String(describing: error))")
            return
        }
        #expect(routine == "sgesdd" || routine == "sgesvd")
        #expect(info != 0)
    }

    @Test func symmetricEigenOfKnownMatrix() throws {
        // [[2, 1], [1, 2]]: eigenvalues 3, 1.
        let (values, vectors) = try LAPACK.symmetricTopEigen([2, 1, 1, 2], n: 2, count: 2)
        #expect(abs(values[0] - 3) < 1e-12 && abs(values[1] - 1) < 1e-12)
        #expect(abs(abs(vectors[0]) - 0.5.squareRoot()) < 1e-12)
    }

    func expectReconstruction(_ a: DenseMatrix, _ svd: DenseSVD) throws {
        var us = svd.u
        for i in 0..<us.rows { for j in 0..<us.columns { us[i, j] *= svd.singularValues[j] } }
        #expect(TestData.maxDifference(try BLAS.gemm(us, svd.vt), a) < 1e-5)
    }
}

@Suite struct CholeskySolveTests {
    @Test func solvesAKnownSystem() throws {
        // [[4, 2], [2, 3]]·x = [2, 1] → x = [0.5, 0].
        let x = try LAPACK.solvePositiveDefinite(DenseMatrix(rows: 2, columns: 2, values: [4, 2, 2, 3]), [2, 1])
        #expect(abs(x[0] - 0.5) < 1e-6 && abs(x[1]) < 1e-6)
    }

    @Test func readsOnlyTheLowerTriangle() throws {
        var a: [Double] = [4, 999, 2, 3], b: [Double] = [2, 1]
        try LAPACK.solvePositiveDefinite(&a, &b, n: 2)
        #expect(abs(b[0] - 0.5) < 1e-12 && abs(b[1]) < 1e-12)
    }

    @Test func indefiniteIsAnError() throws {
        #expect(throws: LinearAlgebraError.lapack(routine: "dposv", info: 2)) {
            try LAPACK.solvePositiveDefinite(DenseMatrix(rows: 2, columns: 2, values: [1, 2, 2, 1]), [1, 1])
        }
        #expect(throws: LinearAlgebraError.self) { try LAPACK.solvePositiveDefinite(DenseMatrix(zeros: 2, 2), [1]) }
    }
}
