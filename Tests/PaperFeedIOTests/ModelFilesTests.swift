import Foundation
import Testing

@testable import PaperFeedCore
@testable import PaperFeedIO

private func sampleArtifact(seed: UInt64 = 3) -> ModelArtifact {
    var g = SeededGenerator(seed: seed)
    let values = (0..<(7 * 5)).map { _ in Float(g.nextGaussian()) }
    return ModelArtifact(
        kind: "topic-model", createdAt: "2026-01-01T00:00:00Z", parameters: ["dims": "5"], seed: seed, documentCount: 7,
        vocabularySHA256: SHA256.hex("a\nb"), corpusSHA256: SHA256.hex("corpus"),
        arrays: ["embeddings": FloatArray(shape: [7, 5], values: values), "singular_values": FloatArray(shape: [5], values: [5, 4, 3, 2, 1])],
        lists: ["vocabulary": ["a", "b", "naïve"], "papers": ["1", "2", "3", "4", "5", "6", "7"], "empty": []])
}

private func folder() -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("pf-model-\(UUID().uuidString)").path
}

/// The path of a file of the model's current version.
private func file(_ dir: String, _ name: String) throws -> String { try ModelFiles.currentVersion(of: dir).file(name) }

@Suite struct ModelFilesTests {
    @Test func roundTripIsExact() throws {
        let dir = folder()
        let a = sampleArtifact()
        try ModelFiles.save(a, to: dir)
        #expect(try ModelFiles.load(from: dir) == a)
        // Saving twice gives identical bytes.
        let first = try Data(contentsOf: URL(fileURLWithPath: try file(dir, "embeddings.f32")))
        try ModelFiles.save(a, to: dir)
        #expect(try Data(contentsOf: URL(fileURLWithPath: try file(dir, "embeddings.f32"))) == first)
    }

    @Test func truncatedArrayIsReportedAsTruncated() throws {
        let dir = folder()
        try ModelFiles.save(sampleArtifact(), to: dir)
        let path = try file(dir, "embeddings.f32")
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        try data.prefix(data.count - 9).write(to: URL(fileURLWithPath: path))
        #expect(throws: ModelFileError.truncated(path, expectedBytes: data.count, actualBytes: data.count - 9)) {
            _ = try ModelFiles.load(from: dir)
        }
    }

    @Test func flippedByteIsAChecksumError() throws {
        let dir = folder()
        try ModelFiles.save(sampleArtifact(), to: dir)
        let path = try file(dir, "embeddings.f32")
        var data = try Data(contentsOf: URL(fileURLWithPath: path))
        data[data.count - 1] ^= 0x40
        try data.write(to: URL(fileURLWithPath: path))
        do {
            _ = try ModelFiles.load(from: dir)
            Issue.record("corrupt file loaded")
        } catch let e as ModelFileError {
            guard case .checksumMismatch(let p, _, _) = e else { Issue.record("wrong error \(e)"); return }
            #expect(p == path)
        }
    }

    @Test func mismatchedFileFromAnotherFitIsRejected() throws {
        let a = folder(), b = folder()
        try ModelFiles.save(sampleArtifact(seed: 1), to: a)
        try ModelFiles.save(sampleArtifact(seed: 2), to: b)
        try FileManager.default.removeItem(atPath: try file(a, "embeddings.f32"))
        try FileManager.default.copyItem(atPath: try file(b, "embeddings.f32"), toPath: try file(a, "embeddings.f32"))
        #expect(throws: ModelFileError.self) { _ = try ModelFiles.load(from: a) }
    }

    @Test func otherVersionMissingManifestAndMissingFile() throws {
        let dir = folder()
        #expect(throws: ModelFileError.missingManifest(dir)) { _ = try ModelFiles.load(from: dir) }
        try ModelFiles.save(sampleArtifact(), to: dir)
        let manifest = try file(dir, "manifest.json")
        let text = try String(contentsOfFile: manifest, encoding: .utf8)
        try text.replacingOccurrences(of: "\"formatVersion\" : 1", with: "\"formatVersion\" : 99")
            .write(toFile: manifest, atomically: true, encoding: .utf8)
        #expect(throws: ModelFileError.unsupportedVersion(manifest, found: 99, supported: 1)) { _ = try ModelFiles.load(from: dir) }
        try ModelFiles.save(sampleArtifact(), to: dir)
        let vocabulary = try file(dir, "vocabulary.txt")
        try FileManager.default.removeItem(atPath: vocabulary)
        #expect(throws: ModelFileError.missingFile(vocabulary)) { _ = try ModelFiles.load(from: dir) }
        try "{not json".write(toFile: try file(dir, "manifest.json"), atomically: true, encoding: .utf8)
        #expect(throws: ModelFileError.self) { _ = try ModelFiles.load(from: dir) }
    }

    @Test func npyHeaderIsAlignedAndDescribesTheArray() throws {
        let path = folder() + "/e.npy"
        try NumpyWriter.write(FloatArray(shape: [2, 3], values: [1, 2, 3, 4, 5, 6]), to: path, ids: ["a", "b"])
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(Array(bytes[0..<8]) == [0x93] + Array("NUMPY".utf8) + [1, 0])
        let headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
        #expect((10 + headerLength) % 64 == 0)
        let header = String(decoding: bytes[10..<(10 + headerLength)], as: UTF8.self)
        #expect(header.hasPrefix("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }"))
        #expect(header.hasSuffix("\n"))
        #expect(bytes.count == 10 + headerLength + 24)
        #expect(try String(contentsOfFile: path + ".ids.txt", encoding: .utf8) == "a\nb\n")
    }
}
