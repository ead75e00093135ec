import Foundation
import LinearAlgebra
import PaperFeedCore
import Testing
@testable import Ranking

/// The logistic regression, the training labels and the learner, on fixtures with known answers.
@Suite struct LogisticRegressionTests {
    /// One binary feature, unpenalized: the maximum-likelihood fit reproduces the two group rates,
    /// β0 = logit(a/n0), β1 = logit(b/n1) − logit(a/n0).
    @Test func binaryFeatureMatchesTheGroupRates() throws {
        let (n0, a, n1, b) = (200, 30, 100, 60)
        var x: [Float] = [], y: [Float] = []
        for i in 0..<n0 { x += [0, 1]; y.append(i < a ? 1 : 0) }
        for i in 0..<n1 { x += [1, 1]; y.append(i < b ? 1 : 0) }
        let fit = try LogisticRegression.fit(x: DenseMatrix(rows: n0 + n1, columns: 2, values: x), y: y, penalized: [false, false],
                                             configuration: .init(regularization: 0))
        func logit(_ p: Double) -> Double { log(p / (1 - p)) }
        let beta0 = logit(Double(a) / Double(n0)), beta1 = logit(Double(b) / Double(n1)) - beta0
        #expect(abs(fit.coefficients[1] - beta0) < 1e-5, "intercept \(fit.coefficients[1]) vs \(beta0)")
        #expect(abs(fit.coefficients[0] - beta1) < 1e-5, "slope \(fit.coefficients[0]) vs \(beta1)")
    }

    /// At the penalized optimum the gradient vanishes: (1/n) Xᵀ(p − y) + λβ = 0.
    @Test func penalizedFitSatisfiesItsNormalEquations() throws {
        let seed: UInt64 = 11
        print("LogisticRegressionTests seed \(seed)")
        var g = SeededGenerator(seed: seed)
        let n = 500, p = 4
        var x = [Float](), y = [Float]()
        for _ in 0..<n {
            let row = (0..<(p - 1)).map { _ in Float(g.nextGaussian()) } + [1]
            let eta = 1.5 * Double(row[0]) - 0.7 * Double(row[1]) - 1
            y.append(g.nextUnit() < 1 / (1 + exp(-eta)) ? 1 : 0)
            x += row
        }
        let lambda = 0.05
        let penalized = [true, true, true, false]
        let fit = try LogisticRegression.fit(x: DenseMatrix(rows: n, columns: p, values: x), y: y, penalized: penalized,
                                             configuration: .init(regularization: lambda))
        var grad = [Double](repeating: 0, count: p)
        for i in 0..<n {
            var eta = 0.0
            for j in 0..<p { eta += Double(x[i * p + j]) * fit.coefficients[j] }
            let r = LogisticRegression.sigmoid(eta) - Double(y[i])
            for j in 0..<p { grad[j] += r * Double(x[i * p + j]) / Double(n) }
        }
        for j in 0..<p where penalized[j] { grad[j] += lambda * fit.coefficients[j] }
        #expect(grad.allSatisfy { abs($0) < 1e-6 }, "gradient \(grad)")
        // A larger penalty shrinks the penalized coefficients.
        let strong = try LogisticRegression.fit(x: DenseMatrix(rows: n, columns: p, values: x), y: y, penalized: penalized,
                                                configuration: .init(regularization: 1))
        #expect(abs(strong.coefficients[0]) < abs(fit.coefficients[0]))
        #expect(fit.coefficients[0] > 0.8 && fit.coefficients[1] < -0.3, "\(fit.coefficients)")
    }

    @Test func choleskySolvesAndRefusesIndefinite() {
        let a = [4.0, 2, 2, 3]
        let x = LogisticRegression.choleskySolve(a, n: 2, rhs: [2, 1])!
        #expect(abs(4 * x[0] + 2 * x[1] - 2) < 1e-12 && abs(2 * x[0] + 3 * x[1] - 1) < 1e-12)
        #expect(LogisticRegression.choleskySolve([1, 2, 2, 1], n: 2, rhs: [1, 1]) == nil)
    }
}

@Suite struct TrainingLabelTests {
    /// An impression's grade is what the reader did before the paper was shown again:
    /// read 1, save/upvote 2, nothing 0; an impression after a read is not a row.
    @Test func gradesFollowEachImpressionUntilTheNext() {
        func e(_ u: String, _ p: String, _ k: EventKind, _ h: Double) -> Event {
            Event(user: UserID(u), paper: PaperID(p), kind: k, at: ago(5 - h / 24), position: 1)
        }
        let events = [
            e("a", "p1", .impression, 0), e("a", "p1", .read, 1),                            // 1
            e("a", "p2", .impression, 0), e("a", "p2", .impression, 24), e("a", "p2", .save, 25),  // 0, 2
            e("a", "p3", .read, 0), e("a", "p3", .impression, 24),                            // not a row
            e("b", "p1", .impression, 2), e("b", "p1", .skip, 3),                             // 0
            e("b", "p4", .impression, 2),                                                     // 0
        ]
        let snapshot = RankingSnapshot(asOf: fixtureAsOf, papers: [], events: events, observations: [])
        let log = EventLog(events: snapshot.events)
        let grades = TrainingRows.grades(log)
        var byKey: [String: [Int8]] = [:]
        for i in 0..<log.count where log.kind[i] == .impression {
            byKey["\(log.users[Int(log.user[i])])/\(log.papers[Int(log.paper[i])])", default: []].append(grades[i])
        }
        #expect(byKey["a/p1"] == [1])
        #expect(byKey["a/p2"] == [0, 2])
        #expect(byKey["a/p3"] == [-1])
        #expect(byKey["b/p1"] == [0])
        #expect(byKey["b/p4"] == [0])
        #expect(grades.enumerated().allSatisfy { log.kind[$0.offset] == .impression || $0.element == -1 })
    }
}

@Suite struct LogReplayTests {
    static let world = SyntheticWorld()

    func replay(audience: Bool = true, content: RankingConfiguration.Content = .init()) -> LogReplay {
        let c = RankingConfiguration()
        let log = EventLog(events: Self.world.snapshot.events)
        var r = LogReplay(log: log, space: Self.world.space, content: content,
                          examination: Examination.estimate(log, maxPosition: c.feedback.maxPosition),
                          categories: nil, paperCategories: [:], trackAudience: audience)
        r.advance(to: fixtureAsOf.timeIntervalSince1970)
        return r
    }

    /// The replay's incremental profile is `ReaderHistory`'s profile (same Rocchio rule), also
    /// with negative weights (skips; unread impressions, cancelled when the paper is read).
    @Test(arguments: [false, true]) func profilesAgreeWithReaderHistory(negative: Bool) {
        var c = RankingConfiguration().content
        if negative {
            c.skip = -0.5
            c.unreadImpression = -0.1
        }
        let r = replay(content: c)
        var compared = 0
        for (i, u) in r.log.users.enumerated() {
            let events = Self.world.snapshot.events.filter { $0.user == u }
            let h = ReaderHistory(user: u, events: events, space: Self.world.space, asOf: fixtureAsOf, configuration: c)
            guard let p = r.profile(Int32(i)) else {
                #expect(h.isCold, "\(u): replay has no profile, history has one")
                continue
            }
            compared += 1
            let gap = zip(p, h.profile).map { abs($0 - $1) }.max() ?? 0
            #expect(gap < 1e-5, "\(u): profiles differ by \(gap)")
        }
        #expect(compared > 20)
    }

    /// The replay's read rate is `FeedbackScorer`'s, paper by paper.
    @Test func readRatesAgreeWithTheFeedbackScorer() {
        let r = replay(audience: false)
        let f = FeedbackScorer(configuration: RankingConfiguration().feedback, snapshot: Self.world.snapshot)
        for (i, p) in r.log.papers.enumerated() {
            let a = r.readRate(Int32(i), excluding: nil, priorStrength: f.priorStrength), b = f.score(p)
            #expect(abs(a - b) < 1e-12, "\(p): \(a) vs \(b)")
        }
    }

    /// A reader's contribution to a paper's audience leaves that paper out: with a single reader
    /// who read only paper c after papers x and y, a_c points along that reader's x/y profile.
    @Test func audienceLeavesThePaperItselfOut() {
        let space = try! TopicSpace(ids: ["c", "x", "y"], embeddings: DenseMatrix(rows: 3, columns: 2, values: [1, 0, 0, 1, 0, 1]))
        let events = [
            Event(user: "u", paper: "x", kind: .read, at: ago(3)),
            Event(user: "u", paper: "y", kind: .read, at: ago(2)),
            Event(user: "u", paper: "c", kind: .impression, at: ago(1), position: 1),
            Event(user: "u", paper: "c", kind: .read, at: ago(0.9)),
        ]
        let log = EventLog(events: events)
        var r = LogReplay(log: log, space: space, content: RankingConfiguration().content, examination: [1], categories: nil,
                          paperCategories: [:], trackAudience: true)
        r.advance(to: fixtureAsOf.timeIntervalSince1970)
        var a = [Float](repeating: 0, count: 2)
        r.audience(log.paperIndex("c")!, shrinkage: 1, into: &a[...])
        // Profile before reading c: x and y, both along (0, 1); c = (1, 0) contributes nothing.
        #expect(abs(a[0]) < 1e-6 && abs(a[1] - 0.5) < 1e-6, "audience \(a)")
    }
}

/// The learner on simulated worlds where one signal carries the information.
@Suite struct RankerLearnerTests {
    static let catalogue = SimulatorCatalogue(perDay: 80, days: 14)

    static func learn(_ c: ReaderSimulator.Configuration, validationDays: Int = 3) throws -> LearnedRanker {
        let o = catalogue.run(c)
        let snapshot = RankingSnapshot(asOf: fixtureAsOf, papers: catalogue.papers, events: o.events,
                                       observations: catalogue.observations + o.observations)
        var l = RankerLearner.Configuration()
        l.validationDays = validationDays
        l.minimumValidationLists = 5
        var ranking = RankingConfiguration()
        ranking.candidates.windowDays = 3
        return try RankerLearner(configuration: l).fit(snapshot: snapshot, space: catalogue.space, ranking: ranking, topicModel: "t")
    }

    static func world(appeal: Double, slope: Double, seed: UInt64) -> ReaderSimulator.Configuration {
        var c = ReaderSimulator.Configuration()
        c.readers = 120
        c.days = 14
        c.seed = seed
        c.appealWeight = appeal
        c.slope = slope
        c.popularity = 0
        return c
    }

    @Test func contentWorldWeighsContentMost() throws {
        let r = try Self.learn(Self.world(appeal: 0, slope: 0.9, seed: 3))
        let w = Dictionary(uniqueKeysWithValues: zip(r.features, r.weights))
        print("content world: weights \(w), λ \(r.training.regularization), validation \(r.validation.candidates)")
        #expect(w[.content]! > 0)
        #expect(w[.content]! == w.values.max(), "content should weigh most: \(w)")
        #expect(r.validation.note == nil && r.validation.candidates.count == RankerLearner.Configuration().regularizationGrid.count)
        // The combination predicts the held-out reads better than position alone.
        let best = r.validation.candidates.map(\.logLoss).min()!
        #expect(best < r.validation.positionOnlyLogLoss)
    }

    @Test func appealWorldWeighsFeedbackAboveContent() throws {
        let r = try Self.learn(Self.world(appeal: 0.25, slope: 0.1, seed: 4))
        let w = Dictionary(uniqueKeysWithValues: zip(r.features, r.weights))
        print("appeal world: weights \(w)")
        #expect(w[.feedback]! > 0)
        #expect(w[.feedback]! > w[.content]!, "appeal is visible only in the read rate: \(w)")
    }

    /// Events after as-of never reach the learner: two logs equal before as-of and different
    /// after it give identical rankers.
    @Test func eventsAfterAsOfDoNotChangeTheRanker() throws {
        let c = Self.world(appeal: 0.08, slope: 0.9, seed: 5)
        let o = Self.catalogue.run(c)
        var other = c
        other.seed = 99
        let later = Self.catalogue.run(other).events.map { e -> Event in
            var e = e
            e.at = e.at.addingTimeInterval(30 * day)  // all after fixtureAsOf
            return e
        }
        var l = RankerLearner.Configuration()
        l.validationDays = 3
        l.minimumValidationLists = 5
        func fit(_ events: [Event]) throws -> LearnedRanker {
            let s = RankingSnapshot(asOf: fixtureAsOf, papers: Self.catalogue.papers, events: events,
                                    observations: Self.catalogue.observations + o.observations)
            return try RankerLearner(configuration: l).fit(snapshot: s, space: Self.catalogue.space, ranking: RankingConfiguration(), topicModel: "t")
        }
        #expect(try fit(o.events) == fit(o.events + later))
    }

    @Test func noReadsIsAClearError() throws {
        let events = [Event(user: "u", paper: Self.catalogue.space.ids[0], kind: .impression, at: ago(1), position: 1)]
        let s = RankingSnapshot(asOf: fixtureAsOf, papers: Self.catalogue.papers, events: events, observations: [])
        #expect(throws: RankingError.learning("no logged read, save or upvote after an impression before \(Timestamp.format(fixtureAsOf))")) {
            try RankerLearner().fit(snapshot: s, space: Self.catalogue.space, ranking: RankingConfiguration(), topicModel: "t")
        }
    }
}

/// Training and serving compute the same features: at the start of a logged day, the serving
/// ranker's score of every impression shown that day equals the model's score of its training row.
@Suite struct TrainServeConsistencyTests {
    @Test func servingScoresEqualTrainingRowScores() throws {
        let catalogue = RankerLearnerTests.catalogue
        var c = RankerLearnerTests.world(appeal: 0.1, slope: 0.9, seed: 8)
        c.communities = 3
        c.communityAppealWeight = 0.1
        let o = catalogue.run(c)
        var ranking = RankingConfiguration()
        ranking.candidates.windowDays = 3
        let snapshot = RankingSnapshot(asOf: fixtureAsOf, papers: catalogue.papers, events: o.events,
                                       observations: catalogue.observations + o.observations)
        var l = RankerLearner.Configuration()
        l.validationDays = 0
        let learned = try RankerLearner(configuration: l).fit(snapshot: snapshot, space: catalogue.space, ranking: ranking, topicModel: "t")
        // The rows of the last logged day, and a ranker as of that day's start.
        let log = EventLog(events: snapshot.events)
        let rows = TrainingRows.extract(log: log, snapshot: snapshot, space: catalogue.space, features: learned.features,
                                        settings: learned.settings)
        let lastDay = rows.day.max()!
        let dayStart = Date(timeIntervalSince1970: Double(lastDay) * 86_400)
        let before = RankingSnapshot(asOf: dayStart, papers: catalogue.papers, events: o.events,
                                     observations: catalogue.observations + o.observations)
        let ranker = try BlendRanker(configuration: ranking, space: catalogue.space, snapshot: before, learned: learned)
        var lists: [UserID: [PaperID: Double]] = [:]
        for list in try ranker.rank(users: ranker.readers, k: 10_000) {
            lists[list.user] = Dictionary(uniqueKeysWithValues: list.items.map { ($0.paper, $0.score) })
        }
        var compared = 0
        let f = rows.features.count
        for i in 0..<rows.count where rows.day[i] == lastDay {
            let x = (0..<f).map { Double(rows.x[i * f + $0]) }
            let e = Int(rows.event[i])
            #expect(log.kind[e] == .impression)
            let user = log.users[Int(log.user[e])], paper = log.papers[Int(log.paper[e])]
            guard let served = lists[user]?[paper] else { continue }  // not a candidate (outside the window)
            let expected = learned.score(x)
            #expect(abs(served - expected) < 1e-4 * max(1, abs(expected)), "\(user) \(paper): served \(served), training row \(expected)")
            compared += 1
        }
        #expect(compared > 200, "compared \(compared) impressions")
    }
}

@Suite struct RegularizationChoiceTests {
    /// The one-standard-error rule: a larger λ within one paired standard error of the best is
    /// preferred; one that is clearly worse is not.
    @Test func oneStandardErrorRule() {
        let seed: UInt64 = 17
        print("RegularizationChoiceTests seed \(seed)")
        var g = SeededGenerator(seed: seed)
        let n = 400
        let base = (0..<n).map { _ in 0.5 + 0.2 * g.nextGaussian() }
        let near = base.map { $0 + 0.001 + 0.1 * g.nextGaussian() }     // mean +0.001, paired SE ≈ 0.1/20 = 0.005
        let far = base.map { $0 + 0.05 + 0.001 * g.nextGaussian() }     // mean +0.05, paired SE ≈ 0.00005
        let w = [Double](repeating: 1, count: n)
        #expect(RankerLearner.oneStandardError(lambdas: [0.01, 1, 100], losses: [base, near, far], weights: w) == 1)
        #expect(RankerLearner.oneStandardError(lambdas: [0.01, 100], losses: [base, far], weights: w) == 0.01)
        // The best itself when nothing larger is close.
        #expect(RankerLearner.oneStandardError(lambdas: [0.01, 1], losses: [near, far], weights: w) == 0.01)
    }

    /// A log in which nothing predicts the reads (reads independent of every feature) leaves the
    /// learned ranker at the prior: its weights point along the hand-set blend's.
    @Test func aSilentLogLeavesThePrior() throws {
        let catalogue = RankerLearnerTests.catalogue
        var c = RankerLearnerTests.world(appeal: 0, slope: 0, seed: 23)
        c.base = 0.08  // every read probability the same: no feature carries information
        let o = catalogue.run(c)
        var ranking = RankingConfiguration()
        ranking.candidates.windowDays = 3
        let snapshot = RankingSnapshot(asOf: fixtureAsOf, papers: catalogue.papers, events: o.events,
                                       observations: catalogue.observations + o.observations)
        var l = RankerLearner.Configuration()
        l.validationDays = 3
        l.minimumValidationLists = 5
        let r = try RankerLearner(configuration: l).fit(snapshot: snapshot, space: catalogue.space, ranking: ranking, topicModel: "t")
        let prior = RankerLearner.priorWeights(ranking, features: r.features)
        // Compare per raw unit (the prior is in raw units): w_k/σ_k against prior_k.
        let raw = r.features.map { r.rawWeight($0) }
        let dot = zip(raw, prior).reduce(0) { $0 + $1.0 * $1.1 }
        let cosine = dot / (raw.map { $0 * $0 }.reduce(0, +).squareRoot() * prior.map { $0 * $0 }.reduce(0, +).squareRoot())
        print("silent log: λ \(r.training.regularization), prior scale \(r.training.priorScale ?? .nan), cosine with the prior \(cosine)")
        #expect(r.training.regularization >= 10, "λ \(r.training.regularization)")
        #expect(cosine > 0.99, "weights \(raw) against the prior \(prior)")
    }
}
