import ArgumentParser
import Foundation
import PaperFeedCore
import PaperFeedIO

/// Options every command that touches the store takes.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: "SQLite database file (default: $PAPERFEED_DB or Data/paperfeed.sqlite).")
    var db: String?

    var path: String { db ?? Store.defaultPath }

    func open() throws -> Store {
        do { return try Store(path: path) } catch { throw Failure("\(error)") }
    }
}

/// A run-time failure: printed to stderr, exit code 1. (Bad usage exits with 64.)
struct Failure: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}

enum Output {
    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        e.dateEncodingStrategy = .custom { date, encoder in
            var c = encoder.singleValueContainer()
            try c.encode(Timestamp.format(date))
        }
        return e
    }()

    /// Prints a value as one line of JSON on stdout.
    static func json<T: Encodable>(_ value: T) throws {
        let data = try encoder.encode(value)
        FileHandle.standardOutput.write(data)
        FileHandle.standardOutput.write(Data("\n".utf8))
    }

    static func err(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}

/// Parses `--as-of` / `--listing-date` values: `YYYY-MM-DD` or a full ISO 8601 time.
func parseDate(_ text: String, option: String) throws -> Date {
    guard let d = Timestamp.parse(text) else {
        throw ValidationError("\(option): cannot read '\(text)' as a date; use YYYY-MM-DD or an ISO 8601 time such as 2025-06-01T00:00:00Z")
    }
    return d
}
