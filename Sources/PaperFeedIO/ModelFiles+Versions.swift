import Foundation
import PaperFeedCore

/// One complete, immutable version of a model: the folder holding its `manifest.json`, its
/// arrays and lists, and its attachments.
public struct ModelVersion: Sendable, Hashable {
    /// The model folder (`Models/NAME`).
    public let model: String
    /// The version folder's name (`v000003-1a2b3c4d5e6f`); nil for a folder in the layout
    /// before versions (manifest.json directly in the model folder).
    public let name: String?
    /// The folder holding manifest.json.
    public let path: String

    /// The path of a file of this version (an array, a list or an attachment).
    public func file(_ fileName: String) -> String { URL(fileURLWithPath: path).appendingPathComponent(fileName).path }
}

/// Model folders with atomically switched versions (Models/README.md):
///
/// ```
/// Models/NAME/
///   current                  one line: the name of the live version folder
///   v000002-3f9a1c2b7d4e/    manifest.json, *.f32, *.txt, attachments: one complete version
///   v000003-8d0e55a1b2c3/    the next version (the previous one is kept until a later save)
///   .lock                    held (flock) by a save; readers never take it
/// ```
///
/// **Save** (`save`), under an exclusive `flock` on `.lock`: (1) remove staging folders left by a
/// killed save; (2) write every file into a fresh staging folder `.staging-PID-…`, each flushed
/// to disk (fsync), the manifest last; (3) rename the staging folder to its version name
/// `v<sequence>-<first 12 hex digits of the manifest's SHA-256>` and fsync the model folder;
/// (4) write `current` to a temporary file, fsync it and rename it over `current` (the one
/// switching step), fsync the folder; (5) delete every version except the new one and the
/// previous one (and the pre-version files when they are neither). A kill before (4) leaves the
/// previous model current and complete; after (4) the new one. The steps are `SaveStep`s, each a
/// `FaultInjection` point.
///
/// **Read** (`currentVersion`, `load`): read `current` once and open that folder only, so a
/// reader sees one consistent version; a folder without `current` but with `manifest.json` is
/// the pre-version layout, read as before. If a version disappears while it is read (two saves
/// went by), `load` re-reads `current` once.
extension ModelFiles {
    /// The steps of a save, in order; `model-save:RAW` is the `FaultInjection` point after each.
    public enum SaveStep: String, CaseIterable, Sendable {
        case stagingCreated = "staging-created"
        case firstFileWritten = "first-file-written"
        case filesWritten = "files-written"
        case manifestWritten = "manifest-written"
        case versionInPlace = "version-in-place"
        case pointerWritten = "pointer-written"
        case pointerSwapped = "pointer-swapped"
        case cleanedUp = "cleaned-up"
    }

    /// Thrown by a save told to stop at a step (`crashAt`, tests): nothing is cleaned up, as
    /// after a kill.
    struct SimulatedCrash: Error {}

    static let pointerName = "current"

    /// Saves `artifact` (plus `attachments`, file name → bytes) as a new version of the model
    /// folder `directory` and makes it current. Returns the new version.
    @discardableResult
    public static func save(_ artifact: ModelArtifact, to directory: String, attachments: [String: Data] = [:]) throws -> ModelVersion {
        try save(artifact, to: directory, attachments: attachments, crashAt: nil)
    }

    static func save(_ artifact: ModelArtifact, to directory: String, attachments: [String: Data], crashAt: SaveStep?) throws -> ModelVersion {
        let (files, manifest) = try files(of: artifact, attachments: attachments)
        return try publish(files: files.map { ($0.0, .data($0.1)) }, manifest: manifest, to: directory, crashAt: crashAt)
    }

    /// A new version made of the current version's files (hard links, or copies where links are
    /// not possible) plus `attachments` (replacing attachments of the same name), made current.
    /// With `expecting`, refuses when the current version is another one (an attachment made
    /// for one version must not land on the next).
    @discardableResult
    public static func attach(_ attachments: [String: Data], to directory: String, expecting: ModelVersion? = nil) throws -> ModelVersion {
        let base = try currentVersion(of: directory)
        if let expecting, expecting != base {
            throw ModelFileError.badPointer(
                directory, reason: "the current version is \(base.name ?? "the unversioned folder"), not \(expecting.name ?? "the unversioned folder") the attachment was made for")
        }
        var manifest = try readManifest(base.path, reportAs: directory)
        var files: [(String, Source)] = (manifest.arrays + manifest.lists).map { ($0.file, .link(base.file($0.file))) }
        var attached = (manifest.attachments ?? []).filter { attachments[$0.file] == nil }
        files += attached.map { ($0.file, .link(base.file($0.file))) }
        for name in attachments.keys.sorted() {
            try checkAttachmentName(name, taken: (manifest.arrays + manifest.lists).map(\.file))
            let data = attachments[name]!
            files.append((name, .data(data)))
            attached.append(.init(name: name, file: name, shape: [data.count], sha256: SHA256.hex([UInt8](data))))
        }
        manifest.attachments = attached.sorted { $0.file < $1.file }
        return try publish(files: files, manifest: try encodeManifest(manifest), to: directory, crashAt: nil)
    }

    /// An attachment of `version`, checked against the manifest's SHA-256; nil when the version
    /// has none of that name.
    public static func attachment(_ name: String, of version: ModelVersion) throws -> Data? {
        let manifest = try readManifest(version.path, reportAs: version.model)
        guard let entry = manifest.attachments?.first(where: { $0.file == name }) else { return nil }
        return Data(try readChecked(version.file(entry.file), sha256: entry.sha256))
    }

    /// The version `current` names (or the pre-version folder). Throws `missingManifest` when
    /// the folder holds no model, `badPointer` when `current` is unreadable or names no
    /// complete version.
    public static func currentVersion(of directory: String) throws -> ModelVersion {
        let pointer = URL(fileURLWithPath: directory).appendingPathComponent(pointerName).path
        guard let data = FileManager.default.contents(atPath: pointer) else {
            // No pointer: the pre-version layout, or no model at all.
            if FileManager.default.fileExists(atPath: URL(fileURLWithPath: directory).appendingPathComponent("manifest.json").path) {
                return ModelVersion(model: directory, name: nil, path: directory)
            }
            throw ModelFileError.missingManifest(directory)
        }
        let name = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard isVersionName(name) else {
            throw ModelFileError.badPointer(pointer, reason: "does not name a model version (\"\(name.prefix(40))\")")
        }
        let path = URL(fileURLWithPath: directory).appendingPathComponent(name).path
        guard FileManager.default.fileExists(atPath: path + "/manifest.json") else {
            throw ModelFileError.badPointer(pointer, reason: "names version \(name), which is missing or incomplete")
        }
        return ModelVersion(model: directory, name: name, path: path)
    }

    /// Reads the current version of the model folder `directory`.
    public static func load(from directory: String) throws -> ModelArtifact {
        let version = try currentVersion(of: directory)
        do {
            return try load(version: version)
        } catch let error as ModelFileError {
            // The version was removed while being read (two saves went by): read the new one.
            switch error {
            case .missingFile, .missingManifest:
                if let now = try? currentVersion(of: directory), now != version { return try load(version: now) }
            default: break
            }
            throw error
        }
    }

    /// Reads one version.
    public static func load(version: ModelVersion) throws -> ModelArtifact {
        try loadVersion(version.path, reportAs: version.model)
    }

    // MARK: - saving

    enum Source {
        case data(Data)
        /// An existing file of another version (hard-linked, else copied).
        case link(String)
    }

    /// Steps (1)–(5) of the type's comment for the given files and manifest.
    static func publish(files: [(String, Source)], manifest: Data, to directory: String, crashAt: SaveStep?) throws -> ModelVersion {
        let fm = FileManager.default
        let dir = URL(fileURLWithPath: directory)
        try fm.createDirectory(at: dir, withIntermediateDirectories: true)
        let lock = try FolderLock(dir.appendingPathComponent(".lock").path)
        defer { lock.release() }
        func step(_ s: SaveStep) throws {
            FaultInjection.reach("model-save:\(s.rawValue)")
            if s == crashAt { throw SimulatedCrash() }
        }

        let entries = (try? fm.contentsOfDirectory(atPath: directory)) ?? []
        // (1) Staging folders present while we hold the lock belong to saves that died.
        for e in entries where e.hasPrefix(".staging-") { try? fm.removeItem(at: dir.appendingPathComponent(e)) }
        let previous = try? currentVersion(of: directory)
        // Saving the model that is already current (same manifest, so the same files by their
        // checksums) is a no-op: a rerun after a kill does not stack identical versions.
        if let previous, previous.name != nil,
           let current = fm.contents(atPath: previous.file("manifest.json")), current == manifest {
            removeUnversionedFiles(directory)
            return previous
        }
        let sequence = (entries.compactMap(versionSequence).max() ?? 0) + 1
        let name = String(format: "v%06d-", sequence) + SHA256.hex([UInt8](manifest)).prefix(12)

        // (2) Every file into a fresh staging folder, flushed; the manifest last.
        let staging = dir.appendingPathComponent(".staging-\(getpid())-\(name)")
        try fm.createDirectory(at: staging, withIntermediateDirectories: false)
        do {
            try step(.stagingCreated)
            for (k, (file, source)) in files.enumerated() {
                let target = staging.appendingPathComponent(file).path
                switch source {
                case .data(let data): try writeDurably(data, to: target)
                case .link(let existing):
                    if link(existing, target) != 0 { try fm.copyItem(atPath: existing, toPath: target) }
                }
                if k == 0 { try step(.firstFileWritten) }
            }
            try step(.filesWritten)
            try writeDurably(manifest, to: staging.appendingPathComponent("manifest.json").path)
            try syncFolder(staging.path)
            try step(.manifestWritten)
            // (3) The complete version takes its name.
            let final = dir.appendingPathComponent(name)
            guard rename(staging.path, final.path) == 0 else {
                throw IOError.unreadable(final.path, reason: "cannot move the new model version into place (errno \(errno))")
            }
        } catch let crash as SimulatedCrash {
            throw crash
        } catch {
            try? fm.removeItem(at: staging)
            throw error
        }
        try syncFolder(directory)
        try step(.versionInPlace)

        // (4) The one switching step: `current` replaced by rename.
        let pointer = dir.appendingPathComponent(pointerName).path
        let temp = dir.appendingPathComponent(".\(pointerName).tmp-\(getpid())").path
        try writeDurably(Data((name + "\n").utf8), to: temp)
        try step(.pointerWritten)
        guard rename(temp, pointer) == 0 else {
            try? fm.removeItem(atPath: temp)
            throw IOError.unreadable(pointer, reason: "cannot switch the model's current version (errno \(errno))")
        }
        try syncFolder(directory)
        try step(.pointerSwapped)

        // (5) Keep the new version and the previous one; remove the rest.
        let keep: Set<String> = [name, previous?.name].compactMap { $0 }.reduce(into: []) { $0.insert($1) }
        for e in (try? fm.contentsOfDirectory(atPath: directory)) ?? [] where isVersionName(e) && !keep.contains(e) {
            try? fm.removeItem(at: dir.appendingPathComponent(e))
        }
        if previous != nil, previous?.name != nil { removeUnversionedFiles(directory) }
        try step(.cleanedUp)
        return ModelVersion(model: directory, name: name, path: dir.appendingPathComponent(name).path)
    }

    /// Removes the files of the pre-version layout (manifest.json first, then what it listed).
    static func removeUnversionedFiles(_ directory: String) {
        guard let manifest = try? readManifest(directory, reportAs: directory) else { return }
        let fm = FileManager.default
        try? fm.removeItem(atPath: directory + "/manifest.json")
        for entry in manifest.arrays + manifest.lists + (manifest.attachments ?? []) {
            try? fm.removeItem(atPath: directory + "/" + entry.file)
        }
    }

    /// `v` + at least 6 digits + `-` + 12 lowercase hex digits.
    static func isVersionName(_ name: String) -> Bool { versionSequence(name) != nil }

    static func versionSequence(_ name: String) -> Int? {
        let u = Array(name.utf8)
        guard u.count >= 20, u[0] == UInt8(ascii: "v"), let dash = u.firstIndex(of: UInt8(ascii: "-")), dash >= 7,
              u.count - dash - 1 == 12,
              u[1..<dash].allSatisfy({ $0 >= 48 && $0 <= 57 }), dash - 1 <= 15,
              u[(dash + 1)...].allSatisfy({ ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) })
        else { return nil }
        return Int(String(decoding: u[1..<dash], as: UTF8.self))
    }

    /// Writes `data` to a new file at `path` and flushes it to disk.
    static func writeDurably(_ data: Data, to path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: data) else {
            throw IOError.unreadable(path, reason: "cannot write the file (errno \(errno))")
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.synchronize()
        try handle.close()
    }

    /// fsync of a folder, so the renames inside it survive a power cut.
    static func syncFolder(_ path: String) throws {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return }
        defer { close(fd) }
        _ = fsync(fd)
    }
}

/// An exclusive `flock` on a file, released on `release()` or when the process dies.
struct FolderLock {
    let fd: Int32
    init(_ path: String) throws {
        fd = open(path, O_CREAT | O_RDWR, 0o644)
        guard fd >= 0 else { throw IOError.unreadable(path, reason: "cannot create the lock file (errno \(errno))") }
        guard flock(fd, LOCK_EX) == 0 else {
            close(fd)
            throw IOError.unreadable(path, reason: "cannot lock the model folder (errno \(errno))")
        }
    }
    func release() {
        flock(fd, LOCK_UN)
        close(fd)
    }
}
