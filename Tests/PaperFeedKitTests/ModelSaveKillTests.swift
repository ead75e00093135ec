import Foundation
import PaperFeedCore
import Testing
import TopicModel

@testable import PaperFeedIO
@testable import PaperFeedKit

/// Issue 15, defect 3: a kill during `fit`'s save destroyed the previous model (arrays were
/// renamed into the live folder one by one, the manifest 0.7 s later: old manifest + new arrays,
/// and neither model loaded). Now a save writes a new version folder and switches `current` in
/// one rename. These tests stop a save at every `ModelFiles.SaveStep` — in process (a
/// simulated crash that cleans nothing up) and for real (`kill -9` of a `paperfeed fit` child
/// through `PAPERFEED_FAULT`) — and check that the previous model loads before the switch and
/// the new one after it, never neither. On the old code the first test fails at the step
/// "files written" (the folder then held new arrays under the old manifest).
@Suite struct ModelSaveKillTests {
    /// A store of 60 papers on three themes.
    static func store() throws -> (Store, String) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pf-kill-\(UUID().uuidString)").path
        let store = try Store(path: dir + "/db.sqlite")
        let themes = [["graph", "neural", "network", "node", "edge"], ["protein", "folding", "molecule", "drug", "binding"],
                      ["language", "model", "token", "translation", "prompt"]]
        var g = SeededGenerator(seed: 9)
        let papers = (0..<60).map { i in
            Located(line: i + 1, row: Paper(
                id: PaperID(String(format: "k%03d", i)), title: "Item \(i)",
                abstract: (0..<20).map { _ in themes[i % 3][Int(g.next() % 5)] }.joined(separator: " "), source: "test"))
        }
        var summary = IngestSummary(file: "fixture", kind: "papers")
        try store.applyPapers(papers, into: &summary)
        return (store, dir)
    }

    static func configuration(dims: Int, seed: UInt64) -> TopicModelConfiguration {
        var c = TopicModelConfiguration()
        c.dimensions = dims
        c.minDocumentFrequency = 1
        c.maxDocumentFrequency = 0.9
        c.seed = seed
        return c
    }

    @Test func aSaveStoppedAtAnyStepLeavesTheOldOrTheNewModel() throws {
        let (store, dir) = try Self.store()
        let texts = try store.paperTexts()
        let old = try TopicModel.fit(documents: texts, configuration: Self.configuration(dims: 3, seed: 1), createdAt: "2026-01-01T00:00:00Z").0.artifact()
        let new = try TopicModel.fit(documents: texts, configuration: Self.configuration(dims: 4, seed: 2), createdAt: "2026-01-02T00:00:00Z").0.artifact()
        for step in ModelFiles.SaveStep.allCases {
            let model = dir + "/model-\(step.rawValue)"
            try ModelFiles.save(old, to: model)
            #expect(throws: ModelFiles.SimulatedCrash.self) { _ = try ModelFiles.save(new, to: model, attachments: [:], crashAt: step) }
            let loaded = try ModelFiles.load(from: model)
            let switched = step == .pointerSwapped || step == .cleanedUp
            #expect(loaded == (switched ? new : old), "stopped at \(step.rawValue)")
            _ = try TopicModel(artifact: loaded)
            // The next save completes and leaves no staging folder and at most two versions.
            try ModelFiles.save(new, to: model)
            #expect(try ModelFiles.load(from: model) == new)
            let entries = try FileManager.default.contentsOfDirectory(atPath: model)
            #expect(!entries.contains { $0.hasPrefix(".staging-") }, "\(entries)")
            #expect(entries.filter(ModelFiles.isVersionName).count <= 2, "\(entries)")
        }
    }

    /// A model folder written before versions (manifest.json at the top) still loads, becomes the
    /// previous version of the first save, and is removed by the save after that.
    @Test func theLayoutBeforeVersionsLoadsAndIsReplaced() throws {
        let (store, dir) = try Self.store()
        let texts = try store.paperTexts()
        let old = try TopicModel.fit(documents: texts, configuration: Self.configuration(dims: 3, seed: 1), createdAt: "2026-01-01T00:00:00Z").0.artifact()
        let model = dir + "/legacy"
        let staged = try ModelFiles.files(of: old, attachments: [:])
        try FileManager.default.createDirectory(atPath: model, withIntermediateDirectories: true)
        for (name, data) in staged.files { try data.write(to: URL(fileURLWithPath: model + "/" + name)) }
        try staged.manifest.write(to: URL(fileURLWithPath: model + "/manifest.json"))
        #expect(try ModelFiles.currentVersion(of: model).name == nil)
        #expect(try ModelFiles.load(from: model) == old)
        try ModelFiles.save(old, to: model)
        #expect(FileManager.default.fileExists(atPath: model + "/manifest.json"))  // kept as the previous version
        try ModelFiles.save(old, to: model)
        #expect(!FileManager.default.fileExists(atPath: model + "/manifest.json"))
        #expect(!FileManager.default.fileExists(atPath: model + "/embeddings.f32"))
        #expect(try ModelFiles.load(from: model) == old)
    }

    /// Readers running while saves switch versions always load a complete model.
    @Test func readersDuringSavesSeeOneConsistentVersion() throws {
        let (store, dir) = try Self.store()
        let texts = try store.paperTexts()
        let a = try TopicModel.fit(documents: texts, configuration: Self.configuration(dims: 3, seed: 1), createdAt: "2026-01-01T00:00:00Z").0.artifact()
        let b = try TopicModel.fit(documents: texts, configuration: Self.configuration(dims: 4, seed: 2), createdAt: "2026-01-02T00:00:00Z").0.artifact()
        let model = dir + "/busy"
        try ModelFiles.save(a, to: model)
        let failures = ConcurrentSlots<String>(count: 1)
        let done = ConcurrentSlots<Bool>(count: 1)
        let reader = Thread {
            var n = 0
            while done[0] == nil || n < 20 {
                do {
                    let m = try ModelFiles.load(from: model)
                    if m != a && m != b { failures[0] = "a load returned neither model" }
                } catch {
                    failures[0] = "load failed: \(error)"
                }
                n += 1
            }
        }
        reader.start()
        for i in 0..<30 { try ModelFiles.save(i % 2 == 0 ? b : a, to: model) }
        done[0] = true
        while !reader.isFinished { usleep(1000) }
        #expect(failures[0] == nil)
    }

    @Test func attachmentsLiveInAVersionAndAreChecked() throws {
        let (store, dir) = try Self.store()
        let texts = try store.paperTexts()
        let a = try TopicModel.fit(documents: texts, configuration: Self.configuration(dims: 3, seed: 1), createdAt: "2026-01-01T00:00:00Z").0.artifact()
        let model = dir + "/attached"
        let v1 = try ModelFiles.save(a, to: model)
        #expect(try ModelFiles.attachment("ranker.json", of: v1) == nil)
        let v2 = try ModelFiles.attach(["ranker.json": Data("{\"w\": 1}".utf8)], to: model, expecting: v1)
        #expect(v2 != v1)
        #expect(try ModelFiles.currentVersion(of: model) == v2)
        #expect(try ModelFiles.attachment("ranker.json", of: v2) == Data("{\"w\": 1}".utf8))
        #expect(try ModelFiles.load(from: model) == a)
        // Made for v1, but v2 is current now: refused.
        #expect(throws: ModelFileError.self) { try ModelFiles.attach(["ranker.json": Data("{}".utf8)], to: model, expecting: v1) }
        // A changed attachment is a checksum error.
        try Data("{\"w\": 2}".utf8).write(to: URL(fileURLWithPath: v2.file("ranker.json")))
        #expect(throws: ModelFileError.self) { _ = try ModelFiles.attachment("ranker.json", of: v2) }
        #expect(throws: ModelFileError.self) { try ModelFiles.attach(["manifest.json": Data()], to: model) }
        #expect(throws: ModelFileError.self) { try ModelFiles.attach(["../x": Data()], to: model) }
    }

    /// The real thing: `paperfeed fit` killed with SIGKILL at each step, then `paperfeed similar`.
    @Test func killNineAtEachStepOfFitThenSimilar() throws {
        let bin = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("paperfeed").path
        try #require(FileManager.default.isExecutableFile(atPath: bin), "build the paperfeed executable first (swift build --build-tests)")
        let (store, dir) = try Self.store()
        try store.close()
        let db = dir + "/db.sqlite"
        let base = dir + "/base-model"
        #expect(try run(bin, ["fit", "--db", db, "--model", base, "--dims", "3", "--seed", "1", "--min-df", "1", "--max-df", "0.9"]).status == 0)
        let old = try ModelFiles.load(from: base)
        for step in ModelFiles.SaveStep.allCases {
            let model = dir + "/m-\(step.rawValue)"
            try FileManager.default.copyItem(atPath: base, toPath: model)
            let fit = try run(bin, ["fit", "--db", db, "--model", model, "--dims", "4", "--seed", "2", "--min-df", "1", "--max-df", "0.9"],
                              fault: "model-save:\(step.rawValue)")
            #expect(fit.status == SIGKILL, "fit should have been killed at \(step.rawValue): \(fit.output)")
            let similar = try run(bin, ["similar", "k001", "--db", db, "--model", model, "--k", "3"])
            #expect(similar.status == 0, "similar after a kill at \(step.rawValue): \(similar.output)")
            let loaded = try ModelFiles.load(from: model)
            let dims = try TopicModel(artifact: loaded).dimensions
            let switched = step == .pointerSwapped || step == .cleanedUp
            #expect(dims == (switched ? 4 : 3), "kill at \(step.rawValue)")
            if !switched { #expect(loaded == old) }
            print("kill -9 at model-save:\(step.rawValue): similar exit \(similar.status), loaded the \(switched ? "new" : "previous") model (\(dims) dims)")
        }
    }

    /// Runs `bin` with `arguments`; (exit status or signal number, stdout + stderr).
    func run(_ bin: String, _ arguments: [String], fault: String? = nil) throws -> (status: Int32, output: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: bin)
        p.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["PAPERFEED_FAULT"] = fault
        p.environment = env
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
