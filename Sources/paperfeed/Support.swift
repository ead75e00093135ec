import ArgumentParser
import Foundation
import Logging
import PaperFeedCore
import PaperFeedIO
import PaperFeedKit

/// Options every command that touches the store takes.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: "SQLite database file (default: $PAPERFEED_DB or Data/paperfeed.sqlite).")
    var db: String?

    var path: String { db ?? Store.defaultPath }

    /// Opens an existing database (a missing one is an error naming the path; never created).
    func open() throws -> Store {
        do { return try Store.openExisting(path: path) } catch { throw Failure("\(error)") }
    }

    /// Opens the database, creating it when missing (ingest only).
    func openOrCreate() throws -> Store {
        do { return try Store(path: path) } catch { throw Failure("\(error)") }
    }
}

/// `--quiet`, `--log-level`, `--log-format`: every command takes them; `start()` installs the
/// log handler (swift-log, lines on stderr with a timestamp and level; see `LogOutput`).
struct LoggingOptions: ParsableArguments {
    @Flag(help: "Only warnings and errors on stderr (same as --log-level warning).") var quiet = false
    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.") var logLevel = "info"
    @Option(help: "Log lines as text or json (one object per line).") var logFormat = "text"

    func validate() throws {
        guard LogOutput.level(logLevel) != nil else {
            throw ValidationError("--log-level \(logLevel): use trace, debug, info, notice, warning, error or critical")
        }
        guard LogOutput.Format(rawValue: logFormat) != nil else { throw ValidationError("--log-format \(logFormat): use text or json") }
    }

    var level: Logger.Level {
        let l = LogOutput.level(logLevel) ?? .info
        return quiet && l < .warning ? .warning : l
    }

    @discardableResult
    func start() -> Logger {
        LogOutput.bootstrap(level: level, format: LogOutput.Format(rawValue: logFormat) ?? .text)
        return Logger(label: "paperfeed")
    }

    var progress: PaperFeedKit.Progress { PaperFeedKit.Progress(enabled: true) }
}

/// A run-time failure: printed to stderr, exit code 1. (Bad usage exits with 64.)
struct Failure: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}

/// Exit code 2 with the reason on stderr: the command refused to do its job (cron: nothing
/// was published or changed; see docs/outputs.md "Exit codes"). Use as `throw refused("…")`.
func refused(_ reason: String) -> ExitCode {
    FileHandle.standardError.write(Data("Error: refused: \(reason)\n".utf8))
    return ExitCode(2)
}

enum Output {
    /// snake_case keys, sorted; dates as ISO 8601. (Dictionary keys — reader ids, metric names —
    /// are data and are kept as they are.)
    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        e.keyEncodingStrategy = .convertToSnakeCase
        e.dateEncodingStrategy = .custom { date, encoder in
            var c = encoder.singleValueContainer()
            try c.encode(Timestamp.format(date))
        }
        return e
    }()

    /// Prints a value (a JSON object) as one line of JSON on stdout, with `schema_version`.
    static func json<T: Encodable>(_ value: T) throws {
        let data = value is SchemaVersioned ? try encoder.encode(value) : try encoder.encode(Versioned(value: value))
        FileHandle.standardOutput.write(data)
        FileHandle.standardOutput.write(Data("\n".utf8))
    }

    /// A problem worth telling the operator (rejected rows, …): a warning log line on stderr.
    static func err(_ text: String) {
        Logger(label: "paperfeed").warning("\(text)")
    }
}

/// A JSON object with `schema_version` added beside the value's own keys.
struct Versioned<T: Encodable>: Encodable {
    let value: T
    enum Key: String, CodingKey { case schemaVersion = "schema_version" }
    func encode(to encoder: any Encoder) throws {
        try value.encode(to: encoder)
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(Schema.version, forKey: .schemaVersion)
    }
}

/// Parses `--as-of` / `--listing-date` values: `YYYY-MM-DD` or a full ISO 8601 time.
func parseDate(_ text: String, option: String) throws -> Date {
    guard let d = Timestamp.parse(text) else {
        throw ValidationError("\(option): cannot read '\(text)' as a date; use YYYY-MM-DD or an ISO 8601 time such as 2025-06-01T00:00:00Z")
    }
    return d
}
