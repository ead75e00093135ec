import Foundation
import PaperFeedCore
import Testing

@testable import PaperFeedIO

/// Two processes on one store, with the built `paperfeed` binary: while a long `ingest events`
/// runs (tiny chunks, so it commits thousands of short transactions), `stats`, another
/// `ingest` and `rerank` all succeed; then the long ingest is killed with SIGKILL, and running
/// it again completes the store: same summary and same events as one uninterrupted ingest.
@Suite struct ConcurrentIngestTests {
    /// `paperfeed` beside the test bundle (`swift build --build-tests` builds it).
    static var binary: String {
        let dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        return dir.appendingPathComponent("paperfeed").path
    }

    struct Report: Decodable {
        var files: [IngestSummary]
        var failed: [String: String]
    }

    static func start(_ args: [String], env: [String: String] = [:], output: String) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = args
        var environment = ProcessInfo.processInfo.environment
        for (k, v) in env { environment[k] = v }
        p.environment = environment
        FileManager.default.createFile(atPath: output, contents: nil)
        p.standardOutput = FileHandle(forWritingAtPath: output)
        p.standardError = FileHandle(forWritingAtPath: output + ".err")
        try p.run()
        return p
    }

    /// Runs to the end; (exit status, stdout, stderr).
    static func run(_ args: [String], in dir: String) throws -> (Int32, String, String) {
        let out = dir + "/out-\(UUID().uuidString)"
        let p = try start(args, output: out)
        p.waitUntilExit()
        return (p.terminationStatus, (try? String(contentsOfFile: out, encoding: .utf8)) ?? "",
                (try? String(contentsOfFile: out + ".err", encoding: .utf8)) ?? "")
    }

    static func summary(_ json: String) throws -> IngestSummary {
        let report = try JSONDecoder().decode(Report.self, from: Data(json.utf8))
        var s = try #require(report.files.first)
        s.seconds = 0
        return s
    }

    @Test func readersAndWritersDuringAnIngestThenKillAndRerun() throws {
        #expect(FileManager.default.isExecutableFile(atPath: Self.binary), "build the CLI first: swift build --build-tests")
        let dir = try Support.tempDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }  // about 60 MB
        let db = dir + "/store.sqlite", model = dir + "/model"
        // Papers and a small model, so that rerank has something to rank.
        let papers = Support.data("arxiv/arxiv-2025-03.jsonl.gz")
        var (status, out, err) = try Self.run(["ingest", "papers", papers, "--format", "arxiv", "--db", db], in: dir)
        #expect(status == 0, "\(out) \(err)")
        (status, out, err) = try Self.run(["fit", "--db", db, "--model", model, "--dims", "8"], in: dir)
        #expect(status == 0, "\(out) \(err)")
        // The long ingest: 100k synthetic events (about 12 MB) in 2 KiB chunks.
        let log = dir + "/log.jsonl"
        var synthetic = SyntheticFeedLog(events: 100_000, seed: 5)
        synthetic.start = Timestamp.parse("2025-03-20")!
        try synthetic.write(to: log)
        let key = URL(fileURLWithPath: log).resolvingSymlinksInPath().path
        let long = try Self.start(["ingest", "events", log, "--db", db, "--json"], env: ["PAPERFEED_INGEST_CHUNK_BYTES": "2048"],
                                  output: dir + "/long.out")
        let store = try Store(path: db)
        var waited = 0
        while (try store.ingestProgress(kind: "events", path: key)?.checkpoint.bytes ?? 0) == 0 && long.isRunning && waited < 6000 {
            usleep(5_000)
            waited += 1
        }
        #expect(long.isRunning, "the long ingest must still be running while the others run")

        // A reader, another writer and the nightly job, each in its own process, during the ingest.
        (status, out, err) = try Self.run(["stats", "--db", db, "--json"], in: dir)
        #expect(status == 0, "stats: \(err)")
        #expect(out.contains("\"events\""))
        let other = try Support.write("other.jsonl", #"{"user":"other-reader","paper":"2503.11677","kind":"read","at":"2025-03-21T09:00:00Z"}"# + "\n")
        (status, out, err) = try Self.run(["ingest", "events", other, "--db", db, "--json"], in: dir)
        #expect(status == 0, "second ingest: \(err)")
        #expect(try Self.summary(out).accepted == 1)
        (status, out, err) = try Self.run(
            ["rerank", "--db", db, "--model", model, "--as-of", "2025-03-21", "--k", "5", "--json"], in: dir)
        #expect(status == 0, "rerank: \(err)")
        #expect(long.isRunning, "the ingest outlived the three commands, so they ran during it")

        // Kill it mid-file: what is committed is a prefix of chunks with its progress record.
        kill(long.processIdentifier, SIGKILL)
        long.waitUntilExit()
        #expect(long.terminationReason == .uncaughtSignal)
        let progress = try #require(try store.ingestProgress(kind: "events", path: key))
        #expect(!progress.checkpoint.complete && progress.checkpoint.bytes > 0)

        // The rerun completes the file; its summary and events equal one uninterrupted ingest's.
        (status, out, err) = try Self.run(["ingest", "events", log, "--db", db, "--json"], in: dir)
        #expect(status == 0, "rerun: \(err)")
        let resumed = try Self.summary(out)
        let reference = dir + "/reference.sqlite"
        (status, out, err) = try Self.run(["ingest", "papers", papers, "--format", "arxiv", "--db", reference], in: dir)
        (status, out, err) = try Self.run(["ingest", "events", log, "--db", reference, "--json"], in: dir)
        #expect(status == 0, "reference: \(err)")
        let expected = try Self.summary(out)
        #expect((resumed.accepted, resumed.duplicate, resumed.orphan, resumed.rejected)
                    == (expected.accepted, expected.duplicate, expected.orphan, expected.rejected))
        #expect(try store.ingestProgress(kind: "events", path: key)?.checkpoint.complete == true)
        let stored = try store.events().filter { $0.user.rawValue != "other-reader" }
        #expect(stored.count == expected.accepted)
        #expect(stored == (try Store(path: reference).events()))
    }
}
