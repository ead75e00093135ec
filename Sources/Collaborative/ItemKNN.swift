import Dispatch
import Foundation
import LinearAlgebra

/// Item-based collaborative filtering over implicit feedback with a shrunk cosine (Sarwar,
/// Karypis, Konstan & Riedl, WWW 2001; the shrinkage as in Ferrari Dacrema, Cremonesi & Jannach,
/// RecSys 2019 / TOIS 2021, `ItemKNNCFRecommender` with `similarity = "cosine"`).
///
/// With `U_i` the users of item `i`:
///
///     s_ij = |U_i ∩ U_j| / (sqrt(|U_i|·|U_j|) + h)          (i ≠ j; s_ii = 0)
///
/// Each item `i` keeps its `k` most similar items `N_k(i)` (ties by item index ascending; only
/// items that share a user, so `s_ij > 0`), and a user's score for item `i` is the sum of the
/// similarities of `i` to the user's items among those neighbours:
///
///     score(u, i) = Σ_{j ∈ I_u ∩ N_k(i)} s_ij
///
/// The co-occurrence counts `|U_i ∩ U_j|` are the sparse product `XᵀX` of the binary users ×
/// items matrix, computed row by row (Gustavson 1978) with a dense accumulator per worker and
/// the list of touched columns — work Σ_u |I_u|², never a loop over all item pairs.
public struct ItemKNNConfiguration: Sendable, Codable, Equatable {
    /// `k`, neighbours kept per item (default 100).
    public var neighbours: Int
    /// `h`, the shrinkage term of the denominator (default 10); 0 is the plain cosine.
    public var shrinkage: Float

    public init(neighbours: Int = 100, shrinkage: Float = 10) {
        self.neighbours = neighbours
        self.shrinkage = shrinkage
    }

    /// Fits the neighbour lists of every item of `x`.
    public func fit(_ x: InteractionMatrix) throws -> ItemKNNModel {
        guard neighbours >= 1 else { throw CollaborativeError.invalidConfiguration("item-kNN neighbours must be ≥ 1, got \(neighbours)") }
        guard shrinkage >= 0, shrinkage.isFinite else {
            throw CollaborativeError.invalidConfiguration("item-kNN shrinkage must be a finite number ≥ 0, got \(shrinkage)")
        }
        let n = x.itemCount, k = neighbours, h = shrinkage
        let degree = x.itemDegrees
        let byItem = x.byItem, byUser = x.byUser
        let chunks = max(1, min(n, 64))
        let slots = NeighbourSlots(n)
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
            let range = (n * c / chunks)..<(n * (c + 1) / chunks)
            var acc = [Float](repeating: 0, count: n)
            var touched: [Int32] = []
            for i in range {
                touched.removeAll(keepingCapacity: true)
                for p in byItem.rowPointers[i]..<byItem.rowPointers[i + 1] {
                    let u = Int(byItem.columnIndices[p])
                    for q in byUser.rowPointers[u]..<byUser.rowPointers[u + 1] {
                        let j = Int(byUser.columnIndices[q])
                        if j == i { continue }
                        if acc[j] == 0 { touched.append(Int32(j)) }
                        acc[j] += 1
                    }
                }
                var scored: [(Int32, Float)] = []
                scored.reserveCapacity(touched.count)
                let di = Float(degree[i])
                for j in touched {
                    let s = acc[Int(j)] / ((di * Float(degree[Int(j)])).squareRoot() + h)
                    acc[Int(j)] = 0
                    scored.append((j, s))
                }
                if scored.count > k {
                    scored.sort { $0.1 > $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }
                    scored.removeLast(scored.count - k)
                }
                scored.sort { $0.0 < $1.0 }
                slots.set(i, scored)
            }
        }
        var pointers = [0], columns: [Int32] = [], values: [Float] = []
        for list in slots.values {
            for (j, s) in list { columns.append(j); values.append(s) }
            pointers.append(columns.count)
        }
        let neighbourMatrix = CSRMatrix(unchecked: n, columns: n, rowPointers: pointers, columnIndices: columns, values: values)
        return ItemKNNModel(configuration: self, neighbours: neighbourMatrix, contributions: neighbourMatrix.transposed())
    }
}

/// A fitted item-kNN model (immutable).
public struct ItemKNNModel: Sendable {
    public let configuration: ItemKNNConfiguration
    /// Row `i`: the neighbours `N_k(i)` with `s_ij`, column indices increasing.
    public let neighbours: CSRMatrix
    /// The transpose: row `j` lists the items `i` with `j ∈ N_k(i)` and `s_ij` (what user
    /// item `j` contributes to the scores).
    public let contributions: CSRMatrix

    public var itemCount: Int { neighbours.rows }

    /// `score(u, i)` over every item for a user whose items are `items` (any ids outside the
    /// model are an error). The user's own items keep their scores (callers mask them).
    public func scores(items: some Sequence<Int>) throws -> [Float] {
        var row = [Float](repeating: 0, count: itemCount)
        try accumulate(items: items, into: &row)
        return row
    }

    /// Scores of every item for each user of `users` (rows of `x`, whose item space must be the
    /// model's): a `users.count × items` matrix.
    public func scores(users: [Int], of x: InteractionMatrix) throws -> DenseMatrix {
        guard x.itemCount == itemCount else {
            throw CollaborativeError.shapeMismatch("interactions have \(x.itemCount) items, the item-kNN model \(itemCount)")
        }
        var out = DenseMatrix(zeros: users.count, itemCount)
        var row = [Float](repeating: 0, count: itemCount)
        for (r, u) in users.enumerated() {
            for i in row.indices { row[i] = 0 }
            try accumulate(items: x.items(ofUser: u).lazy.map { Int($0) }, into: &row)
            out.values.replaceSubrange((r * itemCount)..<((r + 1) * itemCount), with: row)
        }
        return out
    }

    func accumulate(items: some Sequence<Int>, into row: inout [Float]) throws {
        for j in items {
            guard j >= 0 && j < itemCount else {
                throw CollaborativeError.shapeMismatch("item \(j) outside the model's 0..<\(itemCount)")
            }
            for p in contributions.rowPointers[j]..<contributions.rowPointers[j + 1] {
                row[Int(contributions.columnIndices[p])] += contributions.values[p]
            }
        }
    }
}

/// Per-item neighbour lists written by concurrent workers (disjoint indices).
final class NeighbourSlots: @unchecked Sendable {
    private var storage: [[(Int32, Float)]]
    private let lock = NSLock()
    init(_ count: Int) { storage = Array(repeating: [], count: count) }
    func set(_ i: Int, _ v: [(Int32, Float)]) { lock.lock(); storage[i] = v; lock.unlock() }
    var values: [[(Int32, Float)]] { lock.lock(); defer { lock.unlock() }; return storage }
}
