/// What this build of PaperFeed is: the release version (edited by hand on a release) and the
/// git commit it was built from (generated at build time by `BuildInfoPlugin`).
/// `paperfeed --version` prints `description`; reports and artifacts record `version` and `commit`.
public enum Build {
    public static let version = "0.1.0"
    /// The full commit hash, with "-dirty" when tracked files had uncommitted changes, or "unknown".
    public static var commit: String { generatedCommit }
    /// `paperfeed 0.1.0 (commit 1a2b3c…)`.
    public static var description: String { "paperfeed \(version) (commit \(commit))" }
}
