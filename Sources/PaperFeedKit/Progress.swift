import Foundation

/// Progress lines on stderr (never stdout, which carries results and JSON).
public struct Progress: Sendable {
    public let enabled: Bool
    public init(enabled: Bool = true) { self.enabled = enabled }

    public func callAsFunction(_ message: String) {
        guard enabled else { return }
        FileHandle.standardError.write(Data(("paperfeed: " + message + "\n").utf8))
    }

    public var callback: @Sendable (String) -> Void {
        let on = enabled
        return { message in if on { FileHandle.standardError.write(Data(("paperfeed: " + message + "\n").utf8)) } }
    }
}
