import Foundation
import Testing

/// A tiny world for the binary: 12 papers on two themes published 2025-05-20 … 2025-05-31 and a
/// 3-dimension model fitted on them.
enum World {
    static func papers() -> String {
        let themes = ["graph neural networks message passing node classification",
                      "speech recognition acoustic models transcription audio"]
        var lines: [String] = []
        for i in 0..<12 {
            let theme = themes[i % 2]
            let day = String(format: "2025-05-%02d", 20 + i)
            lines.append("{\"id\": \"2505.\(String(format: "%05d", i))\", \"title\": \"Paper \(i) on \(theme.split(separator: " ").prefix(2).joined(separator: " "))\", "
                + "\"abstract\": \"We study \(theme) with method \(i) and results \(i % 3).\", \"authors\": [\"A. Author\", \"B. Writer\"], "
                + "\"published_at\": \"\(day)\"}")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A folder with `papers.jsonl`, `events.jsonl`, `db.sqlite` and `model/` (ingested and fitted).
    static func make() throws -> String {
        let dir = CLI.temporaryDirectory()
        try papers().write(toFile: dir + "/papers.jsonl", atomically: true, encoding: .utf8)
        var events: [String] = []
        for u in 0..<4 {
            for i in stride(from: u % 2, to: 10, by: 2) {
                events.append("{\"user\": \"u\(u)\", \"paper\": \"2505.\(String(format: "%05d", i))\", \"kind\": \"read\", \"at\": \"2025-05-\(21 + i)T10:00:00Z\"}")
            }
        }
        try (events.joined(separator: "\n") + "\n").write(toFile: dir + "/events.jsonl", atomically: true, encoding: .utf8)
        let a = try CLI.run(["ingest", "papers", "papers.jsonl", "--db", "db.sqlite", "--quiet"], in: dir)
        #expect(a.status == 0, "\(a.stderr)")
        let b = try CLI.run(["ingest", "events", "events.jsonl", "--db", "db.sqlite", "--quiet"], in: dir)
        #expect(b.status == 0, "\(b.stderr)")
        let c = try CLI.run(["fit", "--db", "db.sqlite", "--model", "model", "--dims", "3", "--min-df", "1", "--max-df", "1", "--quiet"], in: dir)
        #expect(c.status == 0, "\(c.stderr)")
        return dir
    }
}

@Suite("CLI: cron-safe commands")
struct CronSafeTests {
    @Test("commands that only read never create a database: the error names the path")
    func readCommandsNeverCreateADatabase() throws {
        let dir = CLI.temporaryDirectory()
        let model = ["--model", "nomodel"]
        for args in [["stats"], ["recommend", "--user", "u1"] + model, ["rerank", "--as-of", "2025-06-01"] + model, ["lists"],
                     ["similar", "x"] + model, ["export", "--out", "o"], ["fit"] + model, ["simulate"] + model] {
            let r = try CLI.run(args + ["--db", "typo/db.sqlite"], in: dir)
            #expect(r.status == 1, "\(args): \(r.status) \(r.stderr)")
            #expect(r.stderr.contains("typo/db.sqlite") || r.stderr.contains("nomodel"), "\(args): \(r.stderr)")
            #expect(!FileManager.default.fileExists(atPath: dir + "/typo"), "\(args) created the folder")
            #expect(!FileManager.default.fileExists(atPath: dir + "/nomodel"), "\(args) created a model folder")
        }
        let r = try CLI.run(["stats", "--db", "missing.sqlite"], in: dir)
        #expect(r.stderr.contains("missing.sqlite: database error: no such database"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/missing.sqlite"))
    }

    @Test("a missing model is an error naming its folder; $PAPERFEED_MODEL is the default")
    func modelFromTheEnvironment() throws {
        let dir = try World.make()
        let ok = try CLI.run(["topics", "--top", "2", "--json"], in: dir, environment: ["PAPERFEED_MODEL": "model"])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout.contains("\"schema_version\":1") && ok.stdout.contains("\"singular_value\""), "\(ok.stdout)")
        let bad = try CLI.run(["topics"], in: dir, environment: ["PAPERFEED_MODEL": "elsewhere"])
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("elsewhere: no manifest.json"), "\(bad.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/elsewhere"))
    }

    @Test("0 candidates: rerank fails and stores nothing unless --allow-empty")
    func zeroCandidatesIsAnError() throws {
        let dir = try World.make()
        let args = ["rerank", "--db", "db.sqlite", "--model", "model", "--as-of", "2026-01-01", "--k", "5"]
        let r = try CLI.run(args, in: dir)
        #expect(r.status == 1)
        #expect(r.stderr.contains("no candidates as of 2026-01-01T00:00:00Z"), "\(r.stderr)")
        #expect(r.stderr.contains("newest paper in the store: 2025-05-31"), "\(r.stderr)")
        let lists = try CLI.run(["lists", "--db", "db.sqlite"], in: dir)
        #expect(lists.status == 1 && lists.stderr.contains("no complete run"), "\(lists.stderr)")
        let empty = try CLI.run(args + ["--allow-empty", "--json"], in: dir)
        #expect(empty.status == 0, "\(empty.stderr)")
        #expect(empty.stdout.contains("\"candidates\":0"), "\(empty.stdout)")
        let rec = try CLI.run(["recommend", "--db", "db.sqlite", "--model", "model", "--as-of", "2026-01-01", "--user", "u1"], in: dir)
        #expect(rec.status == 1 && rec.stderr.contains("no candidates for u1"), "\(rec.stderr)")
    }

    @Test("ingest --max-rejects N|P% fails past the limit")
    func maxRejects() throws {
        let dir = CLI.temporaryDirectory()
        let text = World.papers().split(separator: "\n").prefix(3).joined(separator: "\n") + "\n{\"id\": \"\", \"title\": \"x\"}\n"
        try text.write(toFile: dir + "/p.jsonl", atomically: true, encoding: .utf8)
        let strict = try CLI.run(["ingest", "papers", "p.jsonl", "--db", "a.sqlite", "--max-rejects", "0"], in: dir)
        #expect(strict.status == 1)
        #expect(strict.stderr.contains("--max-rejects 0: 1 rows rejected, more than the 0 allowed"), "\(strict.stderr)")
        let share = try CLI.run(["ingest", "papers", "p.jsonl", "--db", "b.sqlite", "--max-rejects", "10%"], in: dir)
        #expect(share.status == 1)
        #expect(share.stderr.contains("1 of 4 rows rejected (25%), more than the 10% allowed"), "\(share.stderr)")
        let fine = try CLI.run(["ingest", "papers", "p.jsonl", "--db", "c.sqlite", "--max-rejects", "30%"], in: dir)
        #expect(fine.status == 0, "\(fine.stderr)")
        let bad = try CLI.run(["ingest", "papers", "p.jsonl", "--db", "d.sqlite", "--max-rejects", "lots"], in: dir)
        #expect(bad.status == 64 && bad.stderr.contains("--max-rejects lots"), "\(bad.stderr)")
    }

    @Test("compare --fail-on worse exits 2 naming the worse system; metrics and compare read gzip")
    func compareGate() throws {
        let dir = CLI.temporaryDirectory()
        var qrels = "", good = "", bad = ""
        for u in 0..<40 {
            qrels += "r\(u) 0 hit 1\nr\(u) 0 miss 0\n"
            good += "r\(u) Q0 hit 1 2 good\nr\(u) Q0 miss 2 1 good\n"
            bad += "r\(u) Q0 miss 1 2 bad\nr\(u) Q0 hit 2 1 bad\n"
        }
        try qrels.write(toFile: dir + "/q.txt", atomically: true, encoding: .utf8)
        try good.write(toFile: dir + "/good.run", atomically: true, encoding: .utf8)
        try bad.write(toFile: dir + "/bad.run", atomically: true, encoding: .utf8)
        let gz = Process()
        gz.executableURL = URL(fileURLWithPath: "/bin/sh")
        gz.arguments = ["-c", "gzip -k good.run bad.run"]
        gz.currentDirectoryURL = URL(fileURLWithPath: dir)
        try gz.run()
        gz.waitUntilExit()
        let gate = try CLI.run(["compare", "--qrels", "q.txt", "--run", "good.run.gz", "--run", "bad.run.gz", "--fail-on", "worse",
                                "--permutations", "2000", "--bootstrap", "500", "--metrics", "mrr"], in: dir)
        #expect(gate.status == 2, "\(gate.stderr)")
        #expect(gate.stderr.contains("refused: --fail-on worse: bad is worse than good on mrr (diff -0.5000"), "\(gate.stderr)")
        #expect(gate.stdout.contains("| mrr | good | bad | -0.5000"), "\(gate.stdout)")
        let pass = try CLI.run(["compare", "--qrels", "q.txt", "--run", "bad.run", "--run", "good.run", "--fail-on", "worse",
                                "--permutations", "2000", "--bootstrap", "500", "--metrics", "mrr"], in: dir)
        #expect(pass.status == 0, "\(pass.stderr)")
        let m = try CLI.run(["metrics", "--qrels", "q.txt", "--run", "bad.run.gz", "--metrics", "mrr", "--json"], in: dir)
        #expect(m.status == 0, "\(m.stderr)")
        #expect(m.stdout.contains("\"mean\":{\"mrr\":0.5}") && m.stdout.contains("\"schema_version\":1"), "\(m.stdout)")
    }

    @Test("--quiet, --log-level and --log-format json: timestamped, levelled lines on stderr only")
    func logging() throws {
        let dir = try World.make()
        let base = ["fit", "--db", "db.sqlite", "--model", "m2", "--dims", "2", "--min-df", "1", "--max-df", "1"]
        let text = try CLI.run(base, in: dir)
        #expect(text.status == 0)
        let first = text.stderr.split(separator: "\n").first.map(String.init) ?? ""
        // 2025-06-01T03:00:00.123Z info paperfeed: fitting on 12 papers
        #expect(first.range(of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z info paperfeed: "#, options: .regularExpression) != nil, "\(first)")
        #expect(!text.stdout.contains(" info "), "log lines leaked to stdout")
        let quiet = try CLI.run(base + ["--quiet"], in: dir)
        #expect(quiet.status == 0 && quiet.stderr.isEmpty, "\(quiet.stderr)")
        let json = try CLI.run(base + ["--log-format", "json", "--log-level", "debug"], in: dir)
        let lines = json.stderr.split(separator: "\n")
        #expect(!lines.isEmpty)
        for line in lines {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(object?["level"] as? String != nil && object?["timestamp"] as? String != nil && object?["message"] as? String != nil, "\(line)")
        }
        let wrong = try CLI.run(base + ["--log-level", "loud"], in: dir)
        #expect(wrong.status == 64 && wrong.stderr.contains("--log-level loud"), "\(wrong.stderr)")
    }

    @Test("--json outputs: snake_case keys and schema_version")
    func jsonStyle() throws {
        let dir = try World.make()
        let stats = try CLI.run(["stats", "--db", "db.sqlite", "--json"], in: dir)
        #expect(stats.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(stats.stdout.utf8)) as? [String: Any] ?? [:]
        #expect(object["schema_version"] as? Int == 1)
        #expect(object["papers_by_source"] != nil && object["papersBySource"] == nil, "\(object.keys)")
        let rerank = try CLI.run(["rerank", "--db", "db.sqlite", "--model", "model", "--as-of", "2025-06-01", "--k", "3", "--json"], in: dir)
        #expect(rerank.status == 0, "\(rerank.stderr)")
        for key in ["\"as_of\"", "\"readers_per_second\"", "\"schema_version\":1"] { #expect(rerank.stdout.contains(key), "\(rerank.stdout)") }
        #expect(!rerank.stdout.contains("asOf"))
    }
}

@Suite("CLI: nightly and fold-in")
struct NightlyCLITests {
    @Test("nightly: a bad configuration exits 1 naming the key; an empty inbox is refused with exit 2")
    func nightlyExitCodes() throws {
        let dir = CLI.temporaryDirectory()
        try #"{"schema_version": 1, "db": "n/db.sqlite", "inbox": "n/inbox", "colour": "blue"}"#
            .write(toFile: dir + "/bad.json", atomically: true, encoding: .utf8)
        let bad = try CLI.run(["nightly", "--config", "bad.json", "--as-of", "2025-06-01"], in: dir)
        #expect(bad.status == 1 && bad.stderr.contains("bad.json: unknown key \"colour\""), "\(bad.stderr)")
        try #"{"db": "n/db.sqlite", "model": "n/model", "inbox": "n/inbox", "publish": "n/pub", "keep_runs": 2}"#
            .write(toFile: dir + "/n.json", atomically: true, encoding: .utf8)
        let empty = try CLI.run(["nightly", "--config", "n.json", "--as-of", "2025-06-01", "--json"], in: dir)
        #expect(empty.status == 2, "\(empty.stderr)")
        #expect(empty.stderr.contains("Error: refused: no new papers for night 2025-06-01"), "\(empty.stderr)")
        #expect(empty.stdout.contains("\"outcome\":\"refused\"") && empty.stdout.contains("\"schema_version\":1"), "\(empty.stdout)")
        let keep = try CLI.run(["nightly", "--config", "n.json", "--as-of", "2025-06-01"], in: dir,
                               environment: [:])
        #expect(keep.status == 2)
    }

    @Test("nightly publishes a night, reports a rerun as done, and refuses a stale as-of")
    func nightlyPublishes() throws {
        let dir = try World.make()
        try FileManager.default.createDirectory(atPath: dir + "/inbox/papers", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: dir + "/papers.jsonl", toPath: dir + "/inbox/papers/a.jsonl")
        try #"{"db": "n.sqlite", "model": "nmodel", "inbox": "inbox", "publish": "pub", "k": 3, "fit": {"dims": 2, "min_df": 1, "max_df": 1}}"#
            .write(toFile: dir + "/n.json", atomically: true, encoding: .utf8)
        // No reader has history in n.sqlite yet: the run is empty but published (readers 0).
        let first = try CLI.run(["nightly", "--config", "n.json", "--as-of", "2025-06-01", "--json"], in: dir)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("\"outcome\":\"published\""), "\(first.stdout)")
        for step in ["ingest", "fold-in", "learn", "rerank", "evaluate", "publish"] { #expect(first.stdout.contains("\"step\":\"\(step)\"")) }
        #expect(FileManager.default.fileExists(atPath: dir + "/pub/latest/export.json"))
        let again = try CLI.run(["nightly", "--config", "n.json", "--as-of", "2025-06-01"], in: dir)
        #expect(again.status == 0 && again.stdout.contains("published already"), "\(again.stdout)")
        let stale = try CLI.run(["nightly", "--config", "n.json", "--as-of", "2025-05-30"], in: dir)
        #expect(stale.status == 2 && stale.stderr.contains("stale as-of: 2025-05-30 is before the last published night 2025-06-01"), "\(stale.stderr)")
        // New papers, but the as-of is a month after the newest: refused, the model untouched.
        try "{\"id\": \"2506.00009\", \"title\": \"Late graph paper\", \"abstract\": \"graph networks\", \"published_at\": \"2025-06-01\"}\n"
            .write(toFile: dir + "/inbox/papers/b.jsonl", atomically: true, encoding: .utf8)
        let manifest = try Data(contentsOf: URL(fileURLWithPath: CLI.manifest(dir + "/nmodel")))
        let late = try CLI.run(["nightly", "--config", "n.json", "--as-of", "2025-07-01"], in: dir)
        #expect(late.status == 2 && late.stderr.contains("stale as-of: the newest paper (2025-06-01) is more than 3 days before"), "\(late.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: CLI.manifest(dir + "/nmodel"))) == manifest)
        let history = try CLI.run(["history", "--db", "n.sqlite", "--json"], in: dir)
        #expect(history.status == 0 && history.stdout.contains("\"night\":\"2025-06-01\"") && history.stdout.contains("\"new_papers\":12"), "\(history.stdout)")
    }

    @Test("fold-in adds the store's new papers to the model, or refits past the share threshold")
    func foldIn() throws {
        let dir = try World.make()
        let extra = "{\"id\": \"2506.00001\", \"title\": \"New graph paper\", \"abstract\": \"graph neural networks message passing again\", \"published_at\": \"2025-06-01\"}\n"
        try extra.write(toFile: dir + "/new.jsonl", atomically: true, encoding: .utf8)
        #expect(try CLI.run(["ingest", "papers", "new.jsonl", "--db", "db.sqlite", "--quiet"], in: dir).status == 0)
        // "again" is not in the model's vocabulary: drift 1/8 − 0 > 0.1 would refit, so allow it here.
        let drifted = try CLI.run(["fold-in", "--db", "db.sqlite", "--model", "m-copy", "--json"], in: dir)
        #expect(drifted.status == 1 && drifted.stderr.contains("m-copy: no manifest.json"), "\(drifted.stderr)")
        let r = try CLI.run(["fold-in", "--db", "db.sqlite", "--model", "model", "--as-of", "2025-06-02", "--max-vocabulary-drift", "1",
                             "--json"], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("\"new_papers\":1") && r.stdout.contains("\"refit\":false") && r.stdout.contains("\"papers_after\":13"), "\(r.stdout)")
        let manifest = try String(contentsOfFile: CLI.manifest(dir + "/model"), encoding: .utf8)
        #expect(manifest.contains("\"folded_in\" : \"1\"") && manifest.contains("\"paperfeed_commit\""), "\(manifest)")
        let none = try CLI.run(["fold-in", "--db", "db.sqlite", "--model", "model", "--json"], in: dir)
        #expect(none.stdout.contains("\"new_papers\":0") && none.stdout.contains("no new papers"), "\(none.stdout)")
        try extra.replacingOccurrences(of: "2506.00001", with: "2506.00002").write(toFile: dir + "/new2.jsonl", atomically: true, encoding: .utf8)
        #expect(try CLI.run(["ingest", "papers", "new2.jsonl", "--db", "db.sqlite", "--quiet"], in: dir).status == 0)
        let refit = try CLI.run(["fold-in", "--db", "db.sqlite", "--model", "model", "--max-folded-in-share", "0.1",
                                 "--max-vocabulary-drift", "1", "--json"], in: dir)
        #expect(refit.stdout.contains("\"refit\":true") && refit.stdout.contains("\"papers_after\":14"), "\(refit.stdout)")
    }
}
