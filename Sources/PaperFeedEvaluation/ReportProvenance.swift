import Foundation

/// Where a report comes from, recorded in every report.json and shown in report.md/html:
/// the PaperFeed version and git commit that made it, the experiment file and its SHA-256,
/// the SHA-256 of every data file it read, the date it was made, and links (paths relative
/// to the report folder) to its qrels, run files and experiment file.
///
/// `generated_at` is `$SOURCE_DATE_EPOCH` when set (reproducible-builds convention, so two
/// runs give byte-identical reports), else the wall-clock time the report was written.
public struct ReportProvenance: Codable, Sendable, Hashable {
    public struct FileChecksum: Codable, Sendable, Hashable {
        /// As given in the experiment file (relative to where the command ran).
        public var path: String
        public var sha256: String
        public var bytes: Int
        public init(path: String, sha256: String, bytes: Int) {
            self.path = path
            self.sha256 = sha256
            self.bytes = bytes
        }
    }

    public var version: String
    public var commit: String
    public var generatedAt: String
    /// The experiment file as given, its SHA-256, and a link to it relative to the report folder.
    public var config: String?
    public var configSHA256: String?
    public var configLink: String?
    public var data: [FileChecksum]
    /// Links relative to the report folder.
    public var qrelsFile: String?
    /// System → run file, relative to the report folder.
    public var runFiles: [String: String]

    enum CodingKeys: String, CodingKey {
        case version, commit, config, data
        case generatedAt = "generated_at", configSHA256 = "config_sha256", configLink = "config_link"
        case qrelsFile = "qrels_file", runFiles = "run_files"
    }

    public init(version: String, commit: String, generatedAt: String, config: String? = nil, configSHA256: String? = nil,
                configLink: String? = nil, data: [FileChecksum] = [], qrelsFile: String? = nil, runFiles: [String: String] = [:]) {
        self.version = version
        self.commit = commit
        self.generatedAt = generatedAt
        self.config = config
        self.configSHA256 = configSHA256
        self.configLink = configLink
        self.data = data
        self.qrelsFile = qrelsFile
        self.runFiles = runFiles
    }

    /// Markdown lines (a list) for report.md.
    public func markdown(systems: [String]) -> String {
        var s = "- made by PaperFeed \(version), commit `\(commit)`, on \(generatedAt)\n"
        if let config { s += "- experiment file: [\(config)](\(configLink ?? config)), SHA-256 `\(configSHA256 ?? "?")`\n" }
        for d in data { s += "- data: `\(d.path)` (\(d.bytes) bytes), SHA-256 `\(d.sha256)`\n" }
        if let q = qrelsFile { s += "- judgments: [\(q)](\(q))\n" }
        for name in systems { if let f = runFiles[name] { s += "- run of \(name): [\(f)](\(f))\n" } }
        return s
    }

    /// An HTML section (`<h2>Provenance</h2>` and a list) for report.html.
    public func html(systems: [String]) -> String {
        let e = ReportHTML.escape
        var s = "<h2>Provenance</h2>\n<ul class=\"provenance\">\n"
        s += "<li>made by PaperFeed \(e(version)), commit <code>\(e(commit))</code>, on \(e(generatedAt))</li>\n"
        if let config {
            s += "<li>experiment file: <a href=\"\(e(configLink ?? config))\">\(e(config))</a>, SHA-256 <code>\(e(configSHA256 ?? "?"))</code></li>\n"
        }
        for d in data { s += "<li>data: <code>\(e(d.path))</code> (\(d.bytes) bytes), SHA-256 <code>\(e(d.sha256))</code></li>\n" }
        if let q = qrelsFile { s += "<li>judgments: <a href=\"\(e(q))\">\(e(q))</a></li>\n" }
        for name in systems { if let f = runFiles[name] { s += "<li>run of \(e(name)): <a href=\"\(e(f))\">\(e(f))</a></li>\n" } }
        return s + "</ul>\n"
    }
}

extension PairComparison.Verdict {
    /// The verdict in words: `better`, `worse`, `no significant difference`.
    public var words: String {
        switch self {
        case .better: return "better"
        case .worse: return "worse"
        case .noSignificantDifference: return "no significant difference"
        }
    }
}
