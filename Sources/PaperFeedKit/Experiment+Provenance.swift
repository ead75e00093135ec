import BuildInfo
import Foundation
import PaperFeedCore
import PaperFeedEvaluation
import PaperFeedIO

extension Experiment {
    /// The provenance of a report written to `directory` from the experiment file `configPath`:
    /// version and commit of this build, the experiment file's SHA-256 and a link to it
    /// relative to the report folder, the SHA-256 of every data file the experiment names (the
    /// store, hidden qrels, corpus files, blend config files, the tuning base), the date, and
    /// links to the judgments and run files.
    static func provenance(configPath: String, config: ExperimentConfiguration, directory: String,
                           runFiles: [String: String]) throws -> ReportProvenance {
        var files: [String] = []
        if let s = config.data.store { files += [s.db] + (s.hiddenQrels.map { [$0] } ?? []) }
        if let c = config.data.corpus { files += [c.documents, c.vocabulary, c.train, c.test] }
        files += config.systems.compactMap(\.blend)
        if let base = config.tune?.base { files.append(base) }
        var seen = Set<String>()
        let data = try files.filter { seen.insert($0).inserted }.map(checksum)
        let configFile = configPath.isEmpty ? nil : try checksum(configPath)
        return ReportProvenance(version: Build.version, commit: Build.commit, generatedAt: generatedAt(),
                                config: configFile?.path, configSHA256: configFile?.sha256,
                                configLink: configFile.map { relativePath(from: directory, to: $0.path) }, data: data,
                                qrelsFile: "qrels.txt", runFiles: runFiles)
    }

    /// SHA-256 and size of a file, read in 1 MiB pieces.
    static func checksum(_ path: String) throws -> ReportProvenance.FileChecksum {
        guard let h = FileHandle(forReadingAtPath: path) else { throw KitError.notFound("\(path): cannot read the file to checksum it") }
        defer { try? h.close() }
        var sha = SHA256(), bytes = 0
        while let chunk = try h.read(upToCount: 1 << 20), !chunk.isEmpty {
            sha.update(contiguous: [UInt8](chunk))
            bytes += chunk.count
        }
        return .init(path: path, sha256: sha.finalize().hexString, bytes: bytes)
    }

    /// `$SOURCE_DATE_EPOCH` (seconds) when set, else now; ISO 8601 UTC.
    static func generatedAt() -> String {
        if let s = ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"], let t = Double(s) {
            return Timestamp.format(Date(timeIntervalSince1970: t))
        }
        return Timestamp.format(SystemClock().now)
    }

    /// `target` relative to the folder `base` (both made absolute from the current folder).
    static func relativePath(from base: String, to target: String) -> String {
        let b = URL(fileURLWithPath: base).standardizedFileURL.pathComponents
        let t = URL(fileURLWithPath: target).standardizedFileURL.pathComponents
        var i = 0
        while i < b.count, i < t.count, b[i] == t[i] { i += 1 }
        return (Array(repeating: "..", count: b.count - i) + t[i...]).joined(separator: "/")
    }

    /// The judgments and runs as written to a report folder, so that the pair loads in ranx
    /// without `make_comparable` and trec_eval, pytrec_eval and ranx count the same readers:
    /// every run keeps only its readers with judgments and a non-empty list (the readers
    /// `Evaluator` evaluates), and the qrels keep only readers that some run lists. (trec_eval
    /// skips qrels readers without a list, and so do the report's means: nothing changes.)
    static func reportFiles(qrels: Qrels, runs: [Run]) -> (qrels: Qrels, runs: [Run]) {
        let judged = Set(qrels.judgments.keys)
        let trimmed = runs.map { run in Run(run.lists.filter { judged.contains($0.key) && !$0.value.isEmpty }) }
        let listed = Set(trimmed.flatMap(\.lists.keys))
        return (Qrels(qrels.judgments.filter { listed.contains($0.key) }), trimmed)
    }
}
