import Foundation
import Testing

@Suite("CLI: version and logging")
struct VersionTests {
    @Test("--version prints the version and a commit")
    func version() throws {
        let r = try CLI.run(["--version"])
        #expect(r.status == 0)
        let line = r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(line.hasPrefix("paperfeed 0."), "\(line)")
        #expect(line.contains("(commit "), "\(line)")
        // Built in this git checkout: a 40-hex-digit hash, not "unknown".
        let hash = line.split(separator: " ").last.map { String($0.dropLast().prefix(40)) } ?? ""
        #expect(hash.count == 40 && hash.allSatisfy(\.isHexDigit), "\(line)")
    }
}
