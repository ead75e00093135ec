import CZlib
import Foundation

extension AtomicFile {
    /// `data` compressed to the gzip format (RFC 1952; zlib `deflate` with window bits 15 + 16,
    /// default level), written atomically to `path`. Readable by `gzip -d` and `InputFile`.
    public static func writeGzip(_ data: Data, to path: String) throws {
        try write(gzip(data), to: path)
    }

    static func gzip(_ data: Data) throws -> Data {
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        defer { stream.deallocate() }
        guard deflateInit2_(stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, zlibVersion(),
                            Int32(MemoryLayout<z_stream>.size)) == Z_OK
        else { throw IOError.unreadable("<gzip>", reason: "zlib deflateInit2 failed") }
        defer { deflateEnd(stream) }
        var input = [UInt8](data)
        var out = Data()
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        let status: Int32 = input.withUnsafeMutableBufferPointer { inBuf in
            stream.pointee.next_in = inBuf.baseAddress
            stream.pointee.avail_in = uInt(inBuf.count)
            var rc: Int32 = Z_OK
            repeat {
                rc = chunk.withUnsafeMutableBufferPointer { outBuf -> Int32 in
                    stream.pointee.next_out = outBuf.baseAddress
                    stream.pointee.avail_out = uInt(outBuf.count)
                    let r = deflate(stream, Z_FINISH)
                    out.append(outBuf.baseAddress!, count: outBuf.count - Int(stream.pointee.avail_out))
                    return r
                }
            } while rc == Z_OK
            return rc
        }
        guard status == Z_STREAM_END else { throw IOError.unreadable("<gzip>", reason: "zlib deflate failed (\(status))") }
        return out
    }
}
