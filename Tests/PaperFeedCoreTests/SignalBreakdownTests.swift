import Foundation
import Testing

@testable import PaperFeedCore

/// `SignalBreakdown` must behave like the `[String: Double]` it replaced in `RankedItem.signals`.
@Suite struct SignalBreakdownTests {
    let dict: [String: Double] = ["content": 0.25, "trend": 0.125, "feedback": 0, "freshness": 0.0625, "skip_penalty": -0.3]

    @Test func encodesLikeADictionary() throws {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        for d in [dict, [:], ["diversity": -0.5, "zeta": 1, "alpha": 2, "content": 0.1]] {
            let b = SignalBreakdown(d)
            #expect(try e.encode(b) == (try e.encode(d)))
            let item = RankedItem(paper: "p", score: 1, signals: d)
            let back = try JSONDecoder().decode(RankedItem.self, from: try e.encode(item))
            #expect(back == item)
            #expect(back.signals.dictionary == d)
        }
    }

    @Test func dictionaryOperations() {
        var b = SignalBreakdown(dict)
        #expect(b.count == 5)
        #expect(b["content"] == 0.25 && b[.content] == 0.25)
        #expect(b["diversity"] == nil && b["other"] == nil)
        #expect(b.keys == dict.keys.sorted())
        #expect(abs(b.values.reduce(0, +) - 0.1375) < 1e-12)
        #expect(b.map(\.key) == b.keys && b.map(\.value) == b.values)
        b["skip_penalty"] = nil
        b["other"] = 3
        #expect(b.count == 5 && b["skip_penalty"] == nil && b["other"] == 3)
        #expect(b.keys == ["content", "feedback", "freshness", "other", "trend"])
        let literal: SignalBreakdown = ["trend": 0.125, "content": 0.25]
        #expect(literal == SignalBreakdown(["content": 0.25, "trend": 0.125]))
        #expect(literal != SignalBreakdown(["content": 0.25, "trend": 0.125, "feedback": 0]))
        #expect(Set([literal, SignalBreakdown(["content": 0.25, "trend": 0.125])]).count == 1)
    }
}
