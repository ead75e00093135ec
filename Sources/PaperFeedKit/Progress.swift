import Foundation
import Logging

/// Progress lines: logged through swift-log (label `paperfeed`, level info) and so written by
/// `LogOutput` to stderr with a timestamp and level — never to stdout, which carries results
/// and JSON. `Progress(enabled: false)` logs nothing (library callers and tests).
public struct Progress: Sendable {
    public let enabled: Bool
    let logger: Logger

    public init(enabled: Bool = true, label: String = "paperfeed") {
        self.enabled = enabled
        self.logger = Logger(label: label)
    }

    public func callAsFunction(_ message: String) {
        guard enabled else { return }
        logger.info("\(message)")
    }

    /// A warning (shown also with `--quiet`, which keeps warnings and errors).
    public func warning(_ message: String) {
        guard enabled else { return }
        logger.warning("\(message)")
    }

    public var callback: @Sendable (String) -> Void {
        let on = enabled, logger = logger
        return { message in if on { logger.info("\(message)") } }
    }
}
