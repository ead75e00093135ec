import Foundation
import PaperFeedCore
import PaperFeedEvaluation
import Testing

/// Issue 15, defect 5 (TREC files): a BOM at the start of a qrels or run file made the first
/// reader `\u{FEFF}u1` (dropped from every evaluation); invalid UTF-8 decoded to U+FFFD merged
/// different readers; control characters hid inside ids. All were accepted before the fix.
@Suite struct TrecReliabilityTests {
    let bom: [UInt8] = [0xEF, 0xBB, 0xBF]

    func qrels(_ bytes: [UInt8]) throws -> Qrels {
        let path = NSTemporaryDirectory() + "pf-trec-\(UUID().uuidString)"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return try TrecFormat.readQrels(path: path)
    }

    @Test func aByteOrderMarkIsSkipped() throws {
        let q = try qrels(bom + Array("u1 0 a 1\nu2 0 b 2\n".utf8))
        #expect(q.users == ["u1", "u2"])
        let run = try TrecFormat.parseRun(String(decoding: bom + Array("u1 Q0 a 1 0.5 t\n".utf8), as: UTF8.self))
        #expect(run.lists.keys.sorted() == ["u1"])
    }

    @Test func controlCharactersAndInvalidUTF8AreErrors() throws {
        #expect { _ = try qrels(Array("u1 0 a 1\nu\u{0}2 0 b 1\n".utf8)) } throws: { e in
            guard case let .malformedLine(_, line, field, message) = e as? EvaluationError else { return false }
            return line == 2 && field == "1 (user)" && message.hasPrefix("control character U+0000")
        }
        #expect(throws: EvaluationError.self) { _ = try qrels(Array("u1 0 a\u{7f} 1\n".utf8)) }
        // "u\xff" and "u\xfe" would both decode to "u\u{FFFD}": one reader from two.
        #expect { _ = try qrels(Array("u".utf8) + [0xFF] + Array(" 0 a 1\n".utf8)) } throws: { e in
            guard case let .malformedLine(_, line, field, message) = e as? EvaluationError else { return false }
            return line == 1 && field == "line" && message.hasPrefix("invalid UTF-8 at byte 2")
        }
        // Vertical tab and form feed separate fields, as in trec_eval.
        #expect(try qrels(Array("u1\u{0B}0\u{0C}a 1\n".utf8)).grade(user: "u1", paper: "a") == 1)
        // Valid non-ASCII ids are fine.
        #expect(try qrels(Array("é 0 ü 2\n".utf8)).grade(user: "é", paper: "ü") == 2)
    }
}
