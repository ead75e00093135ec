import BuildInfo
import Foundation
import PaperFeedCore
import PaperFeedIO

/// `paperfeed export --run latest|ID --format jsonl,atom,html --out DIR`: a stored run delivered
/// to its readers (formats in docs/outputs.md, "Delivery"):
///
/// - `lists.jsonl`: one line per (reader, item): `schema_version`, `run`, `as_of`, `user`, `rank`,
///   `paper`, `title`, `authors`, `link`, `published`, `score`, `breakdown`, `why`;
/// - `atom/READER.xml`: one Atom feed (RFC 4287) per reader, entries in rank order;
/// - `html/READER.html`: one self-contained HTML digest per reader (title, authors, arXiv link,
///   why it is there);
/// - `export.json`: what was exported (run, as-of, readers, formats, version and commit).
///
/// Readers are streamed from the store one at a time (memory does not grow with their number).
/// Everything is written into a staging folder beside `DIR` and swapped in when complete, so a
/// failed export leaves the previous `DIR` as it was. Same run, same bytes.
public enum ExportPipeline {
    public enum Format: String, Sendable, CaseIterable, Codable { case jsonl, atom, html }

    public struct Summary: Sendable, Codable, SchemaVersioned {
        public var schemaVersion = Schema.version
        public var run: String
        public var asOf: String
        public var readers: Int
        public var items: Int
        public var formats: [Format]
        public var out: String
        public var version: String
        public var commit: String
        enum CodingKeys: String, CodingKey {
            case schemaVersion = "schema_version", run, asOf = "as_of", readers, items, formats, out, version, commit
        }
    }

    public static func run(store: Store, run: RankRunInfo, formats: [Format], out: String, progress: Progress) throws -> Summary {
        let staging = URL(fileURLWithPath: out).standardizedFileURL
        let stage = staging.deletingLastPathComponent().appendingPathComponent(".\(staging.lastPathComponent).staging").path
        try? FileManager.default.removeItem(atPath: stage)
        try FileManager.default.createDirectory(atPath: stage, withIntermediateDirectories: true)
        var summary = Summary(run: run.id, asOf: Timestamp.format(run.asOf), readers: 0, items: 0, formats: formats, out: out,
                              version: Build.version, commit: Build.commit)
        do {
            let jsonl = formats.contains(.jsonl) ? try AtomicFile.Stream(path: stage + "/lists.jsonl") : nil
            defer { jsonl?.discard() }
            try DeliveredList.forEach(store: store, run: run) { list in
                summary.readers += 1
                summary.items += list.items.count
                let name = fileName(list.user)
                if let s = jsonl { for item in list.items { try s.write(jsonLine(list, item)) } }
                if formats.contains(.atom) { try AtomicFile.write(AtomFeed.render(list), to: stage + "/atom/\(name).xml") }
                if formats.contains(.html) { try AtomicFile.write(HTMLDigest.render(list), to: stage + "/html/\(name).html") }
                if summary.readers % 1000 == 0 { progress("export: \(summary.readers) readers") }
            }
            try jsonl?.commit()
            var manifest = summary
            manifest.out = "."
            try AtomicFile.write(try exportJSON(manifest) + Data("\n".utf8), to: stage + "/export.json")
            try swap(stage, into: staging.path)
        } catch {
            try? FileManager.default.removeItem(atPath: stage)
            throw error
        }
        progress("exported run \(run.id): \(summary.readers) readers, \(summary.items) items (\(formats.map(\.rawValue).joined(separator: ", "))) to \(out)")
        return summary
    }

    /// Replaces `target` by `stage` (two renames; the old folder is removed afterwards).
    static func swap(_ stage: String, into target: String) throws {
        let fm = FileManager.default
        let old = target + ".old"
        try? fm.removeItem(atPath: old)
        if fm.fileExists(atPath: target) { try fm.moveItem(atPath: target, toPath: old) }
        try fm.moveItem(atPath: stage, toPath: target)
        try? fm.removeItem(atPath: old)
    }

    static func exportJSON(_ s: Summary) throws -> Data {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try e.encode(s)
    }

    /// One `lists.jsonl` line (keys sorted).
    static func jsonLine(_ list: DeliveredList, _ item: DeliveredList.Item) -> String {
        let q = EventWriter.quote
        let breakdown = item.breakdown.keys.sorted().map { "\(q($0)):\(item.breakdown[$0]!)" }.joined(separator: ",")
        return "{\"as_of\":\(q(list.asOf)),\"authors\":[\(item.authors.map(q).joined(separator: ","))],"
            + "\"breakdown\":{\(breakdown)},\"link\":\(item.link.map(q) ?? "null"),\"paper\":\(q(item.paper)),"
            + "\"published\":\(item.published.map(q) ?? "null"),\"rank\":\(item.rank),\"run\":\(q(list.run)),"
            + "\"schema_version\":\(Schema.version),\"score\":\(item.score),\"title\":\(q(item.title)),"
            + "\"user\":\(q(list.user)),\"why\":\(q(item.why))}\n"
    }

    /// A reader id as a file name: kept when it is letters, digits, `.`, `_`, `-` (not leading
    /// `.`), else those characters with `_` for the rest plus `-` and 8 hex digits of SHA-256 of
    /// the id, so two readers never share a file.
    public static func fileName(_ user: String) -> String {
        let safe = !user.isEmpty && !user.hasPrefix(".") && user.unicodeScalars.allSatisfy {
            ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || "._-".unicodeScalars.contains($0)
        }
        if safe && user.count <= 100 { return user }
        let cleaned = String(user.unicodeScalars.prefix(60).map {
            $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "._-".unicodeScalars.contains($0)) ? Character($0) : "_"
        })
        return (cleaned.hasPrefix(".") ? "_" + cleaned.dropFirst() : cleaned) + "-" + String(SHA256.hex(Array(user.utf8)).prefix(8))
    }
}
