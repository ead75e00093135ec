import Dispatch

#if canImport(Glibc)
    import Glibc
#endif

/// A raw pointer that may cross into `concurrentPerform` workers. Internal only: every use writes
/// disjoint ranges (one row block or one column stripe per worker), so there is no data race.
struct SharedMutablePointer<T>: @unchecked Sendable {
    let base: UnsafeMutablePointer<T>
}

/// Read-only counterpart of `SharedMutablePointer`.
struct SharedPointer<T>: @unchecked Sendable {
    let base: UnsafePointer<T>
}

enum Parallel {
    /// Online processors (at least 1).
    static let processorCount: Int = {
        #if canImport(Glibc)
            return max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        #else
            return 1
        #endif
    }()

    /// Runs `body(i)` for `i` in `0..<count`, in parallel when `count > 1`.
    static func forEach(_ count: Int, _ body: @Sendable (Int) -> Void) {
        if count <= 1 {
            if count == 1 { body(0) }
            return
        }
        DispatchQueue.concurrentPerform(iterations: count, execute: body)
    }

    /// Splits rows `0..<rowPointers.count-1` into at most `blocks` contiguous ranges of roughly
    /// equal work, counting one unit per row plus one per non-zero.
    static func balancedRowBlocks(rowPointers: [Int], blocks: Int) -> [Range<Int>] {
        let rows = rowPointers.count - 1
        guard rows > 0 else { return [] }
        let blocks = max(1, min(blocks, rows))
        let total = rows + rowPointers[rows]
        var result: [Range<Int>] = []
        result.reserveCapacity(blocks)
        var start = 0
        for b in 1...blocks {
            let target = total * b / blocks
            var end = start
            // Smallest end with end + nnz(0..<end) >= target.
            var lo = start, hi = rows
            while lo < hi {
                let mid = (lo + hi) / 2
                if mid + rowPointers[mid] >= target { hi = mid } else { lo = mid + 1 }
            }
            end = b == blocks ? rows : max(lo, start)
            if end > start { result.append(start..<end) }
            start = end
        }
        return result
    }
}
