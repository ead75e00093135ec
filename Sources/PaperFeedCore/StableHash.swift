extension String {
    /// FNV-1a (64-bit) of the UTF-8 bytes: the same in every process and on every machine.
    /// Swift's `hashValue` is seeded per process, so it must never feed determinism or sharding.
    public var hashValueStable: UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
        return h
    }
}
