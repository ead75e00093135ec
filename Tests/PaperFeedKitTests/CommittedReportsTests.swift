import Foundation
import PaperFeedCore
import PaperFeedEvaluation
import PaperFeedKit
import Testing

/// Every committed report reproduces from its own files: each run file in
/// `Evaluation/reports/*/` read back with the TREC reader and scored with trec_eval's
/// conventions (`Evaluator` defaults: ties by paper id descending — moot, the written scores
/// are strictly decreasing) against the folder's qrels.txt gives report.json's means to 1e-12
/// and the same reader counts. (scripts/reproduce_reports.py does the same with pytrec_eval and
/// ranx.) Run files that are not in the checkout (large ones are not committed) are skipped.
@Suite struct CommittedReportsTests {
    static let reports = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Evaluation/reports").path

    struct Checked { var folder: String; var system: String; var file: String; var means: [String: Double]; var readers: Int }

    /// (folder, system, run file, report means, readers) of every report.json.
    static func systems() throws -> [Checked] {
        var out: [Checked] = []
        for folder in (try? FileManager.default.contentsOfDirectory(atPath: reports))?.sorted() ?? [] {
            let dir = reports + "/" + folder
            guard let data = FileManager.default.contents(atPath: dir + "/report.json"),
                  let json = try JSONSerialization.jsonObject(with: data) as? [String: Any] else { continue }
            if let systems = json["systems"] as? [[String: Any]] {
                for s in systems {
                    guard let name = s["name"] as? String, let file = s["run_file"] as? String,
                          let mean = s["mean"] as? [String: Double], let users = s["users"] as? Int else { continue }
                    out.append(Checked(folder: folder, system: name, file: dir + "/" + file, means: mean, readers: users))
                }
            } else if let names = json["systems"] as? [String], let results = json["results"] as? [[String: Any]] {
                let files = (json["provenance"] as? [String: Any])?["run_files"] as? [String: String] ?? [:]
                for name in names {
                    let safe = String(name.map { $0.isLetter || $0.isNumber || "-_.".contains($0) ? $0 : "_" })
                    let file = files[name].map { dir + "/" + $0 }
                        ?? [dir + "/runs/\(safe).run", dir + "/runs/\(safe).run.gz"].first { FileManager.default.fileExists(atPath: $0) }
                        ?? dir + "/runs/\(safe).run"
                    var means: [String: Double] = [:], readers = 0
                    for r in results {
                        guard let m = r["metric"] as? String, let v = (r["means"] as? [String: Double])?[name] else { continue }
                        means[m] = v
                        readers = r["readers"] as? Int ?? 0
                    }
                    out.append(Checked(folder: folder, system: name, file: file, means: means, readers: readers))
                }
            }
        }
        return out
    }

    @Test func everyCommittedRunReproducesItsReport() throws {
        var checked = 0
        for s in try Self.systems() where FileManager.default.fileExists(atPath: s.file) {
            let qrels = try TrecFiles.readQrels(path: Self.reports + "/" + s.folder + "/qrels.txt")
            let run = try TrecFiles.readRun(path: s.file)
            for (user, items) in run.lists { #expect(RunScores.isStrictlyDecreasing(items.map(\.score)), "\(s.file): \(user) has tied scores") }
            #expect(Set(run.lists.keys) == Set(qrels.judgments.keys), "\(s.file): the qrels/run pair would need make_comparable in ranx")
            let metrics = try s.means.keys.sorted().map { try Metric(parsing: $0) }
            let report = MetricsReport(Evaluator(qrels: qrels).evaluate(run, metrics: metrics))
            #expect(report.users == s.readers, "\(s.folder)/\(s.system): \(report.users) readers, the report says \(s.readers)")
            for (metric, value) in s.means {
                let again = report.mean[metric] ?? .nan
                #expect(abs(again - value) <= 1e-12, "\(s.folder)/\(s.system) \(metric): report \(value), run file \(again)")
            }
            checked += 1
        }
        // The committed reports' run files that are in the checkout (recorded for the log).
        print("CommittedReportsTests: \(checked) run files re-scored against report.json")
    }
}
