import Foundation
import PaperFeedCore
import Testing

@testable import PaperFeedIO

/// Times the parse of the 17 bundled arXiv files. Skipped unless `PAPERFEED_BENCH=1`
/// (run it on a release build: `swift test -c release --filter ParseBenchmark`).
@Suite struct ParseBenchmark {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["PAPERFEED_BENCH"] == "1"))
    func arxivListings() throws {
        let dir = Support.data("arxiv")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".jsonl.gz") }.sorted()
        #expect(files.count == 17)
        let start = Date()
        var papers = 0
        var issues = 0
        for name in files {
            let parsed = try PaperParser.parse(path: dir + "/" + name, format: .arxiv, options: ParseOptions(now: Timestamp.date(year: 2026, month: 7, day: 2) ?? Support.now))
            papers += parsed.rows.count
            issues += parsed.issues.count
        }
        let seconds = Date().timeIntervalSince(start)
        print("ParseBenchmark: \(papers) papers, \(issues) issues, \(String(format: "%.2f", seconds)) s")
        #expect(papers == 74_728)
        #expect(issues == 0)
    }
}
