import Foundation

/// `ingest --max-rejects N|P%` (and the nightly's `max_rejects`): how many rejected rows a
/// command tolerates in all. `N` is a count; `P%` a share of the rows read (accepted + updated
/// + duplicate + rejected). The limit is checked after the files were applied (each file is its
/// own transaction): past it the command fails with exit 1, so cron notices; the accepted rows
/// stay stored and the rejected ones are in the rejects files.
public enum RejectLimit: Sendable, Equatable {
    case count(Int)
    case share(Double)

    /// `100`, `0`, `2%`, `0.5%`; nil for anything else (negative, > 100%, not a number).
    public init?(parsing text: String) {
        let t = text.trimmingCharacters(in: .whitespaces)
        if t.hasSuffix("%") {
            guard let p = Double(t.dropLast()), p.isFinite, p >= 0, p <= 100 else { return nil }
            self = .share(p / 100)
        } else {
            guard let n = Int(t), n >= 0 else { return nil }
            self = .count(n)
        }
    }

    /// What is past the limit in `total`, or nil when within it.
    public func exceeded(by total: IngestSummary) -> String? {
        let read = total.accepted + total.updated + total.duplicate + total.rejected
        switch self {
        case .count(let n):
            return total.rejected > n ? "\(total.rejected) rows rejected, more than the \(n) allowed" : nil
        case .share(let p):
            let share = read == 0 ? 0 : Double(total.rejected) / Double(read)
            return share > p
                ? "\(total.rejected) of \(read) rows rejected (\(Self.percent(share))), more than the \(Self.percent(p)) allowed" : nil
        }
    }

    static func percent(_ x: Double) -> String {
        let v = (x * 1000).rounded() / 10
        return (v == v.rounded() ? String(Int(v)) : String(v)) + "%"
    }
}
