import Foundation

/// Source of "now". Scoring never calls `Date()`; it is handed a clock.
public protocol Clock: Sendable {
    var now: Date { get }
}

/// A clock stopped at one instant: the `--as-of` time of a run, or a test's fixed time.
public struct FixedClock: Clock {
    public let now: Date
    public init(_ now: Date) { self.now = now }
}

/// The wall clock; used only at the edges (the CLI's default `--as-of`).
public struct SystemClock: Clock {
    public init() {}
    public var now: Date { Date() }
}
