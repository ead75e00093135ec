import LinearAlgebra

/// Implicit feedback as a binary users × items matrix: `r_ui = 1` when user `u` interacted with
/// item `i` (read, saved, had it in their library), nothing otherwise ("positive-only"
/// feedback: an absent pair is unknown, not negative; Hu, Koren & Volinsky, ICDM 2008).
///
/// Stored twice in CSR form, by user (`byUser`, users × items) and by item (`byItem`, its
/// transpose), with column indices increasing in each row and every value 1.
public struct InteractionMatrix: Sendable, Equatable {
    public let byUser: CSRMatrix
    public let byItem: CSRMatrix

    public var userCount: Int { byUser.rows }
    public var itemCount: Int { byUser.columns }
    public var interactionCount: Int { byUser.nonZeroCount }

    /// From one item list per user (user `u` = `lists[u]`, items 0-based, any order). Throws
    /// `CollaborativeError.invalidInteractions` naming the user and item when an id is outside
    /// `0..<itemCount` or an item appears twice in one list.
    public init(lists: [[Int]], itemCount: Int) throws {
        guard itemCount >= 0, itemCount <= Int(Int32.max) else {
            throw CollaborativeError.invalidInteractions("item count \(itemCount) outside 0...\(Int32.max)")
        }
        var pointers = [0], columns: [Int32] = []
        pointers.reserveCapacity(lists.count + 1)
        columns.reserveCapacity(lists.reduce(0) { $0 + $1.count })
        for (u, list) in lists.enumerated() {
            let sorted = list.sorted()
            for (k, i) in sorted.enumerated() {
                guard i >= 0 && i < itemCount else {
                    throw CollaborativeError.invalidInteractions("user \(u): item \(i) outside 0..<\(itemCount); use 0-based item ids")
                }
                guard k == 0 || sorted[k - 1] != i else {
                    throw CollaborativeError.invalidInteractions("user \(u): item \(i) listed twice; list each interaction once")
                }
                columns.append(Int32(i))
            }
            pointers.append(columns.count)
        }
        byUser = CSRMatrix(unchecked: lists.count, columns: itemCount, rowPointers: pointers, columnIndices: columns,
                           values: [Float](repeating: 1, count: columns.count))
        byItem = byUser.transposed()
    }

    /// The items of user `u`, increasing.
    public func items(ofUser u: Int) -> ArraySlice<Int32> { byUser.row(u).columns }
    /// The users of item `i`, increasing.
    public func users(ofItem i: Int) -> ArraySlice<Int32> { byItem.row(i).columns }
    /// |U_i|, the number of users of each item (its popularity).
    public var itemDegrees: [Int] { (0..<itemCount).map { byItem.rowPointers[$0 + 1] - byItem.rowPointers[$0] } }
}
