import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An exclusive advisory lock on a file (`flock(2)`), held until `unlock()` or the process
/// ends — also when it is killed with -9, so a crashed job never leaves a stale lock.
public final class FileLock {
    public let path: String
    let fd: Int32

    /// Takes the lock without waiting; nil when another process holds it.
    public init?(path: String) throws {
        let dir = URL(fileURLWithPath: path).deletingLastPathComponent().path
        if !dir.isEmpty { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw IOError.unreadable(path, reason: "cannot open the lock file (errno \(errno))") }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            return nil
        }
        self.path = path
        self.fd = fd
    }

    public func unlock() {
        flock(fd, LOCK_UN)
        close(fd)
    }
}
