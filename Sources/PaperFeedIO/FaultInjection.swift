import Foundation

/// Named points where a test can make the process die as `kill -9` would (no cleanup, no
/// flush): set `PAPERFEED_FAULT=NAME` in the environment of a `paperfeed` child process and it
/// sends itself SIGKILL when it reaches the point `NAME`. The points are listed where they are
/// reached (`ModelFiles.SaveStep` for a model save: `model-save:staging-created`, …). Without
/// the variable a point costs one comparison with nil.
public enum FaultInjection {
    /// The point named by `PAPERFEED_FAULT`, read once.
    static let armed: String? = ProcessInfo.processInfo.environment["PAPERFEED_FAULT"]

    /// Dies with SIGKILL when `point` is the armed one.
    @inline(__always)
    static func reach(_ point: @autoclosure () -> String) {
        guard let armed else { return }
        if armed == point() {
            FileHandle.standardError.write(Data("PAPERFEED_FAULT: killed at \(armed)\n".utf8))
            kill(getpid(), SIGKILL)
        }
    }
}
