// PaperFeed benchmarks: `paperfeed-bench SUITE…` with SUITE in ingest, scaling, fit, synthetic,
// rerank, metrics, all. Prints one human line per measurement and, last, one JSON object per suite.
// Run through `make bench` (release build), which runs the peer scripts on the same inputs.
import Foundation
import LinearAlgebra
import PaperFeedCore
import PaperFeedEvaluation
import PaperFeedIO
import Ranking
import TextFeatures
import TopicModel

func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
func peakRSSMegabytes() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6 + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
}
func emit(_ suite: String, _ values: [String: Any]) {
    var v = values
    v["suite"] = suite
    let data = try! JSONSerialization.data(withJSONObject: v, options: [.sortedKeys])
    print("RESULT " + String(decoding: data, as: UTF8.self))
}
func arxivFiles() -> [String] {
    let dir = "Data/arxiv"
    let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
    return names.filter { $0.hasSuffix(".jsonl.gz") }.sorted().map { dir + "/" + $0 }
}
func maxRelativeError(_ a: [Float], _ b: [Float], _ n: Int) -> Double {
    (0..<min(n, a.count, b.count)).map { abs(Double(a[$0]) - Double(b[$0])) / Double(b[$0]) }.max() ?? .nan
}

func benchIngest() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("paperfeed-bench-\(getpid())").path
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let store = try Store(path: dir + "/bench.sqlite")
    let options = IngestOptions(kind: .papers, format: "arxiv", parse: ParseOptions(now: Date()))
    let files = arxivFiles()
    let t0 = now(), c0 = cpuSeconds()
    let first = Ingestor.run(files: files, options: options, store: store)
    let t1 = now(), c1 = cpuSeconds()
    let second = Ingestor.run(files: files, options: options, store: store)
    let t2 = now()
    let a = IngestSummary.total(first.map(\.summary)), b = IngestSummary.total(second.map(\.summary))
    print(String(format: "ingest %d arXiv files: %d papers in %.2f s (cpu %.2f s); again: %d new, %d updated, %d duplicate in %.2f s",
                 files.count, a.accepted, t1 - t0, c1 - c0, b.accepted, b.updated, b.duplicate, t2 - t1))
    emit("ingest", ["files": files.count, "papers": a.accepted, "seconds": t1 - t0, "cpu_seconds": c1 - c0,
                    "reingest_new": b.accepted, "reingest_updated": b.updated, "reingest_seconds": t2 - t1])
}

func benchFit(texts: [String], label: String, exactCheck: Bool) throws {
    let config = TfidfConfiguration(tokenizer: Tokenizer(ngramRange: 1...1), minDocumentFrequency: .count(2),
                                    maxDocumentFrequency: .proportion(0.5), sublinearTF: true)
    let t0 = now()
    let (_, matrix) = config.fit(documents: texts)
    let t1 = now()
    let svd = try RandomizedSVD(rank: 128, seed: 42).fit(matrix)
    let t2 = now()
    var values: [String: Any] = ["documents": texts.count, "terms": matrix.columns, "nnz": matrix.nonZeroCount,
                                 "tfidf_seconds": t1 - t0, "svd_seconds": t2 - t1, "peak_rss_mb": peakRSSMegabytes()]
    var line = String(format: "%@: %d docs, %d terms, nnz %d: tf-idf %.2f s, svd(k=128) %.2f s, peak RSS %.0f MB",
                      label, texts.count, matrix.columns, matrix.nonZeroCount, t1 - t0, t2 - t1, peakRSSMegabytes())
    if exactCheck {
        // Reference: the same matrix with a much stronger randomized solve (p = 384, q = 16),
        // whose top values agree with an exact solve to ~1e-6 on the reference corpora.
        let strong = try RandomizedSVD(rank: 128, oversampling: 384, powerIterations: 16, seed: 7).fit(matrix)
        let e64 = maxRelativeError(svd.singularValues, strong.singularValues, 64)
        let e128 = maxRelativeError(svd.singularValues, strong.singularValues, 128)
        values["top64_rel_err"] = e64
        values["top128_rel_err"] = e128
        line += String(format: "; top-64 rel. err %.1e, all 128 %.1e (vs p=384,q=16)", e64, e128)
    }
    print(line)
    emit("fit-\(label)", values)
}

func loadArxivTexts() throws -> [String] {
    var texts: [String] = []
    for f in arxivFiles() {
        texts += try PaperParser.parse(path: f, format: .arxiv, options: ParseOptions(now: Date())).rows.map { $0.row.text }
    }
    return texts
}

func benchRerank() throws {
    let peak = try LinearAlgebraBenchmark.sgemmPeak(n: 2048)
    print(String(format: "sgemm peak (2048², %d BLAS threads): %.1f GFLOP/s", BLAS.threads, peak))
    // PAPERFEED_RERANK_SIZES=RxC,RxC overrides the two issue sizes.
    var sizes = [(10_000, 50_000), (100_000, 20_000)]
    if let text = ProcessInfo.processInfo.environment["PAPERFEED_RERANK_SIZES"] {
        sizes = text.split(separator: ",").compactMap { pair in
            let p = pair.split(separator: "x").compactMap { Int($0) }
            return p.count == 2 ? (p[0], p[1]) : nil
        }
    }
    for (readers, candidates) in sizes {
        // PAPERFEED_RERANK_BLOCK_ROWS overrides the readers per sgemm block (BlendRanker.blockRows).
        let blockRows = ProcessInfo.processInfo.environment["PAPERFEED_RERANK_BLOCK_ROWS"].flatMap { Int($0) } ?? 256
        for learned in [false, true] {
            let r = try RankingBenchmark.run(readers: readers, candidates: candidates, dimensions: 128, k: 100, seed: 1, blockRows: blockRows,
                                             learned: learned)
            let label = learned ? "learned ranker (collaborative + own-pair terms)" : "hand-set blend"
            print(String(format: "rerank %d readers × %d candidates × 128, k = 100, %@: %.2f s, %.0f readers/s, sgemm share %.1f GFLOP/s = %.0f%% of peak",
                         readers, candidates, label, r.seconds, r.readersPerSecond, r.gflops, 100 * r.gflops / peak))
            emit("rerank-\(learned ? "learned-" : "")\(readers)x\(candidates)", ["seconds": r.seconds, "readers_per_second": r.readersPerSecond,
                                                     "gflops": r.gflops, "sgemm_peak_gflops": peak])
        }
    }
}

func benchMetrics() throws {
    let t = EvaluationBenchmark.run(users: 10_000, listLength: 100, seed: 0, repeats: 5)
    print("metrics 10,000 readers × 100: \(t)")
    emit("metrics", ["description": "\(t)"])
    if let dir = ProcessInfo.processInfo.environment["PAPERFEED_BENCH_TREC"] {
        let (seconds, report) = try EvaluationBenchmark.timeTrecFiles(qrels: dir + "/qrels.txt", run: dir + "/run.txt")
        print(String(format: "metrics on the peer's TREC files (parse + ndcg@10): %.3f s, mean ndcg@10 %.12f", seconds, report.mean["ndcg@10"] ?? .nan))
        emit("metrics-trec", ["seconds": seconds, "ndcg@10": report.mean["ndcg@10"] ?? -1])
    }
}

/// `paperfeed-bench write-synthetic N FILE`: the synthetic corpus as JSONL (title, abstract), so
/// the peer scripts can fit the same texts.
if CommandLine.arguments.count == 4, CommandLine.arguments[1] == "write-synthetic", let n = Int(CommandLine.arguments[2]) {
    let corpus = SyntheticCorpus(seed: 1, documents: n)
    var out = ""
    out.reserveCapacity(n * 1200)
    for i in 0..<n {
        let text = corpus.text(i)
        out += "{\"id\":\"syn-\(i)\",\"title\":\"\",\"abstract\":\(EventWriter.quote(text))}\n"
    }
    try AtomicFile.write(out, to: CommandLine.arguments[3])
    exit(0)
}

/// `paperfeed-bench write-events N FILE [SEED]`: a SYNTHETIC feed log of N events (SyntheticFeedLog).
if CommandLine.arguments.count >= 4, CommandLine.arguments[1] == "write-events", let n = Int(CommandLine.arguments[2]) {
    let seed = CommandLine.arguments.count > 4 ? UInt64(CommandLine.arguments[4]) ?? 1 : 1
    let t0 = now()
    let s = try SyntheticFeedLog(events: n, seed: seed).write(to: CommandLine.arguments[3])
    print(String(format: "wrote %d events (%d repeated lines) over %d days and %d papers in %.1f s",
                 s.lines, s.duplicateLines, s.days, s.papers, now() - t0))
    exit(0)
}

/// `paperfeed-bench write-papers N FILE`: N SYNTHETIC papers in the jsonl paper format.
if CommandLine.arguments.count == 4, CommandLine.arguments[1] == "write-papers", let n = Int(CommandLine.arguments[2]) {
    try writeSyntheticPapers(n, to: CommandLine.arguments[3])
    exit(0)
}

if CommandLine.arguments.count == 3, CommandLine.arguments[1] == "load-texts" {
    try benchLoadTexts(CommandLine.arguments[2])
    exit(0)
}

if CommandLine.arguments.count == 3, CommandLine.arguments[1] == "apply-events" {
    try benchApplyEvents(CommandLine.arguments[2])
    exit(0)
}

let suites = CommandLine.arguments.dropFirst().isEmpty ? ["all"] : Array(CommandLine.arguments.dropFirst())
let all = suites.contains("all")
do {
    if all || suites.contains("ingest") { try benchIngest() }
    if all || suites.contains("scaling") { try benchScaling() }
    if all || suites.contains("fit") { try benchFit(texts: try loadArxivTexts(), label: "arxiv", exactCheck: true) }
    if all || suites.contains("synthetic") {
        for n in [100_000, 1_000_000] {
            let t0 = now()
            let texts = SyntheticCorpus(seed: 1, documents: n).texts()
            print(String(format: "synthetic corpus of %d abstracts generated in %.1f s", n, now() - t0))
            try benchFit(texts: texts, label: "synthetic-\(n)", exactCheck: false)
        }
    }
    if all || suites.contains("rerank") { try benchRerank() }
    if all || suites.contains("metrics") { try benchMetrics() }
    if all || suites.contains("learn") {
        // PAPERFEED_LEARN_READERS overrides the simulated readers (3,000: about 1M impressions over 30 days).
        let readers = ProcessInfo.processInfo.environment["PAPERFEED_LEARN_READERS"].flatMap { Int($0) } ?? 3000
        let r = try RankingBenchmark.learn(readers: readers, days: 30, seed: 1)
        print(String(format: "learn: %d readers, %d events (%d impressions, %d training rows): learned in %.2f s (simulating took %.1f s), peak RSS %.0f MB",
                     readers, r.events, r.impressions, r.rows, r.seconds, r.simulateSeconds, peakRSSMegabytes()))
        emit("learn", ["readers": readers, "events": r.events, "impressions": r.impressions, "rows": r.rows, "seconds": r.seconds,
                       "peak_rss_mb": peakRSSMegabytes()])
    }
} catch {
    FileHandle.standardError.write(Data("paperfeed-bench: \(error)\n".utf8))
    exit(1)
}
