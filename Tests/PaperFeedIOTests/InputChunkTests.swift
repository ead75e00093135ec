import Foundation
import PaperFeedCore
import Testing

@testable import PaperFeedIO

/// `InputChunkReader`: chunks end on record boundaries, cover the file exactly once, number
/// lines as the whole file does, and report gzip problems as `InputFile` does.
@Suite struct InputChunkTests {
    func chunks(_ path: String, _ records: InputChunkReader.Records, _ size: Int) throws -> [InputChunk] {
        let reader = try InputChunkReader(path: path, records: records, chunkBytes: size)
        var out: [InputChunk] = []
        while let c = try reader.next() { out.append(c) }
        return out
    }

    @Test func lineChunksCoverTheFileOnBoundaries() throws {
        var text = ""
        for i in 0..<500 { text += "line \(i) " + String(repeating: "x", count: i % 37) + (i % 5 == 0 ? "\r\n" : "\n") }
        text += "last line without newline"
        let path = try Support.write("lines.txt", text)
        let file = try InputFile(path: path)
        for size in [1, 7, 100, 4096, 1 << 20] {
            let cs = try chunks(path, .lines, size)
            #expect(cs.flatMap(\.bytes) == file.bytes, "chunk size \(size)")
            #expect(cs.last?.isLast == true && cs.dropLast().allSatisfy { !$0.isLast && $0.bytes.last == 10 })
            // Line numbers continue from chunk to chunk and add up to the file's.
            var line = 1
            for c in cs {
                #expect(c.firstLine == line)
                line += c.lineCount
            }
            #expect(line - 1 == file.lines().count)
            // Every chunk but the last is at least the chunk size.
            #expect(cs.dropLast().allSatisfy { $0.bytes.count >= min(size, $0.bytes.count) && $0.bytes.count >= 1 })
            #expect(cs.map(\.end) == cs.map { $0.start + $0.bytes.count })
        }
    }

    @Test func csvChunksNeverSplitAQuotedField() throws {
        var text = "id,title,abstract\n"
        for i in 0..<200 {
            text += "p\(i),\"Title, \"\"quoted\"\" \(i)\",\"first line\nsecond line\n\nfourth \(i)\"\n"
        }
        let path = try Support.write("multi.csv", text)
        let whole = CSVReader.read(try InputFile(path: path)).records
        for size in [1, 13, 64, 1000] {
            let cs = try chunks(path, .csv, size)
            #expect(cs.flatMap(\.bytes) == Array(text.utf8))
            var records: [CSVRecord] = []
            for (k, c) in cs.enumerated() {
                // Each chunk parses on its own (with the header in front after the first).
                let bytes = (c.header ?? []) + c.bytes
                let shift = c.firstLine - 1 - c.headerLines
                var got = CSVReader.read(InputFile(path: path, inflated: bytes)).records
                if k > 0 { got.removeFirst() }
                records += got.map { CSVRecord(line: $0.line + shift, range: 0..<0, fields: $0.fields) }
            }
            #expect(records.map(\.fields) == whole.map(\.fields), "chunk size \(size)")
            #expect(records.map(\.line) == whole.map(\.line), "chunk size \(size)")
        }
    }

    @Test func gzipIsInflatedAsItIsReadAcrossMembers() throws {
        let a = String(repeating: "alpha line\n", count: 3000), b = String(repeating: "beta line\n", count: 2000) + "tail"
        let path = try Support.write("two.gz", bytes: try Support.gzip(Array(a.utf8)) + Support.gzip(Array(b.utf8)) + [0, 0, 0])
        let cs = try chunks(path, .lines, 5000)
        #expect(cs.count > 4)
        #expect(cs.flatMap(\.bytes) == Array((a + b).utf8))
        #expect(cs.reduce(0) { $0 + $1.lineCount } == 5001)
    }

    @Test func gzipProblemsAreTheFileErrorsOfInputFile() throws {
        let text = String(repeating: "{\"id\": \"x\", \"title\": \"some text to compress\"}\n", count: 5000)
        let gz = try Support.gzip(Array(text.utf8))
        let cut = try Support.write("cut.jsonl.gz", bytes: Array(gz[0..<(gz.count / 2)]))
        #expect(throws: IOError.truncatedGzip(cut)) { _ = try chunks(cut, .lines, 4096) }
        let garbage = try Support.write("garbage.gz", bytes: gz + Array("junk".utf8))
        #expect {
            _ = try chunks(garbage, .lines, 4096)
        } throws: { error in
            if case IOError.corruptGzip(let p, _) = error { return p == garbage }
            return false
        }
        let empty = try Support.write("empty.gz", bytes: try Support.gzip([]))
        #expect(throws: IOError.emptyFile(empty)) { _ = try chunks(empty, .lines, 4096) }
        let nothing = try Support.write("nothing.jsonl", bytes: [])
        #expect(throws: IOError.emptyFile(nothing)) { _ = try chunks(nothing, .lines, 4096) }
        #expect(throws: IOError.fileNotFound("/no/such/file")) { _ = try chunks("/no/such/file", .lines, 4096) }
    }

    @Test func stopAtForcesABoundaryAndFingerprintsArePrefixFingerprints() throws {
        let text = (0..<300).map { "row \($0)\n" }.joined()
        let path = try Support.write("rows.txt", text)
        let plain = try chunks(path, .lines, 100)
        let stop = plain[3].end
        let reader = try InputChunkReader(path: path, records: .lines, chunkBytes: 1000)
        reader.stopAt = stop
        var ends: [Int] = []
        var fingerprint = ""
        while let c = try reader.next() {
            ends.append(c.end)
            if c.end == stop { fingerprint = c.fingerprint }
        }
        #expect(ends.contains(stop))
        // The fingerprint of a prefix does not depend on how it was cut.
        #expect(fingerprint == plain[3].fingerprint)
        #expect(plain[3].fingerprint != plain[4].fingerprint)
    }
}
