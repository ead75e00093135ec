import Testing

@testable import Collaborative

@Suite struct ItemKNNTests {
    /// Two disjoint communities: users 0–3 read items 0–3, users 4–7 read items 4–7.
    static func communities() throws -> InteractionMatrix {
        var lists: [[Int]] = []
        for u in 0..<8 {
            let base = u < 4 ? 0 : 4
            lists.append([base + u % 4, base + (u + 1) % 4, base + (u + 2) % 4])
        }
        return try InteractionMatrix(lists: lists, itemCount: 8)
    }

    @Test func neighboursStayInTheCommunity() throws {
        let model = try ItemKNNConfiguration(neighbours: 10, shrinkage: 0).fit(try Self.communities())
        for i in 0..<8 {
            let (columns, values) = model.neighbours.row(i)
            #expect(columns.count == 3)
            for j in columns { #expect((Int(j) < 4) == (i < 4), "item \(i) has neighbour \(j) across communities") }
            for v in values { #expect(v > 0) }
        }
        // A user of the first community gets no score for the second.
        let s = try model.scores(items: [0, 1])
        for i in 4..<8 { #expect(s[i] == 0) }
        #expect(s[2] > 0 && s[3] > 0)
    }

    @Test func similarityIsTheShrunkCosine() throws {
        // Items 0 and 1 share users 0 and 1; item 0 has 3 users, item 1 has 2.
        let x = try InteractionMatrix(lists: [[0, 1], [0, 1], [0], [2]], itemCount: 3)
        let h: Float = 5
        let model = try ItemKNNConfiguration(neighbours: 5, shrinkage: h).fit(x)
        let expected: Float = 2 / ((3 * 2 as Float).squareRoot() + h)
        let (c0, v0) = model.neighbours.row(0)
        #expect(Array(c0) == [1])
        #expect(abs(v0.first! - expected) < 1e-6)
        #expect(model.neighbours.row(2).columns.isEmpty)
        // score(u, i) = Σ_{j∈I_u∩N_k(i)} s_ij.
        let s = try model.scores(items: [0])
        #expect(abs(s[1] - expected) < 1e-6 && s[2] == 0)
    }

    @Test func keepsTheTopKWithTiesByIndex() throws {
        // Item 0 co-occurs once with each of 1…4 (equal similarity): k = 2 keeps 1 and 2.
        let x = try InteractionMatrix(lists: [[0, 1], [0, 2], [0, 3], [0, 4]], itemCount: 5)
        let model = try ItemKNNConfiguration(neighbours: 2, shrinkage: 0).fit(x)
        #expect(Array(model.neighbours.row(0).columns) == [1, 2])
        try model.neighbours.validate()
        try model.contributions.validate()
    }

    @Test func badInputIsAnError() throws {
        #expect(throws: CollaborativeError.self) { try InteractionMatrix(lists: [[0, 3]], itemCount: 3) }
        #expect(throws: CollaborativeError.self) { try InteractionMatrix(lists: [[1, 1]], itemCount: 3) }
        let x = try InteractionMatrix(lists: [[0, 1]], itemCount: 2)
        #expect(throws: CollaborativeError.self) { try ItemKNNConfiguration(neighbours: 0).fit(x) }
        let model = try ItemKNNConfiguration().fit(x)
        #expect(throws: CollaborativeError.self) { try model.scores(items: [2]) }
    }
}
