/// The per-signal breakdown of a ranked item's score: signal name → weighted, normalized
/// contribution. It behaves like a `[String: Double]` (subscript, `keys`, `values`, iteration
/// as `(key, value)` pairs, dictionary literals, Codable as the same JSON object) but stores the
/// six signals the ranker emits in fixed fields with a presence mask, so building one costs no
/// allocation and no hashing (the batch ranker builds one per listed item: 10M at 100k readers
/// × k = 100). Any other name goes to a rarely used overflow dictionary.
///
/// Iteration, `keys` and `values` are in key order (byte order of the names), so output that
/// walks a breakdown is deterministic. Two breakdowns are equal when they have the same keys
/// with equal values, like dictionaries.
public struct SignalBreakdown: Sendable, Hashable, Sequence, ExpressibleByDictionaryLiteral {
    /// The fixed fields, in byte order; `Slot` indexes them.
    public static let fieldNames = ["content", "diversity", "feedback", "freshness", "skip_penalty", "trend"]

    /// Index of a fixed field in `fieldNames`.
    public enum Slot: Int, Sendable, CaseIterable {
        case content, diversity, feedback, freshness, skipPenalty, trend
    }

    private var content = 0.0, diversity = 0.0, feedback = 0.0, freshness = 0.0, skipPenalty = 0.0, trend = 0.0
    /// Bit i set: field `fieldNames[i]` is present.
    private var present: UInt8 = 0
    /// Names outside `fieldNames` (never produced by the ranker; e.g. decoded from old stores).
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

    /// The value of a fixed field, nil when absent.
    @inline(__always) public subscript(slot: Slot) -> Double? {
        get { present & (1 << slot.rawValue) == 0 ? nil : field(slot) }
        set {
            if let v = newValue {
                setField(slot, v)
                present |= 1 << slot.rawValue
            } else {
                setField(slot, 0)
                present &= ~(1 << slot.rawValue)
            }
        }
    }

    public subscript(key: String) -> Double? {
        get {
            if let s = SignalBreakdown.slot(key) { return self[s] }
            return extra?[key]
        }
        set {
            if let s = SignalBreakdown.slot(key) {
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
        for s in Slot.allCases where present & (1 << s.rawValue) != 0 {
            out.append((key: SignalBreakdown.fieldNames[s.rawValue], value: field(s)))
        }
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
        return Slot.allCases.allSatisfy { a.present & (1 << $0.rawValue) == 0 || a.field($0) == b.field($0) }
    }

    public func hash(into h: inout Hasher) {
        h.combine(present)
        for s in Slot.allCases where present & (1 << s.rawValue) != 0 { h.combine(field(s)) }
        h.combine(extra ?? [:])
    }

    @inline(__always) private func field(_ s: Slot) -> Double {
        switch s {
        case .content: content
        case .diversity: diversity
        case .feedback: feedback
        case .freshness: freshness
        case .skipPenalty: skipPenalty
        case .trend: trend
        }
    }

    @inline(__always) private mutating func setField(_ s: Slot, _ v: Double) {
        switch s {
        case .content: content = v
        case .diversity: diversity = v
        case .feedback: feedback = v
        case .freshness: freshness = v
        case .skipPenalty: skipPenalty = v
        case .trend: trend = v
        }
    }

    private static func slot(_ key: String) -> Slot? {
        switch key {
        case "content": .content
        case "diversity": .diversity
        case "feedback": .feedback
        case "freshness": .freshness
        case "skip_penalty": .skipPenalty
        case "trend": .trend
        default: nil
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
