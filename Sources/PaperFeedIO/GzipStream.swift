import CZlib

/// A fingerprint of a byte stream, updated chunk by chunk: zlib's CRC-32 of the bytes and their
/// count, `crc32-count` in hex. It tells a rerun whether the prefix of a file it is about to
/// skip is the one already applied (a changed file, not a forgery: CRC-32 misses one random
/// change in 2^32).
struct InputFingerprint {
    private var crc: UInt = 0
    private var count = 0

    mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { b in
            guard let base = b.baseAddress else { return }
            var p = base
            var left = b.count
            while left > 0 {
                let n = min(left, 1 << 30)
                crc = crc32(crc, p, uInt(n))
                p += n
                left -= n
            }
        }
        count += bytes.count
    }

    var value: String { String(crc, radix: 16) + "-" + String(count, radix: 16) }
}

/// Streaming gzip inflation (RFC 1952), all members, with the error rules of `Gzip.inflate`.
final class GzipStream {
    private let stream: UnsafeMutablePointer<z_stream>
    private let out: UnsafeMutablePointer<UInt8>
    private static let outSize = 1 << 18
    private let path: String
    private var memberEnded = false
    private var padding = false
    private var consumed = 0
    /// A first byte of a possible next member, waiting for the second.
    private var carry: UInt8?

    init(path: String) throws {
        self.path = path
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        out = .allocate(capacity: Self.outSize)
        guard inflateInit2_(stream, 15 + 32, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            stream.deallocate()
            out.deallocate()
            throw IOError.corruptGzip(path, reason: "zlib could not be initialised")
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
        out.deallocate()
    }

    /// Inflates `input` (the next raw bytes of the file), appending to `output`.
    func inflate(_ input: UnsafeBufferPointer<UInt8>, into output: inout [UInt8]) throws {
        if let c = carry {
            carry = nil
            try [c].withUnsafeBufferPointer { try inflateBytes($0, into: &output) }
        }
        try inflateBytes(input, into: &output)
    }

    private func inflateBytes(_ b: UnsafeBufferPointer<UInt8>, into output: inout [UInt8]) throws {
        var rest = b[...]
        while !rest.isEmpty {
            if padding {
                if let k = rest.firstIndex(where: { $0 != 0 }) {
                    throw IOError.corruptGzip(path, reason: "garbage after the gzip stream at byte \(consumed + k - rest.startIndex)")
                }
                consumed += rest.count
                return
            }
            if memberEnded {
                if rest.first == 0 {
                    padding = true
                    continue
                }
                if rest.count < 2 {
                    carry = rest.first
                    return
                }
                guard rest[rest.startIndex] == 0x1f && rest[rest.startIndex + 1] == 0x8b else {
                    throw IOError.corruptGzip(path, reason: "garbage after the gzip stream at byte \(consumed)")
                }
                guard inflateReset(stream) == Z_OK else {
                    throw IOError.corruptGzip(path, reason: "cannot restart zlib for the next member")
                }
                memberEnded = false
            }
            let slice = UnsafeBufferPointer(rebasing: rest)
            stream.pointee.next_in = UnsafeMutablePointer(mutating: slice.baseAddress)
            stream.pointee.avail_in = uInt(slice.count)
            repeat {
                stream.pointee.next_out = out
                stream.pointee.avail_out = uInt(Self.outSize)
                let status = CZlib.inflate(stream, Z_NO_FLUSH)
                let produced = Self.outSize - Int(stream.pointee.avail_out)
                if produced > 0 { output.append(contentsOf: UnsafeBufferPointer(start: out, count: produced)) }
                if status == Z_STREAM_END {
                    memberEnded = true
                    break
                }
                if status == Z_BUF_ERROR && stream.pointee.avail_in == 0 { break }
                guard status == Z_OK else {
                    let message = stream.pointee.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                    throw IOError.corruptGzip(path, reason: message)
                }
            } while stream.pointee.avail_in > 0 || stream.pointee.avail_out == 0
            let used = slice.count - Int(stream.pointee.avail_in)
            consumed += used
            rest = rest.dropFirst(used)
        }
    }

    /// At the end of the file: a member not finished is a truncated stream.
    func finish() throws {
        if carry != nil { throw IOError.corruptGzip(path, reason: "garbage after the gzip stream at byte \(consumed)") }
        if !memberEnded && !padding { throw IOError.truncatedGzip(path) }
    }
}
