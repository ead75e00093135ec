import Foundation
import LinearAlgebra
import Testing
@testable import Ranking

/// Rerank throughput. The full-size run (10k readers × 50k candidates × 128 dims, k = 100)
/// only with PAPERFEED_BENCH=1, in a release build:
///     swift build -c release --build-tests -Xswiftc -enable-testing
///     PAPERFEED_BENCH=1 swift test -c release -Xswiftc -enable-testing --skip-build --filter RankingBenchmarkTests
/// Compare with `python3 shared/bench/peer_scoring.py --users 10000 --items 50000 --dim 128 --k 100`.
@Suite struct RankingBenchmarkTests {
    static let enabled = ProcessInfo.processInfo.environment["PAPERFEED_BENCH"] == "1"

    @Test func smallRunWorks() throws {
        let r = try RankingBenchmark.run(readers: 100, candidates: 500, dimensions: 16, k: 10, seed: 1, runs: 1)
        #expect(r.seconds > 0 && r.readersPerSecond > 0 && r.gflops > 0)
    }

    @Test(.enabled(if: enabled)) func fullSize() throws {
        let env = ProcessInfo.processInfo.environment
        let readers = Int(env["PAPERFEED_BENCH_READERS"] ?? "") ?? 10_000
        let rows = (env["PAPERFEED_BENCH_ROWS"] ?? "256").split(separator: ",").compactMap { Int($0) }
        for blockRows in rows {
            let r = try RankingBenchmark.run(readers: readers, candidates: 50_000, dimensions: 128, k: 100, seed: 1, blockRows: blockRows)
            print(String(format: "rank: %d readers x 50000 x 128, k=100, blockRows %d: %.3f s, %.0f readers/s, %.1f GFLOP/s",
                         readers, blockRows, r.seconds, r.readersPerSecond, r.gflops))
        }
    }
}

extension RankingBenchmarkTests {
    /// The floor: the same sgemm calls alone (blocks of 256 readers, BLAS on one thread, two workers).
    @Test(.enabled(if: enabled)) func sgemmFloor() throws {
        let readers = Int(ProcessInfo.processInfo.environment["PAPERFEED_BENCH_READERS"] ?? "") ?? 10_000
        let r = try RankingBenchmark.makeRanker(readers: 256, candidates: 50_000, dimensions: 128, seed: 1)
        let blocks = (readers + 255) / 256
        let start = Date()
        try BLAS.withThreads(1) {
            DispatchQueue.concurrentPerform(iterations: 2) { w in
                let ws = ScoringWorkspace(rows: 256, columns: 128, candidates: 50_000)
                for _ in stride(from: w, to: blocks, by: 2) {
                    try? BLAS.gemm(ws.profiles, r.plan.matrix, transposeB: true, into: &ws.sims)
                }
            }
        }
        let s = Date().timeIntervalSince(start)
        print(String(format: "sgemm only: %d readers: %.3f s, %.0f readers/s, %.1f GFLOP/s", readers, s, Double(readers) / s,
                     2.0 * Double(readers) * 50_000 * 128 / s / 1e9))
    }
}
