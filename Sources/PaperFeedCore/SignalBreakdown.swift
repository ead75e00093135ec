/// The per-signal breakdown of a ranked item's score: signal name → weighted, normalized
/// contribution. It behaves like a `[String: Double]` (subscript, `keys`, `values`, iteration
/// as `(key, value)` pairs, dictionary literals, Codable as the same JSON object) but stores the
/// `Signal`s in fixed fields with a presence mask, so building one costs no allocation and no
/// hashing (the batch ranker builds one per listed item: 10M at 100k readers × k = 100). Any
/// other name goes to a rarely used overflow dictionary.
///
/// Iteration, `keys` and `values` are in key order (byte order of the names), so output that
/// walks a breakdown is deterministic. Two breakdowns are equal when they have the same keys
/// with equal values, like dictionaries.
public struct SignalBreakdown: Sendable, Hashable, Sequence, ExpressibleByDictionaryLiteral {
    /// The fixed fields, in byte order (`Signal.allCases`).
    public static let fieldNames = Signal.allCases.map(\.rawValue)
    public typealias Slot = Signal

    private var values10 = (0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
    /// Bit i set: signal `Signal.allCases[i]` is present.
    private var present: UInt16 = 0
    /// Names outside `Signal` (never produced by the ranker; e.g. decoded from old stores).
    private var extra: [String: Double]?

    public typealias Key = String
    public typealias Value = Double

    public init() {}

    public init(_ dictionary: [String: Double]) {
        for (k, v) in dictionary { self[k] = v }
    }

    public init(dictionaryLiteral elements: (String, Double)...) {
        for (k, v) in elements { self[k] = v }
    }

    @inline(__always) private static func bit(_ s: Signal) -> UInt16 { 1 << UInt16(Self.position(s)) }

    @inline(__always) private static func position(_ s: Signal) -> Int {
        switch s {
        case .category: 0
        case .collaborative: 1
        case .content: 2
        case .diversity: 3
        case .feedback: 4
        case .freshness: 5
        case .seen: 6
        case .skipPenalty: 7
        case .skipped: 8
        case .trend: 9
        }
    }

    /// The value of a signal, nil when absent.
    @inline(__always) public subscript(slot: Signal) -> Double? {
        get { present & Self.bit(slot) == 0 ? nil : field(slot) }
        set {
            if let v = newValue {
                setField(slot, v)
                present |= Self.bit(slot)
            } else {
                setField(slot, 0)
                present &= ~Self.bit(slot)
            }
        }
    }

    public subscript(key: String) -> Double? {
        get {
            if let s = Signal(rawValue: key) { return self[s] }
            return extra?[key]
        }
        set {
            if let s = Signal(rawValue: key) {
                self[s] = newValue
            } else {
                var e = extra ?? [:]
                e[key] = newValue
                extra = e.isEmpty ? nil : e
            }
        }
    }

    public var count: Int { present.nonzeroBitCount + (extra?.count ?? 0) }
    public var isEmpty: Bool { count == 0 }

    /// (name, value) pairs in key order.
    public var pairs: [(key: String, value: Double)] {
        var out: [(key: String, value: Double)] = []
        out.reserveCapacity(count)
        for s in Signal.allCases where present & Self.bit(s) != 0 { out.append((key: s.rawValue, value: field(s))) }
        if let e = extra {
            out += e.map { (key: $0.key, value: $0.value) }
            out.sort { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
        }
        return out
    }

    public var keys: [String] { pairs.map(\.key) }
    public var values: [Double] { pairs.map(\.value) }
    /// The same breakdown as a dictionary.
    public var dictionary: [String: Double] { Dictionary(uniqueKeysWithValues: pairs.map { ($0.key, $0.value) }) }

    public func makeIterator() -> IndexingIterator<[(key: String, value: Double)]> { pairs.makeIterator() }
    public var underestimatedCount: Int { count }

    public static func == (a: SignalBreakdown, b: SignalBreakdown) -> Bool {
        guard a.present == b.present, (a.extra ?? [:]) == (b.extra ?? [:]) else { return false }
        return Signal.allCases.allSatisfy { a.present & bit($0) == 0 || a.field($0) == b.field($0) }
    }

    public func hash(into h: inout Hasher) {
        h.combine(present)
        for s in Signal.allCases where present & Self.bit(s) != 0 { h.combine(field(s)) }
        h.combine(extra ?? [:])
    }

    @inline(__always) private func field(_ s: Signal) -> Double {
        switch Self.position(s) {
        case 0: values10.0
        case 1: values10.1
        case 2: values10.2
        case 3: values10.3
        case 4: values10.4
        case 5: values10.5
        case 6: values10.6
        case 7: values10.7
        case 8: values10.8
        default: values10.9
        }
    }

    @inline(__always) private mutating func setField(_ s: Signal, _ v: Double) {
        switch Self.position(s) {
        case 0: values10.0 = v
        case 1: values10.1 = v
        case 2: values10.2 = v
        case 3: values10.3 = v
        case 4: values10.4 = v
        case 5: values10.5 = v
        case 6: values10.6 = v
        case 7: values10.7 = v
        case 8: values10.8 = v
        default: values10.9 = v
        }
    }
}

extension SignalBreakdown: Codable {
    private struct NameKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// A JSON object name → number, exactly as `[String: Double]` encodes.
    public init(from decoder: any Decoder) throws {
        self.init(try [String: Double](from: decoder))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: NameKey.self)
        for (k, v) in pairs { try c.encode(v, forKey: NameKey(stringValue: k)) }
    }
}

extension SignalBreakdown: CustomStringConvertible {
    public var description: String { dictionary.description }
}
