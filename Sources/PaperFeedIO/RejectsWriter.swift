import Foundation

/// The rejects file of one input (`<basename>.rejects.txt`): `FILE:LINE: field: reason`, a tab
/// and the raw row (newlines written `\n`), one per line in line order. Rows are appended to a
/// temporary file as chunks are parsed, so memory does not grow with the number of bad rows;
/// `finish` flushes it and renames it into place (readers see the old file or the new one).
final class RejectsWriter {
    let path: String
    private let temp: String
    private var handle: FileHandle?

    init(for file: String, directory: String) {
        let name = URL(fileURLWithPath: file).lastPathComponent + ".rejects.txt"
        path = URL(fileURLWithPath: directory).appendingPathComponent(name).path
        temp = URL(fileURLWithPath: directory).appendingPathComponent(".\(name).tmp-\(getpid())").path
    }

    /// Appends `issues` (one chunk's, any order: they are sorted by line, then field).
    func write(_ issues: [RowIssue]) throws {
        guard !issues.isEmpty else { return }
        if handle == nil {
            let dir = (temp as NSString).deletingLastPathComponent
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            guard FileManager.default.createFile(atPath: temp, contents: nil),
                let h = FileHandle(forWritingAtPath: temp)
            else { throw IOError.unreadable(temp, reason: "cannot create the rejects file") }
            handle = h
        }
        var text = ""
        for issue in issues.sorted(by: { ($0.line, $0.field) < ($1.line, $1.field) }) {
            text += issue.description
            if !issue.raw.isEmpty { text += "\t" + issue.raw.replacingOccurrences(of: "\n", with: "\\n") }
            text += "\n"
        }
        try handle!.write(contentsOf: Data(text.utf8))
    }

    /// Flushes and renames the file into place; returns its path.
    func finish() throws -> String {
        guard let h = handle else { return path }
        try h.synchronize()
        try h.close()
        handle = nil
        if rename(temp, path) != 0 {
            throw IOError.unreadable(path, reason: "cannot rename \(temp) into place (errno \(errno))")
        }
        return path
    }

    /// Drops what was written (the file failed, or is being started over).
    func discard() {
        try? handle?.close()
        handle = nil
        try? FileManager.default.removeItem(atPath: temp)
    }
}
