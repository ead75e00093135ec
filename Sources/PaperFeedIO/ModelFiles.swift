import Foundation
import PaperFeedCore

/// Errors reading or writing model files. Each says which file and what to do.
public enum ModelFileError: Error, Equatable, CustomStringConvertible {
    case missingManifest(String)
    case unreadableManifest(String, reason: String)
    case unsupportedVersion(String, found: Int, supported: Int)
    case missingFile(String)
    case corruptHeader(String, reason: String)
    case truncated(String, expectedBytes: Int, actualBytes: Int)
    case checksumMismatch(String, expected: String, actual: String)
    case shapeMismatch(String, reason: String)

    public var description: String {
        switch self {
        case .missingManifest(let d): return "\(d): no manifest.json; fit a model first (paperfeed fit --model \(d))"
        case .unreadableManifest(let p, let r): return "\(p): manifest is not valid: \(r); refit the model"
        case .unsupportedVersion(let p, let f, let s):
            return "\(p): model format version \(f), this build reads version \(s); refit the model with this build"
        case .missingFile(let p): return "\(p): listed in the manifest but missing; the model folder is incomplete, refit"
        case .corruptHeader(let p, let r): return "\(p): not a PaperFeed array file (\(r)); refit the model"
        case .truncated(let p, let e, let a): return "\(p): truncated: \(a) bytes, expected \(e); refit the model"
        case .checksumMismatch(let p, let e, let a):
            return "\(p): checksum \(a.prefix(12))… does not match the manifest's \(e.prefix(12))…; the file is corrupt or from another fit, refit"
        case .shapeMismatch(let p, let r): return "\(p): \(r)"
        }
    }
}

/// Model folders: `manifest.json` plus one `NAME.f32` file per array and `NAME.txt` per list.
///
/// Array file layout (little-endian): magic `PFARRAY1` (8 bytes), UInt32 rank, rank × UInt64
/// dimensions, then the Float32 values row-major. Lists are UTF-8 lines. The manifest holds
/// the format version, creation time, parameters, seed, checksums of the vocabulary and the
/// corpus, the document count, and the shape and SHA-256 of every file. Every file is written
/// atomically (temp + rename) and the manifest last, so a folder with a manifest is complete.
public enum ModelFiles {
    static let magic = Array("PFARRAY1".utf8)

    struct Manifest: Codable {
        struct Entry: Codable {
            var name: String
            var file: String
            var shape: [Int]
            var sha256: String
        }
        var formatVersion: Int
        var kind: String
        var createdAt: String
        var parameters: [String: String]
        var seed: UInt64
        var documentCount: Int
        var vocabularySHA256: String
        var corpusSHA256: String
        var arrays: [Entry]
        var lists: [Entry]
    }

    public static func save(_ artifact: ModelArtifact, to directory: String) throws {
        let dir = URL(fileURLWithPath: directory)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        var arrays: [Manifest.Entry] = []
        for name in artifact.arrays.keys.sorted() {
            let a = artifact.arrays[name]!
            let bytes = encode(a)
            try AtomicFile.write(Data(bytes), to: dir.appendingPathComponent("\(name).f32").path)
            arrays.append(.init(name: name, file: "\(name).f32", shape: a.shape, sha256: SHA256.hex(bytes)))
        }
        var lists: [Manifest.Entry] = []
        for name in artifact.lists.keys.sorted() {
            let items = artifact.lists[name]!
            let bytes = Array(items.joined(separator: "\n").utf8)
            try AtomicFile.write(Data(bytes), to: dir.appendingPathComponent("\(name).txt").path)
            lists.append(.init(name: name, file: "\(name).txt", shape: [items.count], sha256: SHA256.hex(bytes)))
        }
        let manifest = Manifest(
            formatVersion: ModelArtifact.formatVersion, kind: artifact.kind, createdAt: artifact.createdAt,
            parameters: artifact.parameters, seed: artifact.seed, documentCount: artifact.documentCount,
            vocabularySHA256: artifact.vocabularySHA256, corpusSHA256: artifact.corpusSHA256, arrays: arrays, lists: lists)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try AtomicFile.write(try encoder.encode(manifest), to: dir.appendingPathComponent("manifest.json").path)
    }

    public static func load(from directory: String) throws -> ModelArtifact {
        let dir = URL(fileURLWithPath: directory)
        let manifestPath = dir.appendingPathComponent("manifest.json").path
        guard let data = FileManager.default.contents(atPath: manifestPath) else { throw ModelFileError.missingManifest(directory) }
        let manifest: Manifest
        do {
            let version = try JSONDecoder().decode(VersionOnly.self, from: data).formatVersion
            guard version == ModelArtifact.formatVersion else {
                throw ModelFileError.unsupportedVersion(manifestPath, found: version, supported: ModelArtifact.formatVersion)
            }
            manifest = try JSONDecoder().decode(Manifest.self, from: data)
        } catch let e as ModelFileError {
            throw e
        } catch {
            throw ModelFileError.unreadableManifest(manifestPath, reason: "\(error)")
        }
        var arrays: [String: FloatArray] = [:]
        for entry in manifest.arrays {
            let path = dir.appendingPathComponent(entry.file).path
            let bytes = try readChecked(path, sha256: entry.sha256)
            let a = try decode(bytes, path: path)
            guard a.shape == entry.shape else {
                throw ModelFileError.shapeMismatch(path, reason: "shape \(a.shape) but the manifest says \(entry.shape); refit")
            }
            arrays[entry.name] = a
        }
        var lists: [String: [String]] = [:]
        for entry in manifest.lists {
            let path = dir.appendingPathComponent(entry.file).path
            let bytes = try readChecked(path, sha256: entry.sha256)
            let text = String(decoding: bytes, as: UTF8.self)
            let items = entry.shape == [0] ? [] : text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            guard items.count == entry.shape.first else {
                throw ModelFileError.shapeMismatch(path, reason: "\(items.count) lines but the manifest says \(entry.shape.first ?? 0); refit")
            }
            lists[entry.name] = items
        }
        return ModelArtifact(
            kind: manifest.kind, createdAt: manifest.createdAt, parameters: manifest.parameters, seed: manifest.seed,
            documentCount: manifest.documentCount, vocabularySHA256: manifest.vocabularySHA256,
            corpusSHA256: manifest.corpusSHA256, arrays: arrays, lists: lists)
    }

    private struct VersionOnly: Decodable { var formatVersion: Int }

    static func readChecked(_ path: String, sha256 expected: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else { throw ModelFileError.missingFile(path) }
        let bytes = [UInt8](data)
        let actual = SHA256.hex(bytes)
        guard actual == expected else {
            // A short file is reported as truncated rather than as a bare checksum failure.
            if path.hasSuffix(".f32"), let need = try? expectedSize(bytes, path: path), need != bytes.count {
                throw ModelFileError.truncated(path, expectedBytes: need, actualBytes: bytes.count)
            }
            throw ModelFileError.checksumMismatch(path, expected: expected, actual: actual)
        }
        return bytes
    }

    static func encode(_ a: FloatArray) -> [UInt8] {
        var out = magic
        out.reserveCapacity(12 + 8 * a.shape.count + 4 * a.values.count)
        withUnsafeBytes(of: UInt32(a.shape.count).littleEndian) { out.append(contentsOf: $0) }
        for d in a.shape { withUnsafeBytes(of: UInt64(d).littleEndian) { out.append(contentsOf: $0) } }
        a.values.withUnsafeBytes { raw in
            // Float32 is stored little-endian; every platform Swift runs on here is little-endian.
            out.append(contentsOf: raw)
        }
        return out
    }

    static func expectedSize(_ bytes: [UInt8], path: String) throws -> Int {
        guard bytes.count >= 12, Array(bytes[0..<8]) == magic else {
            throw ModelFileError.corruptHeader(path, reason: "missing PFARRAY1 magic")
        }
        let rank = Int(readLE(bytes, 8, UInt32.self))
        guard rank <= 8, bytes.count >= 12 + 8 * rank else { throw ModelFileError.corruptHeader(path, reason: "bad rank \(rank)") }
        var count = 1
        for i in 0..<rank {
            let d = readLE(bytes, 12 + 8 * i, UInt64.self)
            guard d < 1 << 40 else { throw ModelFileError.corruptHeader(path, reason: "bad dimension \(d)") }
            count *= Int(d)
        }
        return 12 + 8 * rank + 4 * count
    }

    static func decode(_ bytes: [UInt8], path: String) throws -> FloatArray {
        let need = try expectedSize(bytes, path: path)
        guard bytes.count == need else { throw ModelFileError.truncated(path, expectedBytes: need, actualBytes: bytes.count) }
        let rank = Int(readLE(bytes, 8, UInt32.self))
        let shape = (0..<rank).map { Int(readLE(bytes, 12 + 8 * $0, UInt64.self)) }
        let offset = 12 + 8 * rank
        let n = (need - offset) / 4
        var values = [Float](repeating: 0, count: n)
        values.withUnsafeMutableBytes { dst in
            bytes.withUnsafeBytes { src in
                dst.copyMemory(from: UnsafeRawBufferPointer(rebasing: src[offset..<need]))
            }
        }
        return FloatArray(shape: shape, values: values)
    }

    static func readLE<T: FixedWidthInteger>(_ bytes: [UInt8], _ offset: Int, _: T.Type) -> T {
        var v: T = 0
        for i in 0..<MemoryLayout<T>.size { v |= T(bytes[offset + i]) << (8 * i) }
        return v
    }
}
