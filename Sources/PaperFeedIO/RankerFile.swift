import Foundation
import PaperFeedCore

/// The file of a learned ranker (`ranker.json` in a model folder): one header line, then the
/// payload (the ranker as JSON) exactly as written.
///
///     {"format":"paperfeed-ranker","format_version":1,"payload_bytes":N,"payload_sha256":"…"}
///     {…payload…}
///
/// The header's checksum covers the payload bytes, so a truncated or edited file is refused by
/// name; the file is written atomically (temp file + rename), so a reader sees the old ranker or
/// the new one. The payload's meaning is the Ranking module's (`LearnedRanker`).
public enum RankerFile {
    public static let format = "paperfeed-ranker"
    public static let formatVersion = 1
    public static let fileName = "ranker.json"

    struct Header: Codable {
        var format: String
        var formatVersion: Int
        var payloadBytes: Int
        var payloadSha256: String
    }

    /// The file's bytes for a payload: header line, then the payload.
    public static func data(payload: Data) throws -> Data {
        let header = Header(format: format, formatVersion: formatVersion, payloadBytes: payload.count,
                            payloadSha256: SHA256.hash(Array(payload)).hexString)
        let e = JSONEncoder()
        e.keyEncodingStrategy = .convertToSnakeCase
        e.outputFormatting = [.sortedKeys]
        var data = try e.encode(header)
        data.append(10)
        data.append(payload)
        return data
    }

    public static func write(payload: Data, to path: String) throws {
        try AtomicFile.write(data(payload: payload), to: path)
    }

    /// The payload of the ranker file at `path`, after checking its header and checksum.
    public static func read(path: String) throws -> Data {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { throw IOError.fileNotFound(path) }
        guard !isDirectory.boolValue else { throw IOError.isDirectory(path) }
        guard let data = FileManager.default.contents(atPath: path) else { throw IOError.unreadable(path, reason: "permission denied?") }
        return try payload(of: data, path: path)
    }

    /// The payload of ranker-file bytes (`path` names them in errors), after checking the header
    /// and checksum.
    public static func payload(of data: Data, path: String) throws -> Data {
        guard let newline = data.firstIndex(of: 10) else {
            throw IOError.badHeader(path, reason: "no header line; not a PaperFeed ranker file (write one with paperfeed learn)")
        }
        let d = JSONDecoder()
        d.keyDecodingStrategy = .convertFromSnakeCase
        guard let header = try? d.decode(Header.self, from: data[data.startIndex..<newline]), header.format == format else {
            throw IOError.badHeader(path, reason: "not a PaperFeed ranker file (write one with paperfeed learn)")
        }
        guard header.formatVersion == formatVersion else {
            throw IOError.badHeader(path, reason: "ranker file format \(header.formatVersion); this build reads \(formatVersion): run paperfeed learn again")
        }
        let payload = Data(data[(newline + 1)...])
        guard payload.count == header.payloadBytes else {
            throw IOError.unreadable(path, reason: "payload is \(payload.count) bytes, the header says \(header.payloadBytes) (truncated?); run paperfeed learn again")
        }
        let sum = SHA256.hash(Array(payload)).hexString
        guard sum == header.payloadSha256 else {
            throw IOError.unreadable(path, reason: "payload checksum \(sum.prefix(12))… does not match the header's \(header.payloadSha256.prefix(12))… (file changed?); run paperfeed learn again")
        }
        return payload
    }
}
