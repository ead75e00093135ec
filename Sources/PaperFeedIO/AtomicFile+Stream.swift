import Foundation

extension AtomicFile {
    /// A file written piece by piece (memory stays at one buffer however long the file gets)
    /// and made visible atomically by `commit()`: until then the bytes are in a temporary file
    /// beside the target, which `discard()` (or a crash) leaves out of sight (`.NAME.tmp-PID`).
    public final class Stream {
        public let path: String
        let temp: String
        let handle: FileHandle
        var buffer = Data()
        var done = false

        public init(path: String) throws {
            self.path = path
            let url = URL(fileURLWithPath: path)
            let dir = url.deletingLastPathComponent()
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            temp = dir.appendingPathComponent(".\(url.lastPathComponent).tmp-\(ProcessInfo.processInfo.processIdentifier)").path
            guard FileManager.default.createFile(atPath: temp, contents: nil),
                  let h = FileHandle(forWritingAtPath: temp) else {
                throw IOError.unreadable(path, reason: "cannot create \(temp)")
            }
            handle = h
            buffer.reserveCapacity(1 << 16)
        }

        public func write(_ text: String) throws {
            buffer.append(contentsOf: text.utf8)
            if buffer.count >= 1 << 16 { try flush() }
        }

        func flush() throws {
            guard !buffer.isEmpty else { return }
            try handle.write(contentsOf: buffer)
            buffer.removeAll(keepingCapacity: true)
        }

        /// Flushes, syncs and renames the file into place.
        public func commit() throws {
            try flush()
            try handle.synchronize()
            try handle.close()
            done = true
            if rename(temp, path) != 0 {
                try? FileManager.default.removeItem(atPath: temp)
                throw IOError.unreadable(path, reason: "cannot rename \(temp) into place (errno \(errno))")
            }
        }

        /// Drops what was written; the target is untouched.
        public func discard() {
            guard !done else { return }
            done = true
            try? handle.close()
            try? FileManager.default.removeItem(atPath: temp)
        }

        deinit { discard() }
    }
}
