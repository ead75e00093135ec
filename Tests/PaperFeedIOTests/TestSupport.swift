import Foundation
import PaperFeedCore
import Testing

@testable import PaperFeedIO

/// Helpers shared by the IO tests: a fresh temp directory, file writing, fixed options.
enum Support {
    /// "Now" of every test: 2026-03-13T12:00:00Z (the seed page's listing day).
    static let now = Timestamp.parse("2026-03-13T12:00:00Z") ?? Date(timeIntervalSince1970: 0)
    static var options: ParseOptions { ParseOptions(now: now) }

    /// A new empty directory under the system temp directory.
    static func tempDirectory() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("paperfeed-io-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Writes `bytes` to `name` in a new temp directory and returns the path.
    static func write(_ name: String, bytes: [UInt8]) throws -> String {
        let path = try tempDirectory() + "/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    static func write(_ name: String, _ text: String) throws -> String { try write(name, bytes: Array(text.utf8)) }

    /// Repository root (…/Tests/PaperFeedIOTests/X.swift → three levels up).
    static let repoRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    static func data(_ relative: String) -> String { repoRoot + "/Data/" + relative }
    static func fixture(_ name: String) -> String { repoRoot + "/Tests/PaperFeedIOTests/Fixtures/" + name }

    /// Compresses with the system `gzip` (tests only).
    static func gzip(_ bytes: [UInt8]) throws -> [UInt8] {
        let path = try write("x.bin", bytes: bytes)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", "gzip -c -n '\(path)' > '\(path).gz'"]
        try p.run()
        p.waitUntilExit()
        return [UInt8](try Data(contentsOf: URL(fileURLWithPath: path + ".gz")))
    }
}
