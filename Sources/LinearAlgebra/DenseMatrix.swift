/// A dense row-major matrix of `Float`, stored contiguously: element (i, j) is
/// `values[i * columns + j]`.
public struct DenseMatrix: Sendable, Equatable {
    public let rows: Int
    public let columns: Int
    public var values: [Float]

    public init(rows: Int, columns: Int, values: [Float]) {
        precondition(rows >= 0 && columns >= 0 && values.count == rows * columns, "DenseMatrix shape mismatch")
        self.rows = rows
        self.columns = columns
        self.values = values
    }

    public init(zeros rows: Int, _ columns: Int) {
        self.init(rows: rows, columns: columns, values: [Float](repeating: 0, count: rows * columns))
    }

    public subscript(i: Int, j: Int) -> Float {
        get { values[i * columns + j] }
        set { values[i * columns + j] = newValue }
    }

    /// Row `i` as a new array.
    public func row(_ i: Int) -> [Float] { Array(values[(i * columns)..<((i + 1) * columns)]) }
}
