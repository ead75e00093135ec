import Foundation
import PaperFeedCore
import Testing

@testable import PaperFeedIO

@Suite struct InputFileTests {
    @Test func missingPathIsFileNotFound() throws {
        let path = try Support.tempDirectory() + "/nope.jsonl"
        #expect(throws: IOError.fileNotFound(path)) { try InputFile(path: path) }
        #expect(throws: IOError.fileNotFound(path)) { try PaperParser.parse(path: path, format: .jsonl, options: Support.options) }
    }

    @Test func directoryIsRejected() throws {
        let dir = try Support.tempDirectory()
        #expect(throws: IOError.isDirectory(dir)) { try PaperParser.parse(path: dir, format: .jsonl, options: Support.options) }
    }

    @Test func emptyFileIsRejected() throws {
        let path = try Support.write("empty.jsonl", bytes: [])
        #expect(throws: IOError.emptyFile(path)) { try EventParser.parse(path: path, format: .jsonl, options: Support.options) }
    }

    @Test func gzipIsDetectedByMagicBytesAndMultiMemberIsRead() throws {
        let a = try Support.gzip(Array("line one\r\nline two\n".utf8))
        let b = try Support.gzip(Array("line three".utf8))
        let path = try Support.write("no-extension.dat", bytes: a + b)
        let file = try InputFile(path: path)
        #expect(file.wasGzip)
        let lines = file.lines()
        #expect(lines.map { file.text($0.range) } == ["line one", "line two", "line three"])
        #expect(lines.map(\.number) == [1, 2, 3])
    }

    @Test func truncatedGzipIsReported() throws {
        let text = String(repeating: "{\"id\": \"x\", \"title\": \"some text to compress\"}\n", count: 500)
        let gz = try Support.gzip(Array(text.utf8))
        let path = try Support.write("cut.jsonl.gz", bytes: Array(gz[0..<(gz.count / 2)]))
        #expect(throws: IOError.truncatedGzip(path)) { try PaperParser.parse(path: path, format: .jsonl, options: Support.options) }
        // Cut inside the 8-byte trailer as well.
        let path2 = try Support.write("cut2.gz", bytes: Array(gz.dropLast(3)))
        #expect(throws: IOError.truncatedGzip(path2)) { try InputFile(path: path2) }
    }

    @Test func garbageAfterMagicIsCorrupt() throws {
        let path = try Support.write("bad.gz", bytes: [0x1f, 0x8b, 0x08, 0x00, 0xde, 0xad, 0xbe, 0xef, 0x00, 0x03, 0xff, 0xff, 0xff, 0x12])
        #expect {
            try InputFile(path: path)
        } throws: { error in
            if case IOError.corruptGzip(let p, _) = error { return p == path }
            return false
        }
    }

    @Test func invalidUTF8IsReportedWithByteOffset() throws {
        let bytes = Array("{\"id\": \"a\", \"title\": \"ok\", \"abstract\": \"x\"}\n".utf8) + Array("{\"id\": \"b\", \"title\": \"".utf8)
            + [0xC3, 0x28] + Array("\"}\n".utf8)
        let path = try Support.write("utf8.jsonl", bytes: bytes)
        let parsed = try PaperParser.parse(path: path, format: .jsonl, options: Support.options)
        #expect(parsed.rows.count == 1)
        #expect(parsed.issues.map(\.description) == ["\(path):2: line: invalid UTF-8 at byte 23"])
    }

    @Test func utf8CheckerAcceptsValidAndRejectsOverlongAndSurrogates() {
        let valid = Array("héllo 中文 😀".utf8)
        #expect(UTF8Check.firstInvalid(valid, 0..<valid.count) == nil)
        let overlong: [UInt8] = [0x41, 0xC0, 0xAF]
        #expect(UTF8Check.firstInvalid(overlong, 0..<3) == 1)
        let surrogate: [UInt8] = [0xED, 0xA0, 0x80]
        #expect(UTF8Check.firstInvalid(surrogate, 0..<3) == 0)
        let cut: [UInt8] = [0x41, 0xE4, 0xB8]
        #expect(UTF8Check.firstInvalid(cut, 0..<3) == 1)
    }

    @Test func formatInferenceByExtension() {
        #expect(PaperFormat.infer(path: "a/b.jsonl.gz") == .jsonl)
        #expect(PaperFormat.infer(path: "b.json") == .jsonl)
        #expect(PaperFormat.infer(path: "b.CSV") == .csv)
        #expect(PaperFormat.infer(path: "page.txt") == .dailypapers)
        #expect(PaperFormat.infer(path: "x.dat") == nil)
        #expect(EventFormat.infer(path: "e.csv.gz") == .csv)
    }
}
