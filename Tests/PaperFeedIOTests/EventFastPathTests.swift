import Foundation
import PaperFeedCore
import Testing

@testable import PaperFeedIO

/// `EventFastPath` may only ever produce what `EventParser` produces: for every line it takes,
/// the parser must read the same event from that line alone, with no issue. Lines it leaves go
/// to the parser, so whole-file results are the same with the fast path on or off.
@Suite struct EventFastPathTests {
    static let limit = Support.now.addingTimeInterval(2 * 86_400)

    func viaParser(_ line: String) throws -> Parsed<Event> {
        try EventParser.parse(file: InputFile(path: "x.jsonl", inflated: Array((line + "\n").utf8)), format: .jsonl, options: Support.options)
    }

    func viaFastPath(_ line: String) -> Event? {
        let bytes = Array(line.utf8)
        return bytes.withUnsafeBufferPointer { EventFastPath.event($0, 0..<bytes.count, limit: Self.limit) }
    }

    /// Lines the fast path takes, each with the event it must give.
    static let taken: [String] = [
        #"{"user":"u1","paper":"2503.00001","kind":"impression","at":"2026-03-10T09:00:00Z","position":1,"list":"L1","propensity":0.5}"#,
        #"{"user": "u1", "paper": "2503.00001", "kind": "read", "at": "2026-03-10T09:01:00Z"}"#,
        "{\t\"user\" :\"u 2\" , \"paper\":\"p\",\"kind\":\"save\",\"at\":\"2026-03-10\" }  ",
        #"{"user":"u","paper":"p","kind":"skip","at":"2026-03-10T09:00:00.123+02:00","position":null,"list":null,"propensity":null}"#,
        #"{"user":"u","paper":"p","kind":"upvote","at":"2026-03-10 09:00","list":"","propensity":1}"#,
        #"{"user":"u","paper":"p","kind":"impression","at":"2026-03-10T09:00:00Z","position":999999999,"propensity":0.0001}"#,
        #"{"user":"u","paper":"p","kind":"read","at":"2026-03-15T11:59:59Z"}"#,
        #"{"synthetic":true,"user":"u","other":-1.5e3,"paper":"p","x":null,"kind":"read","y":"z","at":"2026-03-10T09:00:00Z","z":false}"#,
        #"{"user":"u","paper":"p","kind":"read","at":"2026-03-10T09:00:00Z","propensity":1.0}"#,
    ]

    /// Lines the fast path leaves to the parser (whatever the parser then makes of them).
    static let left: [String] = [
        "",
        "   ",
        #"{"user":"u","paper":"p","kind":"READ","at":"2026-03-10T09:00:00Z"}"#,
        #"{"user":"u","paper":"p","kind":"click","at":"2026-03-10T09:00:00Z"}"#,
        #"{"user":" u","paper":"p","kind":"read","at":"2026-03-10T09:00:00Z"}"#,
        #"{"user":"u ","paper":"p","kind":"read","at":"2026-03-10T09:00:00Z"}"#,
        #"{"user":"","paper":"p","kind":"read","at":"2026-03-10T09:00:00Z"}"#,
        #"{"user":12,"paper":"p","kind":"read","at":"2026-03-10T09:00:00Z"}"#,
        #"{"user":"u\u0031","paper":"p","kind":"read","at":"2026-03-10T09:00:00Z"}"#,
        #"{"user":"José","paper":"p","kind":"read","at":"2026-03-10T09:00:00Z"}"#,
        #"{"user":"u","paper":"p","kind":"read","at":"2026-03-16T00:00:00Z"}"#,
        #"{"user":"u","paper":"p","kind":"read","at":"yesterday"}"#,
        #"{"user":"u","paper":"p","kind":"read","at":" 2026-03-10"}"#,
        #"{"user":"u","paper":"p","kind":"read","at":20260310}"#,
        #"{"user":"u","paper":"p","kind":"read"}"#,
        #"{"paper":"p","kind":"read","at":"2026-03-10T09:00:00Z"}"#,
        #"{"user":"u","paper":"p","kind":"read","at":"2026-03-10T09:00:00Z","position":0}"#,
        #"{"user":"u","paper":"p","kind":"read","at":"2026-03-10T09:00:00Z","position":01}"#,
        #"{"user":"u","paper":"p","kind":"read","at":"2026-03-10T09:00:00Z","position":2.0}"#,
        #"{"user":"u","paper":"p","kind":"read","at":"2026-03-10T09:00:00Z","position":-3}"#,
        #"{"user":"u","paper":"p","kind":"read","at":"2026-03-10T09:00:00Z","position":"3"}"#,
        #"{"user":"u","paper":"p","kind":"read","at":"2026-03-10T09:00:00Z","position":1234567890}"#,
        #"{"user":"u","paper":"p","kind":"read","at":"2026-03-10T09:00:00Z","propensity":0}"#,
        #"{"user":"u","paper":"p","kind":"read","at":"2026-03-10T09:00:00Z","propensity":1.5}"#,
        #"{"user":"u","paper":"p","kind":"read","at":"2026-03-10T09:00:00Z","propensity":5e-1}"#,
        #"{"user":"u","paper":"p","kind":"read","at":"2026-03-10T09:00:00Z","propensity":"0.5"}"#,
        #"{"user":"u","paper":"p","kind":"read","at":"2026-03-10T09:00:00Z","list":7}"#,
        #"{"user":"u","paper":"p","kind":"read","at":"2026-03-10T09:00:00Z","list":["a"]}"#,
        #"{"user":"u","paper":"p","kind":"read","at":"2026-03-10T09:00:00Z","extra":{"a":1}}"#,
        #"{"user":"u","user":"v","paper":"p","kind":"read","at":"2026-03-10T09:00:00Z"}"#,
        #"{"user":"u","paper":"p","kind":"read","at":"2026-03-10T09:00:00Z"} x"#,
        #"{"user":"u","paper":"p","kind":"read","at":"2026-03-10T09:00:00Z""#,
        #"{"user":"u","paper":"p","ki"#,
        "\u{FEFF}" + #"{"user":"u","paper":"p","kind":"read","at":"2026-03-10T09:00:00Z"}"#,
        "{\"user\":\"u\u{0}\",\"paper\":\"p\",\"kind\":\"read\",\"at\":\"2026-03-10T09:00:00Z\"}",
        "{\"user\":\"u\tv\",\"paper\":\"p\",\"kind\":\"read\",\"at\":\"2026-03-10T09:00:00Z\"}",
        #"[{"user":"u"}]"#,
        #"{}"#,
    ]

    @Test func everyLineTakenIsReadTheSameByTheParser() throws {
        var lines = Self.taken
        // And a synthetic log, every line of which the fast path takes.
        let path = try Support.tempDirectory() + "/log.jsonl"
        var log = SyntheticFeedLog(events: 3000, seed: 9)
        log.start = Timestamp.parse("2026-03-01")!
        try log.write(to: path)
        let generated = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        lines += generated
        for line in lines {
            let fast = try #require(viaFastPath(line), "the fast path should take: \(line)")
            let parsed = try viaParser(line)
            #expect(parsed.issues.isEmpty, "\(line)")
            #expect(parsed.rows.map(\.row) == [fast], "\(line)")
        }
    }

    @Test func linesLeftAreTheParsersToDecide() throws {
        for line in Self.left {
            #expect(viaFastPath(line) == nil, "the fast path should leave: \(line)")
        }
        // Mutations of a good line: whatever the fast path takes, the parser reads the same.
        let base = Array(Self.taken[0].utf8)
        var generator = SeededGenerator(seed: 4)
        let alphabet = Array(#" "{}:,.-0123456789eE\azZ"#.utf8) + [0, 9, 0xC3, 0xA9]
        for _ in 0..<3000 {
            var bytes = base
            for _ in 0..<(1 + Int(generator.next() % 3)) {
                let at = Int(generator.next() % UInt64(bytes.count))
                switch generator.next() % 3 {
                case 0: bytes[at] = alphabet[Int(generator.next() % UInt64(alphabet.count))]
                case 1: bytes.remove(at: at)
                default: bytes.insert(alphabet[Int(generator.next() % UInt64(alphabet.count))], at: at)
                }
            }
            let line = String(decoding: bytes, as: UTF8.self)
            guard !bytes.contains(10), let fast = bytes.withUnsafeBufferPointer({ EventFastPath.event($0, 0..<bytes.count, limit: Self.limit) })
            else { continue }
            let parsed = try EventParser.parse(file: InputFile(path: "x", inflated: bytes + [10]), format: .jsonl, options: Support.options)
            #expect(parsed.issues.isEmpty && parsed.rows.map(\.row) == [fast], "\(line)")
        }
    }

    @Test func wholeFilesParseTheSameWithAndWithoutTheFastPath() throws {
        let mixed = try InputFile(path: Support.fixture("events-mixed.jsonl"))
        var text = (Self.taken + Self.left).joined(separator: "\n") + "\n"
        text += String(decoding: mixed.bytes, as: UTF8.self)
        let file = InputFile(path: "all.jsonl", inflated: Array(text.utf8))
        let plain = try EventParser.parse(file: file, format: .jsonl, options: Support.options)
        let fast = try EventParser.parseJSONLines(file: file, options: Support.options)
        #expect(fast.rows.map(\.line) == plain.rows.map(\.line))
        #expect(fast.rows.map(\.row) == plain.rows.map(\.row))
        #expect(fast.issues == plain.issues)
        #expect(plain.rows.count >= Self.taken.count && !plain.issues.isEmpty)
    }
}
