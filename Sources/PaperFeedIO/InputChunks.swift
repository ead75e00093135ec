import Foundation

/// A run of whole records of an input file (lines, or CSV records), with where it sits.
struct InputChunk: Sendable {
    /// The chunk's bytes (inflated when the file is gzip): every non-last chunk ends with `\n`.
    var bytes: [UInt8]
    /// 1-based number of the chunk's first line in the file.
    var firstLine: Int
    /// Lines the chunk covers (the next chunk starts at `firstLine + lineCount`).
    var lineCount: Int
    /// Byte range in the (inflated) file.
    var start: Int
    var end: Int
    var isLast: Bool
    /// `InputFingerprint` of the file's bytes `0 ..< end`.
    var fingerprint: String
    /// CSV files: the header record of the file (with its line end) and its number of lines,
    /// for chunks after the first (which lack it).
    var header: [UInt8]?
    var headerLines = 0
}

/// Reads a file in chunks of about `chunkBytes` bytes that end on record boundaries, so that
/// each chunk parses on its own and memory stays bounded by the chunk size, not the file.
///
/// Rules (those of `InputFile`, streamed): a missing path, a directory or an empty file (also a
/// gzip stream that inflates to nothing) is an error before any chunk; gzip is recognised by
/// its magic bytes and inflated as it is read (all members; zero padding after the last one is
/// ignored); a cut-off or corrupt gzip stream is an error when reading reaches it. A chunk ends
/// at the first record boundary at or after `chunkBytes` (an LF; for CSV, an LF outside
/// quotes, by the rules of `CSVReader`), or exactly at `stopAt` when that is set. A record
/// longer than `maxRecordBytes` (an unclosed quote, usually) is a file-level error.
final class InputChunkReader {
    enum Records { case lines, csv }

    static let maxRecordBytes = 256 << 20
    private static let readBlock = 1 << 20

    let path: String
    let records: Records
    let chunkBytes: Int
    /// A boundary the next chunks must not cross (the resume point of a partly applied file).
    var stopAt: Int?

    private let fd: Int32
    private var gzip: GzipStream?
    private var buffer: [UInt8] = []
    private var eof = false
    private var offset = 0
    private var line = 1
    private var fingerprint = InputFingerprint()
    private var emitted = false
    private var header: [UInt8]?
    private var headerLines = 0
    private var csv = CSVBoundaryScanner()
    private let readSpace: UnsafeMutablePointer<UInt8>

    init(path: String, records: Records, chunkBytes: Int) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { throw IOError.fileNotFound(path) }
        if isDirectory.boolValue { throw IOError.isDirectory(path) }
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw IOError.unreadable(path, reason: String(cString: strerror(errno))) }
        self.fd = fd
        self.path = path
        self.records = records
        self.chunkBytes = max(1, chunkBytes)
        readSpace = .allocate(capacity: Self.readBlock)
        // (If this throws, deinit closes the file and frees the buffer.)
        try fill(first: true)
    }

    deinit {
        close(fd)
        readSpace.deallocate()
    }

    /// The next chunk, or nil after the last one.
    func next() throws -> InputChunk? {
        if eof && buffer.isEmpty {
            if !emitted { throw IOError.emptyFile(path) }
            return nil
        }
        while true {
            var want = chunkBytes
            if let stop = stopAt, stop > offset { want = min(want, stop - offset) }
            if let stop = stopAt, stop > offset, buffer.count >= stop - offset {
                return emit(stop - offset, last: eof && buffer.count == stop - offset)
            }
            if let cut = boundary(atLeast: want) { return emit(cut, last: eof && cut == buffer.count) }
            if eof { return emit(buffer.count, last: true) }
            if buffer.count > Self.maxRecordBytes {
                throw IOError.unreadable(
                    path,
                    reason: "line \(line): a record longer than \(Self.maxRecordBytes >> 20) MiB (an unclosed quote?); fix or split the file")
            }
            try fill(first: false)
        }
    }

    private func emit(_ count: Int, last: Bool) -> InputChunk {
        let bytes = Array(buffer[0..<count])
        buffer.removeSubrange(0..<count)
        csv = CSVBoundaryScanner()
        var lines = bytes.withUnsafeBufferPointer { b in b.reduce(0) { $0 + ($1 == 10 ? 1 : 0) } }
        if last, let final = bytes.last, final != 10 { lines += 1 }
        fingerprint.update(bytes)
        var chunk = InputChunk(
            bytes: bytes, firstLine: line, lineCount: lines, start: offset, end: offset + count, isLast: last,
            fingerprint: fingerprint.value)
        if records == .csv {
            if emitted {
                chunk.header = header
                chunk.headerLines = headerLines
            } else {
                (header, headerLines) = CSVBoundaryScanner.firstRecord(bytes)
            }
        }
        emitted = true
        offset += count
        line += lines
        return chunk
    }

    /// Length of the shortest prefix of `buffer` that is at least `want` bytes (when the buffer
    /// is long enough) and ends on a record boundary; nil if the buffer holds no such prefix yet.
    private func boundary(atLeast want: Int) -> Int? {
        guard buffer.count >= want else { return nil }
        switch records {
        case .lines:
            return buffer.withUnsafeBufferPointer { b -> Int? in
                var i = want - 1
                while i < b.count {
                    if b[i] == 10 { return i + 1 }
                    i += 1
                }
                return nil
            }
        case .csv:
            return buffer.withUnsafeBufferPointer { b in csv.scan(b, atLeast: want, atEnd: eof) }
        }
    }

    /// Reads one block (inflating gzip) into `buffer`; sets `eof` at the end of the file.
    private func fill(first: Bool) throws {
        let n = read(fd, readSpace, Self.readBlock)
        if n < 0 { throw IOError.unreadable(path, reason: String(cString: strerror(errno))) }
        let block = UnsafeBufferPointer(start: readSpace, count: n)
        if first {
            if n == 0 { throw IOError.emptyFile(path) }
            if n >= 2 && block[0] == 0x1f && block[1] == 0x8b { gzip = try GzipStream(path: path) }
        }
        if n == 0 {
            eof = true
            try gzip?.finish()
            if buffer.isEmpty && !emitted { throw IOError.emptyFile(path) }
            return
        }
        if let gzip { try gzip.inflate(block, into: &buffer) } else { buffer.append(contentsOf: block) }
    }
}

/// Finds CSV record boundaries with the state machine of `CSVReader.read`: a quote at the start
/// of a field opens a quoted field, `""` inside it is a quote, and only an LF outside quotes
/// ends a record. It keeps its place, so growing the buffer does not rescan it.
struct CSVBoundaryScanner {
    private enum State { case fieldStart, unquoted, quoted, afterQuote }
    private var state = State.fieldStart
    private var position = 0

    /// End (exclusive) of the first record that ends at or after `want`, or nil.
    mutating func scan(_ b: UnsafeBufferPointer<UInt8>, atLeast want: Int, atEnd: Bool) -> Int? {
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), lf = UInt8(10)
        var i = position
        defer { position = i }
        while i < b.count {
            let c = b[i]
            switch state {
            case .fieldStart, .unquoted, .afterQuote:
                if c == lf {
                    state = .fieldStart
                    i += 1
                    if i >= want { return i }
                    continue
                }
                if c == comma {
                    state = .fieldStart
                } else if state == .fieldStart && c == quote {
                    state = .quoted
                } else if state == .fieldStart {
                    state = .unquoted
                }
                i += 1
            case .quoted:
                if c == quote {
                    // `""` stays inside the field; the lookahead may need more bytes.
                    if i + 1 >= b.count && !atEnd { return nil }
                    if i + 1 < b.count && b[i + 1] == quote {
                        i += 2
                        continue
                    }
                    state = .afterQuote
                }
                i += 1
            }
        }
        return nil
    }

    /// The first non-blank record of a file's first chunk (the CSV header), with its line end,
    /// and the number of lines it spans. Blank records (`CSVReader` skips them) are passed over.
    static func firstRecord(_ bytes: [UInt8]) -> ([UInt8], Int) {
        bytes.withUnsafeBufferPointer { b in
            var start = 0
            while start < b.count {
                var scanner = CSVBoundaryScanner()
                let end = scanner.scan(UnsafeBufferPointer(rebasing: b[start...]), atLeast: 1, atEnd: true).map { start + $0 } ?? b.count
                var stop = end
                if stop > start && b[stop - 1] == 10 { stop -= 1 }
                if stop > start && b[stop - 1] == 13 { stop -= 1 }
                if stop > start {
                    let record = b[start..<end]
                    return (Array(record), record.reduce(0) { $0 + ($1 == 10 ? 1 : 0) })
                }
                start = end
            }
            return ([], 0)
        }
    }
}
