import LinearAlgebra
import PaperFeedCore
import Testing

@testable import Collaborative

@Suite struct ImplicitALSTests {
    /// A random binary matrix (users × items, density about `density`), seeded.
    static func random(users: Int, items: Int, density: Double, seed: UInt64) throws -> InteractionMatrix {
        print("ImplicitALSTests: interactions seed \(seed)")
        var g = SeededGenerator(seed: seed)
        let lists = (0..<users).map { _ in (0..<items).filter { _ in g.nextUnit() < density } }
        return try InteractionMatrix(lists: lists, itemCount: items)
    }

    @Test func lossDecreasesEveryIteration() throws {
        for seed: UInt64 in [3, 17, 2024] {
            let x = try Self.random(users: 40, items: 30, density: 0.15, seed: seed)
            let c = ImplicitALSConfiguration(factors: 6, regularization: 0.5, alpha: 10, iterations: 8, seed: seed)
            let model = try c.fit(x)
            #expect(model.losses.count == 8)
            for (a, b) in zip(model.losses, model.losses.dropFirst()) {
                #expect(b <= a * (1 + 1e-6), "seed \(seed): loss rose from \(a) to \(b)")
            }
        }
    }

    /// The closed-form loss equals the loss summed over every user–item pair.
    @Test func lossMatchesTheDefinition() throws {
        let x = try Self.random(users: 12, items: 9, density: 0.3, seed: 5)
        let c = ImplicitALSConfiguration(factors: 3, regularization: 0.7, alpha: 4, iterations: 2, seed: 5)
        let model = try c.fit(x)
        var direct = 0.0
        let f = 3
        for u in 0..<12 {
            let own = Set(x.items(ofUser: u).map { Int($0) })
            for i in 0..<9 {
                var s = 0.0
                for d in 0..<f { s += Double(model.userFactors[u, d]) * Double(model.itemFactors[i, d]) }
                let p = own.contains(i) ? 1.0 : 0.0, conf = 1 + 4 * p
                direct += conf * (p - s) * (p - s)
            }
        }
        for v in model.userFactors.values + model.itemFactors.values { direct += 0.7 * Double(v) * Double(v) }
        #expect(abs(direct - model.losses.last!) < 1e-6 * max(1, direct))
    }

    /// Every item row solves its normal equations (UᵀU + λI + α Σ u uᵀ) y = (1 + α) Σ u.
    @Test func itemsSatisfyTheNormalEquations() throws {
        let x = try Self.random(users: 30, items: 20, density: 0.2, seed: 11)
        let lambda = 0.3, alpha = 8.0, f = 5
        let model = try ImplicitALSConfiguration(factors: f, regularization: lambda, alpha: alpha, iterations: 5, seed: 11).fit(x)
        let u = model.userFactors
        for i in 0..<20 {
            let users = x.users(ofItem: i).map { Int($0) }
            var worst = 0.0, scale = 1.0
            for a in 0..<f {
                var lhs = 0.0, rhs = 0.0
                for b in 0..<f {
                    var m = 0.0
                    for v in 0..<u.rows { m += Double(u[v, a]) * Double(u[v, b]) }
                    for v in users { m += alpha * Double(u[v, a]) * Double(u[v, b]) }
                    if a == b { m += lambda }
                    lhs += m * Double(model.itemFactors[i, b])
                }
                for v in users { rhs += (1 + alpha) * Double(u[v, a]) }
                worst = max(worst, abs(lhs - rhs)); scale = max(scale, abs(rhs))
            }
            #expect(worst / scale < 1e-4, "item \(i): residual \(worst)")
        }
    }

    @Test func foldInOfAFittedItemReturnsItsFactors() throws {
        let x = try Self.random(users: 25, items: 15, density: 0.25, seed: 23)
        let model = try ImplicitALSConfiguration(factors: 4, regularization: 1, alpha: 20, iterations: 6, seed: 23).fit(x)
        for i in 0..<15 {
            let folded = try model.foldInItem(users: x.users(ofItem: i).map { Int($0) })
            for d in 0..<4 { #expect(abs(folded[d] - model.itemFactors[i, d]) < 1e-5) }
        }
        // A converged fit: a user's fold-in is close to its factors too.
        let long = try ImplicitALSConfiguration(factors: 4, regularization: 1, alpha: 20, iterations: 400, seed: 23).fit(x)
        let folded = try long.foldInUser(items: x.items(ofUser: 0).map { Int($0) })
        for d in 0..<4 { #expect(abs(folded[d] - long.userFactors[0, d]) < 1e-3) }
        #expect(try model.foldInUser(items: []) == [0, 0, 0, 0])
        #expect(throws: CollaborativeError.self) { try model.foldInUser(items: [15]) }
    }

    /// Two disjoint communities: a user's best-scored unseen item is in their own community.
    @Test func recommendsWithinTheCommunity() throws {
        var lists: [[Int]] = []
        var g = SeededGenerator(seed: 31)
        print("ImplicitALSTests: communities seed 31")
        for u in 0..<100 {
            let base = u < 50 ? 0 : 10
            lists.append((0..<10).filter { _ in g.nextUnit() < 0.5 }.map { base + $0 })
        }
        let x = try InteractionMatrix(lists: lists, itemCount: 20)
        // Two factors for two blocks: each community gets its own direction.
        let model = try ImplicitALSConfiguration(factors: 2, regularization: 1, alpha: 10, iterations: 15, seed: 31).fit(x)
        let scores = try model.scores(users: Array(0..<100))
        for u in 0..<100 where lists[u].count < 10 && !lists[u].isEmpty {
            let own = Set(lists[u])
            let best = (0..<20).filter { !own.contains($0) }.max { scores[u, $0] < scores[u, $1] }!
            #expect((best < 10) == (u < 50), "user \(u): best item \(best)")
        }
    }

    @Test func sameSeedSameFactors() throws {
        let x = try Self.random(users: 20, items: 12, density: 0.3, seed: 41)
        let c = ImplicitALSConfiguration(factors: 3, iterations: 3, seed: 41)
        #expect(try c.fit(x).itemFactors == (try c.fit(x).itemFactors))
        #expect(throws: CollaborativeError.self) { try ImplicitALSConfiguration(factors: 0).fit(x) }
    }
}
