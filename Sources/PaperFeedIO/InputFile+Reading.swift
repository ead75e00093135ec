import CZlib
import Foundation

/// The bytes of one input file.
///
/// Rules:
/// - a missing path is `IOError.fileNotFound`, a directory `IOError.isDirectory`, a file of
///   zero bytes (or a gzip stream that inflates to zero bytes) `IOError.emptyFile`;
/// - gzip is detected by its magic bytes `1f 8b` (never by the extension) and inflated with
///   zlib; concatenated members (`cat a.gz b.gz`) are all read; a stream cut short is
///   `IOError.truncatedGzip`, anything else zlib rejects is `IOError.corruptGzip`;
/// - a UTF-8 byte-order mark (`EF BB BF`) at the start of the (inflated) content is dropped, so
///   every text format (JSONL, CSV, Daily Papers text, LDA-C corpora) accepts it; a file that is
///   only a BOM is empty.
///
/// All raw-pointer work of the IO module (zlib) stays inside this file and its streaming twin
/// `GzipStream.swift` (SQLite's C API: `SQLiteStatement.swift`).
public struct InputFile: Sendable {
    /// The path as given (used verbatim in `RowIssue.file`).
    public let path: String
    /// The file's content, inflated when it was gzip.
    public let bytes: [UInt8]
    /// Whether the file on disk was gzip-compressed.
    public let wasGzip: Bool

    /// Reads (and, for gzip, inflates) the file at `path`.
    public init(path: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw IOError.fileNotFound(path)
        }
        if isDirectory.boolValue { throw IOError.isDirectory(path) }
        let raw: [UInt8]
        do {
            raw = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path), options: .mappedIfSafe))
        } catch {
            throw IOError.unreadable(path, reason: error.localizedDescription)
        }
        try self.init(path: path, contents: raw)
    }

    /// Wraps bytes already in memory (tests, stdin); gzip is inflated as for files.
    public init(path: String, contents raw: [UInt8]) throws {
        guard !raw.isEmpty else { throw IOError.emptyFile(path) }
        self.path = path
        var content: [UInt8]
        if raw.count >= 2 && raw[0] == 0x1f && raw[1] == 0x8b {
            content = try Gzip.inflate(raw, path: path)
            wasGzip = true
        } else {
            content = raw
            wasGzip = false
        }
        if content.count >= 3 && content[0] == 0xEF && content[1] == 0xBB && content[2] == 0xBF { content.removeFirst(3) }
        if content.isEmpty { throw IOError.emptyFile(path) }
        bytes = content
    }
}

/// zlib inflation of gzip data (RFC 1952), all members.
enum Gzip {
    static func inflate(_ input: [UInt8], path: String) throws -> [UInt8] {
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        defer {
            CZlib.inflateEnd(stream)
            stream.deinitialize(count: 1)
            stream.deallocate()
        }
        // windowBits 15 + 32: maximal window, automatic zlib/gzip header detection.
        guard inflateInit2_(stream, 15 + 32, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw IOError.corruptGzip(path, reason: "zlib could not be initialised")
        }
        var output: [UInt8] = []
        output.reserveCapacity(input.count * 4)
        let chunkSize = 1 << 18
        let chunk = UnsafeMutablePointer<UInt8>.allocate(capacity: chunkSize)
        defer { chunk.deallocate() }

        try input.withUnsafeBufferPointer { inBuffer in
            guard let base = inBuffer.baseAddress else { return }
            stream.pointee.next_in = UnsafeMutablePointer(mutating: base)
            stream.pointee.avail_in = uInt(inBuffer.count)
            while true {
                stream.pointee.next_out = chunk
                stream.pointee.avail_out = uInt(chunkSize)
                let status = CZlib.inflate(stream, Z_NO_FLUSH)
                let produced = chunkSize - Int(stream.pointee.avail_out)
                if produced > 0 { output.append(contentsOf: UnsafeBufferPointer(start: chunk, count: produced)) }
                switch status {
                case Z_OK:
                    continue
                case Z_STREAM_END:
                    let remaining = Int(stream.pointee.avail_in)
                    if remaining == 0 { return }
                    let offset = inBuffer.count - remaining
                    // Another member follows: start over on it.
                    if remaining >= 2 && inBuffer[offset] == 0x1f && inBuffer[offset + 1] == 0x8b {
                        guard CZlib.inflateReset(stream) == Z_OK else {
                            throw IOError.corruptGzip(path, reason: "cannot restart zlib for the next member")
                        }
                        continue
                    }
                    // Zero padding after the last member (tape/blocked writers) is harmless.
                    if inBuffer[offset...].allSatisfy({ $0 == 0 }) { return }
                    throw IOError.corruptGzip(path, reason: "\(remaining) bytes of garbage after the gzip stream at byte \(offset)")
                case Z_BUF_ERROR where stream.pointee.avail_in == 0:
                    throw IOError.truncatedGzip(path)
                default:
                    let message = stream.pointee.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                    throw IOError.corruptGzip(path, reason: message)
                }
            }
        }
        return output
    }
}
