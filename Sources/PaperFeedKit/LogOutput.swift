import Foundation
import Logging

/// Where log lines go: stderr, one line per message, as text
/// (`2025-06-01T03:00:00.123Z info paperfeed: message key=value`) or as one JSON object per line
/// (`{"label":"paperfeed","level":"info","message":"…","metadata":{…},"timestamp":"…"}`, sorted keys).
/// Timestamps are wall-clock UTC with milliseconds (log lines only; never used in results).
/// `LogOutput.bootstrap` installs it once per process (the CLI does, from `--log-level`,
/// `--log-format`, `--quiet`); before that swift-log's default (stderr) applies.
public enum LogOutput {
    public enum Format: String, Sendable, CaseIterable { case text, json }

    /// Installs the handler for every `Logger`; later calls do nothing.
    public static func bootstrap(level: Logger.Level, format: Format) {
        once.run { LoggingSystem.bootstrap { label in Handler(label: label, level: level, format: format) } }
    }

    /// Parses `--log-level` (trace, debug, info, notice, warning, error, critical).
    public static func level(_ text: String) -> Logger.Level? { Logger.Level(rawValue: text.lowercased()) }

    final class Once: @unchecked Sendable {
        private let lock = NSLock()
        private var done = false
        func run(_ body: () -> Void) {
            lock.lock()
            defer { lock.unlock() }
            if !done { body(); done = true }
        }
    }
    static let once = Once()

    struct Handler: LogHandler {
        let label: String
        var logLevel: Logger.Level
        let format: Format
        var metadata: Logger.Metadata = [:]

        init(label: String, level: Logger.Level, format: Format) {
            self.label = label
            self.logLevel = level
            self.format = format
        }

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            var all = metadata
            if let extra = event.metadata { all.merge(extra) { _, new in new } }
            let line = LogOutput.line(level: event.level, label: label, message: event.message.description, metadata: all,
                                      format: format, time: Date())
            FileHandle.standardError.write(Data(line.utf8))
        }
    }

    /// One formatted log line (with its newline).
    static func line(level: Logger.Level, label: String, message: String, metadata: Logger.Metadata, format: Format,
                     time: Date) -> String {
        let stamp = timestamp(time)
        switch format {
        case .text:
            let meta = metadata.keys.sorted().map { "\($0)=\(metadata[$0]!)" }.joined(separator: " ")
            return "\(stamp) \(level.rawValue) \(label): \(message)" + (meta.isEmpty ? "" : " " + meta) + "\n"
        case .json:
            var fields = ["\"label\":" + quote(label), "\"level\":" + quote(level.rawValue), "\"message\":" + quote(message)]
            if !metadata.isEmpty {
                fields.append("\"metadata\":{" + metadata.keys.sorted().map { quote($0) + ":" + quote("\(metadata[$0]!)") }
                    .joined(separator: ",") + "}")
            }
            fields.append("\"timestamp\":" + quote(stamp))
            return "{" + fields.joined(separator: ",") + "}\n"
        }
    }

    static func timestamp(_ date: Date) -> String {
        let ms = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        let seconds = ms / 1000, millis = ms % 1000
        var t = time_t(seconds)
        var parts = tm()
        gmtime_r(&t, &parts)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
                      Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), Int(millis))
    }

    /// A JSON string literal.
    static func quote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 { out += String(format: "\\u%04x", u.value) } else { out.unicodeScalars.append(u) }
            }
        }
        return out + "\""
    }
}
