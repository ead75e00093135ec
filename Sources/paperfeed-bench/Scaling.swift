// The scaling table of `make bench`: `paperfeed ingest` (the real CLI, one child process per
// run, so that each peak RSS is that run's own) on 1M, 5M and 20M synthetic events and on 75k,
// 300k and 1M synthetic papers, each ingested into a fresh store and then ingested again.
import Foundation
import PaperFeedCore
import PaperFeedIO
import TextFeatures

/// Wall time, peak RSS and exit status of one child process (posix_spawn + wait4).
struct ChildRun {
    var seconds: Double
    var peakRSSMegabytes: Double
    var status: Int32
    var output: String
}

func runChild(_ arguments: [String], environment extra: [String: String] = [:]) throws -> ChildRun {
    let out = FileManager.default.temporaryDirectory.appendingPathComponent("paperfeed-bench-child-\(getpid()).out").path
    defer { try? FileManager.default.removeItem(atPath: out) }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    var env = ProcessInfo.processInfo.environment
    for (k, v) in extra { env[k] = v }
    let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
    let envp: [UnsafeMutablePointer<CChar>?] = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
        for p in argv { free(p) }
        for p in envp { free(p) }
    }
    var pid: pid_t = 0
    let t0 = now()
    let code = posix_spawn(&pid, arguments[0], &actions, nil, argv, envp)
    guard code == 0 else { throw BenchError("cannot start \(arguments[0]): \(String(cString: strerror(code)))") }
    var status: Int32 = 0
    var usage = rusage()
    while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
    let seconds = now() - t0
    let output = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
    // ru_maxrss is in KiB on Linux.
    return ChildRun(seconds: seconds, peakRSSMegabytes: Double(usage.ru_maxrss) / 1024, status: status, output: output)
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

/// `write-papers N FILE`: N synthetic papers in the `jsonl` paper format (SYNTHETIC: ids
/// `syn-YYMM.NNNNN`, 20,000 a month from 2020-01; texts from `SyntheticCorpus(seed: 1)`).
func writeSyntheticPapers(_ n: Int, to path: String) throws {
    let corpus = SyntheticCorpus(seed: 1, documents: n)
    let temp = path + ".tmp-\(getpid())"
    guard FileManager.default.createFile(atPath: temp, contents: nil), let handle = FileHandle(forWritingAtPath: temp) else {
        throw BenchError("cannot create \(temp)")
    }
    var out = ""
    out.reserveCapacity(1 << 21)
    for i in 0..<n {
        let text = corpus.text(i)
        let split = text.firstIndex(of: "\n") ?? text.startIndex
        let title = String(text[..<split]), abstract = String(text[split...].dropFirst())
        let month = i / 20_000
        let year = 2020 + month / 12, mo = 1 + month % 12
        let yymm = String(format: "%02d%02d", year % 100, mo)
        let day = 1 + (i % 20_000) / 700
        out += "{\"id\":\"syn-\(yymm).\(String(format: "%05d", 1 + i % 20_000))\",\"title\":\(EventWriter.quote(title)),"
        out += "\"abstract\":\(EventWriter.quote(abstract)),\"authors\":[\"A. Author\",\"B. Author\"],"
        out += "\"published_at\":\"\(year)-\(String(format: "%02d", mo))-\(String(format: "%02d", day))\",\"categories\":[\"cs.LG\"]}\n"
        if out.utf8.count >= 1 << 20 {
            try handle.write(contentsOf: Data(out.utf8))
            out.removeAll(keepingCapacity: true)
        }
    }
    try handle.write(contentsOf: Data(out.utf8))
    try handle.close()
    guard rename(temp, path) == 0 else { throw BenchError("cannot rename \(temp)") }
}

/// Generated inputs are cached here between runs (the generators are deterministic).
let scalingCache = "bench-out/synthetic"

func cachedInput(_ name: String, _ make: (String) throws -> Void) throws -> String {
    try FileManager.default.createDirectory(atPath: scalingCache, withIntermediateDirectories: true)
    let path = scalingCache + "/" + name
    if !FileManager.default.fileExists(atPath: path) {
        let t0 = now()
        try make(path)
        print(String(format: "  generated %@ in %.1f s", path, now() - t0))
    }
    return path
}

func sizes(_ variable: String, _ defaults: [Int]) -> [Int] {
    guard let text = ProcessInfo.processInfo.environment[variable] else { return defaults }
    return text.split(separator: ",").compactMap { Int($0) }
}

/// The `paperfeed` binary beside this one (`$PAPERFEED_BIN` overrides).
func paperfeedBinary() -> String {
    if let b = ProcessInfo.processInfo.environment["PAPERFEED_BIN"] { return b }
    let me = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    return me.deletingLastPathComponent().appendingPathComponent("paperfeed").path
}

func benchScaling() throws {
    let bin = paperfeedBinary()
    guard FileManager.default.isExecutableFile(atPath: bin) else { throw BenchError("no paperfeed binary at \(bin); build it first") }
    var rows: [(String, Int, ChildRun, ChildRun, Int64)] = []
    func measure(_ label: String, count: Int, kind: String, file: String, format: String) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("paperfeed-scale-\(getpid())").path
        try? FileManager.default.removeItem(atPath: dir)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let args = [bin, "ingest", kind, file, "--format", format, "--db", dir + "/scale.sqlite", "--json"]
        let first = try runChild(args)
        guard first.status == 0 else { throw BenchError("\(label): paperfeed ingest failed (status \(first.status)): \(first.output.prefix(400))") }
        let again = try runChild(args)
        guard again.status == 0 else { throw BenchError("\(label): re-ingest failed (status \(again.status))") }
        let size = ((try? FileManager.default.attributesOfItem(atPath: file))?[.size] as? NSNumber)?.int64Value ?? 0
        rows.append((label, count, first, again, size))
        print(String(format: "%@ %d: %.2f s (%.0f rows/s), peak RSS %.0f MB; re-ingest %.2f s, peak RSS %.0f MB",
                     label, count, first.seconds, Double(count) / first.seconds, first.peakRSSMegabytes,
                     again.seconds, again.peakRSSMegabytes))
        emit("scaling-\(kind)-\(count)", ["rows": count, "seconds": first.seconds, "peak_rss_mb": first.peakRSSMegabytes,
                                          "reingest_seconds": again.seconds, "reingest_peak_rss_mb": again.peakRSSMegabytes,
                                          "file_bytes": size])
    }
    for n in sizes("PAPERFEED_SCALE_EVENTS", [1_000_000, 5_000_000, 20_000_000]) {
        let file = try cachedInput("events-\(n).jsonl") { try SyntheticFeedLog(events: n).write(to: $0) }
        try measure("events", count: n, kind: "events", file: file, format: "jsonl")
    }
    for n in sizes("PAPERFEED_SCALE_PAPERS", [75_000, 300_000, 1_000_000]) {
        let file = try cachedInput("papers-\(n).jsonl") { try writeSyntheticPapers(n, to: $0) }
        try measure("papers", count: n, kind: "papers", file: file, format: "jsonl")
    }
    print("")
    print("| input | rows | file | ingest | rows/s | peak RSS | re-ingest | peak RSS |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for (label, n, a, b, size) in rows {
        print(String(format: "| %@ | %d | %.0f MB | %.1f s | %.0f | %.0f MB | %.1f s | %.0f MB |", label, n, Double(size) / 1e6,
                     a.seconds, Double(n) / a.seconds, a.peakRSSMegabytes, b.seconds, b.peakRSSMegabytes))
    }
}

/// Developer aid (not in `make bench`): the store's share of an events ingest, on rows parsed
/// beforehand: `paperfeed-bench apply-events FILE`.
func benchApplyEvents(_ file: String) throws {
    let parsed = try EventParser.parse(path: file, format: .jsonl, options: ParseOptions(now: Date()))
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("paperfeed-apply-\(getpid())").path
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let store = try Store(path: dir + "/apply.sqlite")
    let chunk = 35_000
    for pass in 0..<(ProcessInfo.processInfo.environment["PASSES"].flatMap(Int.init) ?? 2) {
        let t0 = now(), c0 = cpuSeconds()
        var summary = IngestSummary(file: file, kind: "events")
        var start = 0
        while start < parsed.rows.count {
            let rows = Array(parsed.rows[start..<min(parsed.rows.count, start + chunk)])
            try store.insertEventChunk(rows, into: &summary)
            start += chunk
        }
        print(String(format: "apply pass %d: %d rows in %.2f s (cpu %.2f s): accepted %d duplicate %d", pass, parsed.rows.count,
                     now() - t0, cpuSeconds() - c0, summary.accepted, summary.duplicate))
    }
}

/// Developer aid (not in `make bench`): the store's share of `fit`, `paperfeed-bench load-texts DB`.
func benchLoadTexts(_ db: String) throws {
    let store = try Store(path: db)
    for _ in 0..<3 {
        let t0 = now(), c0 = cpuSeconds()
        let texts = try store.paperTexts()
        let bytes = texts.reduce(0) { $0 + $1.text.utf8.count }
        print(String(format: "paperTexts: %d texts, %.0f MB in %.2f s (cpu %.2f s)", texts.count, Double(bytes) / 1e6, now() - t0, cpuSeconds() - c0))
    }
}

