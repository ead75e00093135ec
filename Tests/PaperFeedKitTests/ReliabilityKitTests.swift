import Foundation
import PaperFeedCore
import PaperFeedEvaluation
import Ranking
import Testing
import TopicModel

@testable import PaperFeedIO
@testable import PaperFeedKit

/// Regression tests of issue 15 ("Reliability"), defects 4 and 5 outside the parsers: numbers
/// read from model files and configurations. Each comment says what the code before the fix did.
@Suite struct ReliabilityKitTests {
    static func artifact() throws -> ModelArtifact {
        let (store, _) = try ModelSaveKillTests.store()
        return try TopicModel.fit(documents: try store.paperTexts(), configuration: ModelSaveKillTests.configuration(dims: 3, seed: 1),
                                  createdAt: "2026-01-01T00:00:00Z").0.artifact()
    }

    static func folder() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("pf-rel-\(UUID().uuidString)").path
    }

    /// Defect 4: `parameters.ngrams` 99 or Int.max in a manifest reached the precondition of
    /// `Tokenizer.init` (illegal instruction, the test process died).
    @Test func manifestParametersOutOfRangeAreAModelError() throws {
        for (key, value) in [("ngrams", "99"), ("ngrams", String(Int.max)), ("dims", "0"), ("max_df", "nan"), ("power_iterations", "100000")] {
            var a = try Self.artifact()
            a.parameters[key] = value
            let dir = Self.folder()
            try ModelFiles.save(a, to: dir)
            #expect(throws: TopicModelError.self, "\(key) = \(value)") { _ = try ModelPipeline.load(dir) }
        }
    }

    /// Defect 4: an array header whose dimensions multiply past Int.max trapped in
    /// `ModelFiles.expectedSize`, even when the checksum was wrong (the truncation probe ran first).
    @Test func overflowingArrayDimensionsAreACorruptHeader() throws {
        let dir = Self.folder()
        try ModelFiles.save(try Self.artifact(), to: dir)
        let version = try ModelFiles.currentVersion(of: dir)
        var header = Array("PFARRAY1".utf8)
        withUnsafeBytes(of: UInt32(2).littleEndian) { header.append(contentsOf: $0) }
        for _ in 0..<2 { withUnsafeBytes(of: UInt64(1 << 39).littleEndian) { header.append(contentsOf: $0) } }
        let path = version.file("singular_values.f32")
        try Data(header + [0, 0, 0, 0]).write(to: URL(fileURLWithPath: path))
        #expect(throws: ModelFileError.self) { _ = try ModelFiles.load(from: dir) }  // checksum wrong
        try rewriteChecksum(version, file: "singular_values.f32")
        do {
            _ = try ModelFiles.load(from: dir)
            Issue.record("loaded")
        } catch let ModelFileError.corruptHeader(p, reason) {
            #expect(p == path && reason.contains("overflow"))
        }
    }

    /// Defect 5: NaN / infinite embeddings with matching checksums loaded, gave `nan` scores and
    /// sent every reader to cold start.
    @Test func nonFiniteValuesAreRefusedAtLoad() throws {
        for bad: Float in [.nan, .infinity, -.infinity] {
            var a = try Self.artifact()
            a.arrays["embeddings"]!.values[4] = bad
            let dir = Self.folder()
            try ModelFiles.save(a, to: dir)
            let path = try ModelFiles.currentVersion(of: dir).file("embeddings.f32")
            #expect(throws: ModelFileError.nonFiniteValue(path, index: 4)) { _ = try ModelFiles.load(from: dir) }
        }
    }

    /// A manifest naming a file outside its folder is refused (it would be read from anywhere).
    @Test func manifestFileNamesStayInTheFolder() throws {
        let dir = Self.folder()
        try ModelFiles.save(try Self.artifact(), to: dir)
        let manifest = try ModelFiles.currentVersion(of: dir).file("manifest.json")
        let text = try String(contentsOfFile: manifest, encoding: .utf8)
        try text.replacingOccurrences(of: "\"papers.txt\"", with: "\"../../papers.txt\"").write(toFile: manifest, atomically: true, encoding: .utf8)
        #expect(throws: ModelFileError.self) { _ = try ModelFiles.load(from: dir) }
    }

    /// Defect 4: `dims` 100000 ran an exact SVD for minutes (k was clamped to min(n, m)); now
    /// refused, naming the bound.
    @Test func dimsAboveDocumentsOrTermsAreRefused() throws {
        let (store, _) = try ModelSaveKillTests.store()
        let texts = try store.paperTexts()
        #expect { _ = try TopicModel.fit(documents: texts, configuration: ModelSaveKillTests.configuration(dims: 50, seed: 1), createdAt: "x") }
            throws: { "\($0)".contains("more than the 60 documents or the 15 terms") }
        #expect(throws: TopicModelError.self) {
            _ = try TopicModel.fit(documents: texts, configuration: ModelSaveKillTests.configuration(dims: 100_000, seed: 1), createdAt: "x")
        }
    }

    /// Defects 4 and 5: `feedback.maxPosition` Int.max trapped in FeedbackScorer, 1e9 allocated
    /// 23.6 GB; weights of 1e308 made `inf` scores. All were accepted by `decode`.
    @Test func rankingNumbersHaveBounds() throws {
        for json in [#"{"feedback": {"maxPosition": 9223372036854775807}}"#, #"{"feedback": {"maxPosition": 1000000000}}"#,
                     #"{"weights": {"content": 1e308}}"#, #"{"coldStartWeights": {"trend": 1e7}}"#, #"{"trend": {"windowDays": 1e300}}"#,
                     #"{"diversity": {"poolFactor": 1000000}}"#, #"{"content": {"explainTop": 100000}}"#] {
            #expect(throws: RankingError.self, "\(json)") { _ = try RankingConfiguration.decode(Data(json.utf8), source: "c.json") }
        }
        var c = RankingConfiguration.Feedback()
        c.maxPosition = .max  // built in code, so `problems()` never ran: bounded by the scorer itself
        let event = Event(user: "u", paper: "p", kind: .impression, at: Date(timeIntervalSince1970: 0), position: 3)
        let f = FeedbackScorer(configuration: c, snapshot: RankingSnapshot(asOf: Date(timeIntervalSince1970: 86_400), papers: [], events: [event], observations: []))
        #expect(f.examination.count == RankingConfiguration.Limits.maxPosition)
        // A BOM is fine.
        #expect(try RankingConfiguration.decode(Data([0xEF, 0xBB, 0xBF] + Array("{}".utf8)), source: "c.json") == RankingConfiguration())
    }

    func experiment(_ dir: String, name: String = "exp", _ extra: String, systems: String = #"[{"name": "random", "baseline": "random"}]"#) throws -> String {
        try FileManager.default.createDirectory(atPath: dir + "/configs", withIntermediateDirectories: true)
        let path = dir + "/configs/\(name).json"
        let body = """
            {"data": {"store": {"db": "\(dir)/db.sqlite"}}, "split": {"kind": "replay", "first": "2025-05-12", "last": "2025-05-14"},
             "systems": \(systems), "metrics": ["ndcg@10"], "k": 10, "seed": 1\(extra)}
            """
        try body.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func loadError(_ path: String) -> String? {
        do {
            _ = try ExperimentConfiguration.load(path: path)
            return nil
        } catch {
            return "\(error)"
        }
    }

    /// Defect 5: experiment files ignored unknown keys (`"sytems"`), accepted a name of
    /// `../../x` (the report went outside Evaluation/reports), permutations 0 (every p-value 1),
    /// bootstrap 0 (a CI of [0, 0]), k Int.max (trapped in BaselinesBlend), a grid of 10⁸
    /// combinations (17.5 GB before its own limit was checked).
    @Test func experimentFilesRejectUnknownKeysAndOutOfRangeValues() throws {
        let dir = Self.folder()
        #expect(loadError(try experiment(dir, "")) == nil)
        let bom = try experiment(dir, name: "bom", "")
        try (Data([0xEF, 0xBB, 0xBF]) + (try Data(contentsOf: URL(fileURLWithPath: bom)))).write(to: URL(fileURLWithPath: bom))
        #expect(loadError(bom) == nil)
        #expect(loadError(try experiment(dir, #", "sytems": []"#))?.contains("unknown key 'sytems'") == true)
        #expect(loadError(try experiment(dir, #", "compare": {"permutatons": 10}"#))?.contains("unknown key 'compare.permutatons'") == true)
        #expect(loadError(try experiment(dir, "", systems: #"[{"name": "r", "baseline": "random", "dimz": 3}]"#))?
            .contains("unknown key 'systems[0].dimz'") == true)
        #expect(loadError(try experiment(dir, #", "data2": 1"#))?.contains("known here:") == true)
        #expect(loadError(try experiment(dir, #", "name": "../../x""#))?.contains("must be a plain name") == true)
        #expect(loadError(try experiment(dir, #", "name": "..""#)) != nil)
        #expect(loadError(try experiment(dir, #", "compare": {"permutations": 0}"#))?.contains("permutations = 0") == true)
        #expect(loadError(try experiment(dir, #", "compare": {"bootstrap": 0}"#))?.contains("bootstrap = 0") == true)
        let grid = #", "tune": {"validation": {"first": "2025-05-01", "last": "2025-05-05"}, "method": "grid", "parameters": {"# + (0..<8).map {
            #""p\#($0)": [1,2,3,4,5,6,7,8,9,10]"#
        }.joined(separator: ", ") + "}}"
        #expect(loadError(try experiment(dir, grid))?.contains("the grid has 100000000 combinations") == true)
    }

    @Test func kIsBounded() throws {
        let dir = Self.folder()
        try FileManager.default.createDirectory(atPath: dir + "/configs", withIntermediateDirectories: true)
        let path = dir + "/configs/big.json"
        try """
            {"data": {"store": {"db": "x.sqlite"}}, "split": {"kind": "replay", "first": "2025-05-12", "last": "2025-05-14"},
             "systems": [{"name": "b", "baseline": "blend"}], "metrics": ["ndcg@10"], "k": 9223372036854775807, "seed": 1}
            """.write(toFile: path, atomically: true, encoding: .utf8)
        #expect(loadError(path)?.contains("k must be in 1…10000") == true)
    }

    /// Every committed experiment file still loads under the stricter rules.
    @Test func committedExperimentFilesLoad() throws {
        var root = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { root.deleteLastPathComponent() }
        let configs = root.appendingPathComponent("Evaluation/configs").path
        let files = try FileManager.default.contentsOfDirectory(atPath: configs).filter { $0.hasSuffix(".json") }
        #expect(files.count >= 7)
        for f in files { #expect(loadError(configs + "/" + f) == nil, "\(f): \(loadError(configs + "/" + f) ?? "")") }
        // The worlds' experiments too.
        let worlds = configs + "/worlds"
        let worldFiles = try FileManager.default.contentsOfDirectory(atPath: worlds).filter { $0.hasSuffix(".json") }
        #expect(worldFiles.count >= 8)
        for f in worldFiles { #expect(loadError(worlds + "/" + f) == nil, "worlds/\(f): \(loadError(worlds + "/" + f) ?? "")") }
    }

    /// Defect 5: `--gain exp` with a grade ≥ 1024 printed `-nan` with exit code 0.
    @Test func exponentialGainRefusesHugeGrades() throws {
        let dir = Self.folder()
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try "u 0 a 1024\nu 0 b 1\n".write(toFile: dir + "/q", atomically: true, encoding: .utf8)
        try "u Q0 a 1 2 t\nu Q0 b 2 1 t\n".write(toFile: dir + "/r", atomically: true, encoding: .utf8)
        #expect { _ = try evaluateTrecFiles(qrels: dir + "/q", run: dir + "/r", options: EvaluationOptions(gain: .exponential)) }
            throws: { "\($0)".contains("too large for exponential gain") }
        let linear = try evaluateTrecFiles(qrels: dir + "/q", run: dir + "/r", metrics: [.ndcg(cutoff: 10)])
        #expect(linear.mean.values.allSatisfy { $0.isFinite })
        try "u 0 a 1000\nu 0 b 999\n".write(toFile: dir + "/q2", atomically: true, encoding: .utf8)
        let big = try evaluateTrecFiles(qrels: dir + "/q2", run: dir + "/r", metrics: [.ndcg(cutoff: 10)], options: EvaluationOptions(gain: .exponential))
        #expect(big.mean["ndcg@10"] == 1)
    }

    func rewriteChecksum(_ version: ModelVersion, file: String) throws {
        let manifestPath = version.file("manifest.json")
        var manifest = try JSONDecoder().decode(ModelFiles.Manifest.self, from: Data(contentsOf: URL(fileURLWithPath: manifestPath)))
        let sha = SHA256.hex([UInt8](try Data(contentsOf: URL(fileURLWithPath: version.file(file)))))
        for i in manifest.arrays.indices where manifest.arrays[i].file == file { manifest.arrays[i].sha256 = sha }
        try ModelFiles.encodeManifest(manifest).write(to: URL(fileURLWithPath: manifestPath))
    }
}
