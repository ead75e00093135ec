import Foundation
import PaperFeedCore
import Testing
@testable import Ranking

@Suite struct ConfigurationTests {
    func decode(_ json: String) throws -> RankingConfiguration {
        try RankingConfiguration.decode(Data(json.utf8), source: "test.json")
    }

    @Test func missingKeysTakeDefaults() throws {
        #expect(try decode("{}") == RankingConfiguration())
        let c = try decode(#"{"weights": {"content": 0.5}, "diversity": {"enabled": true}, "feedback": {"examination": [1, 0.5]}}"#)
        var expected = RankingConfiguration()
        expected.weights.content = 0.5
        expected.diversity.enabled = true
        expected.feedback.examination = [1, 0.5]
        #expect(c == expected)
        #expect(c.weights.trend == 0.2 && c.content.halfLifeDays == 30 && c.candidates.windowDays == 7)
    }

    @Test func unknownKeysThrowWithTheirPath() {
        #expect(throws: RankingError.self) { try decode(#"{"wieghts": {}}"#) }
        do {
            _ = try decode(#"{"weights": {"contnet": 1}}"#)
            Issue.record("an unknown nested key was accepted")
        } catch {
            #expect("\(error)".contains("weights.contnet"))
        }
    }

    @Test func badValuesAndBadJSONThrow() {
        for json in [#"{"trend": {"halfLifeDays": 0}}"#, #"{"weights": {"trend": -1}}"#, #"{"diversity": {"lambda": 2}}"#,
                     #"{"feedback": {"examination": [1, 0]}}"#, #"{"weights": 3}"#, "[]", "not json", #"{"content": {"explainTop": 1.5}}"#] {
            #expect(throws: RankingError.self, "\(json)") { try decode(json) }
        }
    }

    @Test func roundTrip() throws {
        var c = RankingConfiguration.only(.feedback)
        c.diversity.enabled = true
        c.diversity.lambda = 0.55
        c.feedback.examination = [1, 0.6, 0.3]
        c.content.explainTop = 5
        #expect(try decode(c.json()) == c)
        #expect(try decode(RankingConfiguration().json()) == RankingConfiguration())
        #expect(RankingConfiguration().problems().isEmpty)
    }

    @Test func singleSignalConfigurations() {
        for s in RankingConfiguration.Weights.signals {
            let c = RankingConfiguration.only(s)
            let w = RankingConfiguration.Weights.signals.map { c.weights[$0] }
            #expect(w.filter { $0 != 0 } == [1])
            #expect(c.weights[s] == 1)
            #expect(c.feedback.skipPenalty == 0 && c.problems().isEmpty)
        }
    }
}

@Suite struct TopKTests {
    @Test func keepsBestWithTiesByIndexWhateverTheOfferOrder() {
        let scores: [Float] = [0.5, 0.9, 0.5, .nan, 0.1, 0.9, 0.5, -1]
        var g = SeededGenerator(seed: 9)
        for _ in 0..<20 {
            var order = Array(scores.indices)
            order.shuffle(using: &g)
            var top = TopK(k: 4)
            for i in order { top.offer(scores[i], Int32(i)) }
            #expect(top.sorted().map(\.index) == [1, 5, 0, 2])
        }
        var none = TopK(k: 0)
        none.offer(1, 0)
        #expect(none.sorted().isEmpty && none.threshold == .infinity)
        var huge = TopK(k: Int.max)
        for i in 0..<3 { huge.offer(Float(i), Int32(i)) }
        #expect(huge.sorted().map(\.index) == [2, 1, 0])
    }
}
