/// An open-addressing hash table from byte strings to dense ids `0..<count` in insertion order.
///
/// The keys live back to back in one byte arena, so interning a token costs no `String` and no
/// per-key allocation. Linear probing over a power-of-two array of 8-byte slots (id + 1 and the
/// hash's high 32 bits), kept at most half full, so the table stays small in cache. Keys of up
/// to 16 bytes are also kept inline per id (zero-padded), so a lookup of such a key compares
/// two words and never reads the arena; longer keys are compared in the arena.
struct ByteStringTable: Sendable {
    private(set) var arena: [UInt8] = []
    /// Key `id` is `arena[starts[id] ..< starts[id + 1]]`.
    private(set) var starts: [Int] = [0]
    private var hashes: [UInt64] = []
    /// Per id: the key's inline form (see `pack`) and its length.
    private var inline: [InlineKey] = []
    /// 0 = empty, else `UInt64(hash >> 32) << 32 | UInt64(id + 1)`.
    private var slots: [UInt64]
    private var mask: Int

    private struct InlineKey: Sendable {
        var k0: UInt64
        var k1: UInt64
        var length: Int
    }

    init(minimumCapacity: Int = 1024) {
        var size = 16
        while size < 2 * minimumCapacity { size <<= 1 }
        slots = Array(repeating: 0, count: size)
        mask = size - 1
        arena.reserveCapacity(8 * minimumCapacity)
        starts.reserveCapacity(minimumCapacity + 1)
        hashes.reserveCapacity(minimumCapacity)
        inline.reserveCapacity(minimumCapacity)
    }

    var count: Int { starts.count - 1 }

    /// The hash of a key: for keys of up to 16 bytes a multiply–xorshift mix of the key's two
    /// little-endian words and its length (`mix`); for longer keys FNV-1a, 64 bit (Fowler, Noll &
    /// Vo). Tokenization computes the words with two loads, see `Tokenizer.scan`.
    static func hash(_ key: UnsafeBufferPointer<UInt8>) -> UInt64 {
        if key.count <= 16 {
            let (k0, k1) = words(key)
            return mix(k0, k1, key.count)
        }
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in key { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        return h
    }

    @inline(__always) static func mix(_ k0: UInt64, _ k1: UInt64, _ length: Int) -> UInt64 {
        var h = (k0 &* 0x9E37_79B9_7F4A_7C15) ^ ((k1 &* 0xC2B2_AE3D_27D4_EB4F) >> 7 | (k1 &* 0xC2B2_AE3D_27D4_EB4F) << 57)
        h ^= UInt64(length) &* 0x1656_67B1_9E37_79F9
        h ^= h >> 32
        h &*= 0xD6E8_FEB8_6659_FD93
        return h ^ (h >> 29)
    }

    /// A key of ≤ 16 bytes as two little-endian words, zero-padded.
    @inline(__always) static func words(_ key: UnsafeBufferPointer<UInt8>) -> (UInt64, UInt64) {
        var words: (UInt64, UInt64) = (0, 0)
        if key.count > 0 {
            withUnsafeMutableBytes(of: &words) { $0.copyMemory(from: UnsafeRawBufferPointer(key)) }
        }
        return (UInt64(littleEndian: words.0), UInt64(littleEndian: words.1))
    }

    /// Mixes the hash so that the slot depends on all its bits.
    @inline(__always) private static func slot(_ h: UInt64, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: ((h ^ (h >> 29)) &* 0xBF58_476D_1CE4_E5B9) >> 32) & mask
    }

    /// The inline form of a key: its words for ≤ 16 bytes, else (hash, 0).
    @inline(__always) private static func pack(_ key: UnsafeBufferPointer<UInt8>, _ h: UInt64) -> (UInt64, UInt64) {
        key.count <= 16 ? words(key) : (h, 0)
    }

    /// The slot of `key`: found (id ≥ 0) or the empty slot where it belongs (id −1).
    @inline(__always)
    private func probe(_ key: UnsafeBufferPointer<UInt8>, _ h: UInt64, _ k0: UInt64, _ k1: UInt64) -> (slot: Int, id: Int32) {
        let tag = h >> 32
        var s = Self.slot(h, mask)
        return slots.withUnsafeBufferPointer { sl in
            inline.withUnsafeBufferPointer { keys in
                while true {
                    let e = sl[s]
                    if e == 0 { return (s, -1) }
                    if e >> 32 == tag {
                        let id = Int(truncatingIfNeeded: e & 0xFFFF_FFFF) - 1
                        let k = keys[id]
                        if k.k0 == k0 && k.k1 == k1 && k.length == key.count
                            && (key.count <= 16 || arena.withUnsafeBufferPointer { Self.equal($0, starts[id], starts[id + 1], key) })
                        {
                            return (s, Int32(id))
                        }
                    }
                    s = (s + 1) & mask
                }
            }
        }
    }

    /// The id of `key` if present.
    func find(_ key: UnsafeBufferPointer<UInt8>, hash h: UInt64) -> Int32? {
        let (k0, k1) = Self.pack(key, h)
        let (_, id) = probe(key, h, k0, k1)
        return id >= 0 ? id : nil
    }

    /// The id of `key`, inserting it (with the next id) when absent.
    @discardableResult
    mutating func insert(_ key: UnsafeBufferPointer<UInt8>, hash h: UInt64) -> (id: Int32, inserted: Bool) {
        let (k0, k1) = Self.pack(key, h)
        return insert(key, hash: h, k0: k0, k1: k1)
    }

    /// `insert` with the inline words already computed (`pack`), as tokenization does.
    @inline(__always)
    mutating func insert(_ key: UnsafeBufferPointer<UInt8>, hash h: UInt64, k0: UInt64, k1: UInt64) -> (id: Int32, inserted: Bool) {
        let (s, found) = probe(key, h, k0, k1)
        if found >= 0 { return (found, false) }
        let id = Int32(count)
        slots[s] = (h >> 32) << 32 | UInt64(id + 1)
        inline.append(InlineKey(k0: k0, k1: k1, length: key.count))
        arena.append(contentsOf: key)
        starts.append(arena.count)
        hashes.append(h)
        if 2 * count > mask { grow() }
        return (id, true)
    }

    mutating func insert(_ key: String) -> (id: Int32, inserted: Bool) {
        var k = key
        return k.withUTF8 { insert($0, hash: Self.hash($0)) }
    }

    func find(_ key: String) -> Int32? {
        var k = key
        return k.withUTF8 { find($0, hash: Self.hash($0)) }
    }

    @inline(__always) private static func equal(
        _ ar: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, _ key: UnsafeBufferPointer<UInt8>
    ) -> Bool {
        guard end - start == key.count else { return false }
        var i = 0
        while i < key.count {
            if ar[start + i] != key[i] { return false }
            i += 1
        }
        return true
    }

    private mutating func grow() {
        let size = 2 * (mask + 1)
        mask = size - 1
        var newSlots = [UInt64](repeating: 0, count: size)
        for old in slots where old != 0 {
            var s = Self.slot(hashes[Int(old & 0xFFFF_FFFF) - 1], mask)
            while newSlots[s] != 0 { s = (s + 1) & mask }
            newSlots[s] = old
        }
        slots = newSlots
    }

    func hashValue(of id: Int) -> UInt64 { hashes[id] }

    /// Calls `body` with the bytes of key `id`.
    func withKey<R>(_ id: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        arena.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[starts[id]..<starts[id + 1]])) }
    }

    func string(_ id: Int) -> String {
        withKey(id) { String(decoding: $0, as: UTF8.self) }
    }
}

/// Lexicographic order of two byte strings (the order of C `strcmp`, Python `bytes`, and so
/// of scikit-learn's `sorted(vocabulary)` for ASCII terms).
@inline(__always)
func bytesLess(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
    let n = min(a.count, b.count)
    var i = 0
    while i < n {
        if a[i] != b[i] { return a[i] < b[i] }
        i += 1
    }
    return a.count < b.count
}

/// An open-addressing hash table from pairs of 32-bit ids (a bigram of two token ids) to a value.
struct PairTable: Sendable {
    private var keys: [UInt64]
    private var values: [Int32]
    private var mask: Int
    private(set) var count = 0
    private static let empty = UInt64.max

    init(minimumCapacity: Int = 1024) {
        var size = 16
        while size < 2 * minimumCapacity { size <<= 1 }
        keys = Array(repeating: Self.empty, count: size)
        values = Array(repeating: -1, count: size)
        mask = size - 1
    }

    @inline(__always) private static func slot(_ k: UInt64, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: (k &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
    }

    /// The value for (a, b), or stores `make()` for it when absent.
    @inline(__always)
    mutating func value(_ a: Int32, _ b: Int32, orInsert make: () -> Int32) -> Int32 {
        let k = UInt64(UInt32(bitPattern: a)) << 32 | UInt64(UInt32(bitPattern: b))
        var s = Self.slot(k, mask)
        while true {
            let stored = keys[s]
            if stored == k { return values[s] }
            if stored == Self.empty { break }
            s = (s + 1) & mask
        }
        let v = make()
        keys[s] = k
        values[s] = v
        count += 1
        if 2 * count > mask { grow() }
        return v
    }

    private mutating func grow() {
        let size = 2 * (mask + 1)
        let oldKeys = keys, oldValues = values
        mask = size - 1
        keys = Array(repeating: Self.empty, count: size)
        values = Array(repeating: -1, count: size)
        for i in oldKeys.indices where oldKeys[i] != Self.empty {
            var s = Self.slot(oldKeys[i], mask)
            while keys[s] != Self.empty { s = (s + 1) & mask }
            keys[s] = oldKeys[i]
            values[s] = oldValues[i]
        }
    }
}
