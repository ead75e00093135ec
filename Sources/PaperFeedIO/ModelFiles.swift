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
    /// A value in an array file that is NaN or ±infinity (the checksum matched: it was written so).
    case nonFiniteValue(String, index: Int)
    /// `current` names a version folder that is not there or not complete.
    case badPointer(String, reason: String)

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
        case .nonFiniteValue(let p, let i): return "\(p): value \(i) is not a finite number (NaN or infinity); refit the model"
        case .badPointer(let p, let r): return "\(p): \(r); refit the model (paperfeed fit)"
        }
    }
}

/// Model version folders: `manifest.json` plus one `NAME.f32` file per array, `NAME.txt` per
/// list, and any attachments (files a later stage ties to this version, e.g. a learned ranker).
/// How versions are laid out in a model folder and switched atomically: `ModelFiles+Versions.swift`.
///
/// Array file layout (little-endian): magic `PFARRAY1` (8 bytes), UInt32 rank, rank × UInt64
/// dimensions, then the Float32 values row-major. Lists are UTF-8 lines. The manifest holds
/// the format version, creation time, parameters, seed, checksums of the vocabulary and the
/// corpus, the document count, and the shape and SHA-256 of every file.
///
/// Reading checks, before anything is allocated from a header: rank ≤ 8, each dimension
/// < 2^40, their product and the byte size computed with overflow checks and equal to the file's
/// size; every value finite (NaN or ±infinity is `nonFiniteValue`, even with a matching
/// checksum); file names in the manifest plain names inside the folder.
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
        /// Files tied to this version by a later stage (name, byte count as the shape, SHA-256);
        /// absent in manifests without attachments.
        var attachments: [Entry]?
    }

    /// The files of a version (name → bytes) and its manifest, as `save` writes them.
    static func files(of artifact: ModelArtifact, attachments: [String: Data]) throws -> (files: [(String, Data)], manifest: Data) {
        var files: [(String, Data)] = []
        var arrays: [Manifest.Entry] = []
        for name in artifact.arrays.keys.sorted() {
            let a = artifact.arrays[name]!
            let bytes = encode(a)
            files.append(("\(name).f32", Data(bytes)))
            arrays.append(.init(name: name, file: "\(name).f32", shape: a.shape, sha256: SHA256.hex(bytes)))
        }
        var lists: [Manifest.Entry] = []
        for name in artifact.lists.keys.sorted() {
            let items = artifact.lists[name]!
            let bytes = Array(items.joined(separator: "\n").utf8)
            files.append(("\(name).txt", Data(bytes)))
            lists.append(.init(name: name, file: "\(name).txt", shape: [items.count], sha256: SHA256.hex(bytes)))
        }
        var attached: [Manifest.Entry] = []
        for name in attachments.keys.sorted() {
            try checkAttachmentName(name, taken: files.map(\.0))
            let data = attachments[name]!
            files.append((name, data))
            attached.append(.init(name: name, file: name, shape: [data.count], sha256: SHA256.hex([UInt8](data))))
        }
        let manifest = Manifest(
            formatVersion: ModelArtifact.formatVersion, kind: artifact.kind, createdAt: artifact.createdAt,
            parameters: artifact.parameters, seed: artifact.seed, documentCount: artifact.documentCount,
            vocabularySHA256: artifact.vocabularySHA256, corpusSHA256: artifact.corpusSHA256, arrays: arrays, lists: lists,
            attachments: attached.isEmpty ? nil : attached)
        return (files, try encodeManifest(manifest))
    }

    static func encodeManifest(_ manifest: Manifest) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(manifest)
    }

    /// An attachment's file name: a plain name (letters, digits, `.`, `-`, `_`; not starting with
    /// `.`) that is not `manifest.json` nor a file of the model itself.
    static func checkAttachmentName(_ name: String, taken: [String]) throws {
        guard isPlainFileName(name), name != "manifest.json", !taken.contains(name) else {
            throw ModelFileError.badPointer(name, reason: "an attachment needs a plain file name other than manifest.json and the model's own files")
        }
    }

    /// A file name without a folder part: `[A-Za-z0-9._-]+`, not starting with `.`.
    static func isPlainFileName(_ name: String) -> Bool {
        guard let first = name.utf8.first, first != UInt8(ascii: "."), name.utf8.count <= 255 else { return false }
        return name.utf8.allSatisfy { c in
            (c >= 48 && c <= 57) || ((c | 0x20) >= 97 && (c | 0x20) <= 122) || c == UInt8(ascii: ".") || c == UInt8(ascii: "-")
                || c == UInt8(ascii: "_")
        }
    }

    /// Reads and checks the manifest of the version folder `directory` (`reportAs` names the
    /// model folder in a missing-manifest error).
    static func readManifest(_ directory: String, reportAs: String) throws -> Manifest {
        let manifestPath = URL(fileURLWithPath: directory).appendingPathComponent("manifest.json").path
        guard let data = FileManager.default.contents(atPath: manifestPath) else { throw ModelFileError.missingManifest(reportAs) }
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
        for entry in manifest.arrays + manifest.lists + (manifest.attachments ?? []) where !isPlainFileName(entry.file) {
            throw ModelFileError.unreadableManifest(manifestPath, reason: "file name \"\(entry.file)\" is not a plain name inside the model folder")
        }
        guard manifest.documentCount >= 0 else {
            throw ModelFileError.unreadableManifest(manifestPath, reason: "documentCount \(manifest.documentCount) is negative")
        }
        return manifest
    }

    /// Reads the model version in the folder `directory` (the folder holding manifest.json).
    static func loadVersion(_ directory: String, reportAs: String) throws -> ModelArtifact {
        let dir = URL(fileURLWithPath: directory)
        let manifest = try readManifest(directory, reportAs: reportAs)
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
        // Dimensions below 2^40 each, but their product (and the byte size) can still overflow:
        // every step is checked, and an overflow is a corrupt header, never a trap.
        var count = 1
        for i in 0..<rank {
            let d = readLE(bytes, 12 + 8 * i, UInt64.self)
            guard d < 1 << 40 else { throw ModelFileError.corruptHeader(path, reason: "bad dimension \(d)") }
            let (product, overflow) = count.multipliedReportingOverflow(by: Int(d))
            guard !overflow else { throw ModelFileError.corruptHeader(path, reason: "dimensions overflow the size of an array") }
            count = product
        }
        let (payload, o1) = count.multipliedReportingOverflow(by: 4)
        let (total, o2) = payload.addingReportingOverflow(12 + 8 * rank)
        guard !o1, !o2 else { throw ModelFileError.corruptHeader(path, reason: "dimensions overflow the size of an array") }
        return total
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
        if let bad = values.firstIndex(where: { !$0.isFinite }) { throw ModelFileError.nonFiniteValue(path, index: bad) }
        return FloatArray(shape: shape, values: values)
    }

    static func readLE<T: FixedWidthInteger>(_ bytes: [UInt8], _ offset: Int, _: T.Type) -> T {
        var v: T = 0
        for i in 0..<MemoryLayout<T>.size { v |= T(bytes[offset + i]) << (8 * i) }
        return v
    }
}
