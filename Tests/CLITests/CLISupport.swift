import Foundation
import Testing

/// Runs the built `paperfeed` binary: `$PAPERFEED_BIN`, else `paperfeed` beside the test bundle
/// (`.build/debug/paperfeed` after `swift build --build-tests`).
enum CLI {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static var binary: String {
        if let b = ProcessInfo.processInfo.environment["PAPERFEED_BIN"] { return b }
        var url = Bundle.main.bundleURL
        for _ in 0..<4 {
            let candidate = url.appendingPathComponent("paperfeed").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            url = url.deletingLastPathComponent()
        }
        return FileManager.default.currentDirectoryPath + "/.build/debug/paperfeed"
    }

    /// The manifest of a model folder's current version (`current` names the version folder;
    /// a folder without it is the pre-version layout).
    static func manifest(_ model: String) -> String {
        guard let pointer = try? String(contentsOfFile: model + "/current", encoding: .utf8) else { return model + "/manifest.json" }
        return model + "/" + pointer.trimmingCharacters(in: .whitespacesAndNewlines) + "/manifest.json"
    }

    /// Runs `paperfeed args…` in `directory` (default: a fresh temporary folder) with `environment` added.
    @discardableResult
    static func run(_ args: [String], in directory: String? = nil, environment: [String: String] = [:]) throws -> Result {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = args
        p.currentDirectoryURL = URL(fileURLWithPath: directory ?? temporaryDirectory())
        var env = ProcessInfo.processInfo.environment
        env["PAPERFEED_DB"] = nil
        env["PAPERFEED_MODEL"] = nil
        for (k, v) in environment { env[k] = v }
        p.environment = env
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        // Read both pipes to the end before waiting, so a large output cannot block the child.
        let group = DispatchGroup()
        nonisolated(unsafe) var outData = Data(), errData = Data()
        group.enter()
        DispatchQueue.global().async { outData = out.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        errData = err.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        p.waitUntilExit()
        return Result(status: p.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }

    static func temporaryDirectory() -> String {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("paperfeed-cli-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        return d
    }

    /// The repository root (two levels above this file's folder).
    static var repository: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    }
}
