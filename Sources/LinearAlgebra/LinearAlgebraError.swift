/// Every error the LinearAlgebra module throws. Messages say what went wrong and what to do.
public enum LinearAlgebraError: Error, Equatable, CustomStringConvertible {
    /// A CSR matrix broke one of its invariants.
    case invalidSparseMatrix(String)
    /// Operand shapes do not fit the operation.
    case shapeMismatch(String)
    /// A LAPACK routine returned `info != 0`.
    case lapack(routine: String, info: Int)

    public var description: String {
        switch self {
        case .invalidSparseMatrix(let why):
            return "invalid sparse matrix: \(why); rebuild it with sorted, in-range column indices"
        case .shapeMismatch(let why):
            return "shape mismatch: \(why)"
        case .lapack(let routine, let info):
            if info < 0 {
                return "LAPACK \(routine) rejected argument \(-info) (info = \(info)); this is a bug in PaperFeed, please report it"
            }
            if routine.hasSuffix("posv") || routine.hasSuffix("potrf") {
                return "LAPACK \(routine): the matrix is not positive definite (leading minor \(info)); "
                    + "increase the regularization or check the input for NaN or infinite values"
            }
            return "LAPACK \(routine) did not converge (info = \(info)); check the input for NaN or infinite values"
        }
    }
}
