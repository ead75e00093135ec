import Foundation
import PaperFeedCore

extension RerankPipeline {
    /// No paper is a candidate as of the run's time (none published in the candidate window
    /// before it): nothing is stored unless `Options.allowEmpty`. The usual cause is a default
    /// `--as-of` (now) on older data.
    public struct NoCandidates: Error, CustomStringConvertible {
        public var asOf: Date
        public var windowDays: Double
        public var newest: Date?
        public var description: String {
            "no candidates as of \(Timestamp.format(asOf)): no paper published in the \(ReportNumber.g(windowDays)) days before it "
                + "(newest paper in the store: \(newest.map(Timestamp.formatDay) ?? "none")); pass --as-of within the data, "
                + "or --allow-empty to store an empty run"
        }
    }
}

/// Short forms of settings in messages.
enum ReportNumber {
    /// `7`, `0.5`: the shortest form.
    static func g(_ x: Double) -> String { x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x) }
}
