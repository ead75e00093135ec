/// Deterministic random numbers: SplitMix64 (Steele, Lea & Flood, OOPSLA 2014).
/// Every random step in PaperFeed takes one of these, built from an explicit seed, so the
/// same seed gives the same bytes on every machine.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1) with 53 random bits.
    public mutating func nextUnit() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// Standard normal by Box–Muller (both outputs are not cached, to keep the state simple).
    public mutating func nextGaussian() -> Double {
        var u = nextUnit()
        while u <= 0 { u = nextUnit() }
        let v = nextUnit()
        return (-2 * _log(u)).squareRoot() * _cos(2 * Double.pi * v)
    }

    /// A child generator for stream `index` (e.g. one per reader), independent of call order.
    public func derived(_ index: UInt64) -> SeededGenerator {
        var g = SeededGenerator(seed: state ^ (index &* 0xD1B5_4A32_D192_ED03))
        _ = g.next()
        return g
    }
}

@inline(__always) private func _log(_ x: Double) -> Double {
    #if canImport(Glibc)
        return Glibc.log(x)
    #else
        return Foundation.log(x)
    #endif
}
@inline(__always) private func _cos(_ x: Double) -> Double {
    #if canImport(Glibc)
        return Glibc.cos(x)
    #else
        return Foundation.cos(x)
    #endif
}
#if canImport(Glibc)
    import Glibc
#else
    import Foundation
#endif
