import Foundation
import PaperFeedCore
import PaperFeedIO
@testable import PaperFeedKit
import Testing

/// Known answers for the small rules of operations and delivery.
@Suite struct OperationsTests {
    @Test func rejectLimits() {
        #expect(RejectLimit(parsing: "10") == .count(10))
        #expect(RejectLimit(parsing: "2.5%") == .share(0.025))
        for bad in ["-1", "101%", "x", "%", ""] { #expect(RejectLimit(parsing: bad) == nil, "\(bad)") }
        var t = IngestSummary(file: "(total)", kind: "papers")
        t.accepted = 97
        t.rejected = 3
        #expect(RejectLimit.count(3).exceeded(by: t) == nil)
        #expect(RejectLimit.count(2).exceeded(by: t) == "3 rows rejected, more than the 2 allowed")
        #expect(RejectLimit.share(0.05).exceeded(by: t) == nil)
        #expect(RejectLimit.share(0.02).exceeded(by: t) == "3 of 100 rows rejected (3%), more than the 2% allowed")
    }

    @Test func logLines() {
        let t = Date(timeIntervalSince1970: 1_748_746_800.25)  // 2025-06-01T03:00:00.250Z
        #expect(LogOutput.line(level: .info, label: "paperfeed", message: "ranked 3/4 readers", metadata: [:], format: .text, time: t)
            == "2025-06-01T03:00:00.250Z info paperfeed: ranked 3/4 readers\n")
        let json = LogOutput.line(level: .warning, label: "paperfeed", message: "a \"quoted\"\nline", metadata: ["file": "x.csv"],
                                  format: .json, time: t)
        #expect(json == #"{"label":"paperfeed","level":"warning","message":"a \"quoted\"\nline","metadata":{"file":"x.csv"},"timestamp":"2025-06-01T03:00:00.250Z"}"# + "\n")
        #expect(LogOutput.level("DEBUG") == .debug && LogOutput.level("loud") == nil)
    }

    @Test func deliveryRules() {
        #expect(DeliveredList.link("2503.11677") == "https://arxiv.org/abs/2503.11677")
        #expect(DeliveredList.link("2503.11677v2") == "https://arxiv.org/abs/2503.11677v2")
        #expect(DeliveredList.link("hep-th/9901001") == "https://arxiv.org/abs/hep-th/9901001")
        #expect(DeliveredList.link("dp-aba031d4e932810c") == nil)
        let why = DeliveredList.why(SignalBreakdown(["content": 0.41, "trend": 0.12, "feedback": 0, "skip_penalty": -0.3]))
        #expect(why == "close to what you read (content 0.41), rising upvotes (trend 0.12), you skipped it before (-0.30)")
        #expect(DeliveredList.why(SignalBreakdown([:])) == "no signal stood out (score 0)")
        #expect(ExportPipeline.fileName("sim-u001") == "sim-u001")
        let odd = ExportPipeline.fileName("a/b c")
        #expect(odd.hasPrefix("a_b_c-") && odd.count == "a_b_c-".count + 8)
        #expect(ExportPipeline.fileName("a/b c") != ExportPipeline.fileName("a_b_c"))
        #expect(ExportPipeline.fileName(".hidden").hasPrefix("_hidden-"))
        #expect(AtomFeed.xml("a<b & \"c\"\u{1}") == "a&lt;b &amp; &quot;c&quot;")
        #expect(AtomFeed.urnPart("u 1/é") == "u%201%2F%C3%A9")
    }

    @Test func nightlyConfigurationDefaultsAndErrors() throws {
        let dir = NSTemporaryDirectory() + "pf-nightly-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try #"{"k": 5, "fit": {"dims": 8}, "refuse": {"max_quality_drop": 0.02}}"#.write(toFile: dir + "/a.json", atomically: true, encoding: .utf8)
        let c = try NightlyConfiguration.load(path: dir + "/a.json")
        #expect(c.k == 5 && c.fit.dims == 8 && c.fit.minDf == 2 && c.refuse.maxQualityDrop == 0.02 && c.refuse.maxStalenessDays == 3)
        #expect(c.keepRuns == 7 && c.formats == ["jsonl", "atom", "html"])
        for (text, message) in [(#"{"fit": {"dimz": 8}}"#, "unknown key \"fit.dimz\""), (#"{"keep_runs": 1}"#, "keep_runs must be ≥ 2"),
                                (#"{"schema_version": 2}"#, "schema_version 2 is not supported")] {
            try text.write(toFile: dir + "/b.json", atomically: true, encoding: .utf8)
            #expect(throws: KitError.self) { try NightlyConfiguration.load(path: dir + "/b.json") }
            do { _ = try NightlyConfiguration.load(path: dir + "/b.json") } catch { #expect("\(error)".contains(message), "\(error)") }
        }
    }
}
