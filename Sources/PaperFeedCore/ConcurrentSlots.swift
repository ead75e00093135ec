import Foundation

/// A fixed number of result slots that concurrent workers fill at distinct indices
/// (`DispatchQueue.concurrentPerform`), read once the workers are done. Guarded by a lock, so
/// it is safe whatever the access pattern; the lock is taken once per slot, not per element.
public final class ConcurrentSlots<T>: @unchecked Sendable {
    private var storage: [T?]
    private let lock = NSLock()

    public init(count: Int) { storage = Array(repeating: nil, count: count) }

    public subscript(i: Int) -> T? {
        get {
            lock.lock()
            defer { lock.unlock() }
            return storage[i]
        }
        set {
            lock.lock()
            storage[i] = newValue
            lock.unlock()
        }
    }

    /// Every slot, in index order.
    public var values: [T?] {
        lock.lock()
        defer { lock.unlock() }
        return storage
    }

    /// The first filled slot, by index.
    public var first: T? { values.lazy.compactMap { $0 }.first }
}
