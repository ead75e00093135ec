import Foundation
import PaperFeedCore

/// Off-policy estimate of a new ranker's click-through rate from logged impressions.
///
/// **Log.** Each impression event (`kind == .impression`) with a `position` and a
/// `propensity` p = P(logging policy shows this paper at this position in this list) is one
/// sample. Its **click** c ∈ {0, 1} is 1 when the same reader has a `.read` event of the same
/// paper at or after the impression time, and — when both events carry a list id — with the
/// same list id. Its **context** is the impression's list id, or the reader id when it has none.
///
/// **Matching rule (item-position model).** `newLists[context]` is the new ranker's list
/// for that context; the sample's weight is w = 1[newLists[context][position − 1] == paper] / p.
///
/// **Estimators** over the N usable samples:
///
///     IPS   = (1/N) Σ w_i c_i                       (Horvitz & Thompson 1952; Li et al., WSDM 2011)
///     SNIPS = Σ w_i c_i / Σ w_i   (0 if Σ w = 0)    (Swaminathan & Joachims, NeurIPS 2015)
///     ESS   = (Σ w_i)² / Σ w_i²   (0 if Σ w² = 0)   (Kish 1965)
///
/// IPS estimates the expected clicks per shown slot under the new ranker. Its standard error is
/// sd(w·c)/√N. Intervals are percentile bootstraps over samples (seeded).
///
/// **Assumptions.** (1) The click probability of a paper depends only on the reader/context,
/// the paper and its position — not on the other papers of the list (item-position model;
/// no cascade effects). (2) Full support: p > 0 wherever the new ranker places a paper
/// (otherwise IPS is biased low). (3) Propensities are the true logging probabilities.
/// (4) Contexts are the same for both rankers (the new list is built for the logged list).
/// SNIPS trades a small bias for much lower variance; IPS is unbiased under (1)–(4).
/// Samples without a position or propensity, or whose context has no new list, are skipped
/// and counted. The estimate is flagged untrustworthy when ESS < `essThreshold`.
public enum OffPolicy {
    /// One usable logged impression.
    public struct Sample: Sendable, Hashable {
        public var context: String
        public var paper: PaperID
        public var position: Int
        public var propensity: Double
        public var click: Bool
        public init(context: String, paper: PaperID, position: Int, propensity: Double, click: Bool) {
            self.context = context
            self.paper = paper
            self.position = position
            self.propensity = propensity
            self.click = click
        }
    }

    /// Samples from events (see the type's documentation) and the number of impressions skipped
    /// for lacking a position or propensity. Throws on a propensity outside (0, 1].
    public static func samples(from events: [Event]) throws -> (samples: [Sample], skipped: Int) {
        struct Key: Hashable { var user: UserID; var paper: PaperID }
        var reads: [Key: [(at: Date, list: String?)]] = [:]
        for e in events where e.kind == .read { reads[Key(user: e.user, paper: e.paper), default: []].append((e.at, e.list)) }
        var out: [Sample] = [], skipped = 0
        for e in events where e.kind == .impression {
            guard let position = e.position, position >= 1, let p = e.propensity else {
                skipped += 1
                continue
            }
            guard p > 0, p <= 1 else {
                throw EvaluationError.invalidInput(
                    "impression of \(e.paper) to \(e.user): propensity \(p) is not in (0, 1]; log the probability "
                        + "with which the logging policy showed the paper at that position")
            }
            let click = reads[Key(user: e.user, paper: e.paper)]?.contains { r in
                r.at >= e.at && (r.list == nil || e.list == nil || r.list == e.list)
            } ?? false
            out.append(Sample(context: e.list ?? e.user.rawValue, paper: e.paper, position: position,
                              propensity: p, click: click))
        }
        return (out, skipped)
    }

    /// The estimate from events.
    public static func estimate(events: [Event], newLists: [String: [PaperID]],
                                options: OffPolicyOptions = .init()) throws -> OffPolicyEstimate {
        let (samples, skipped) = try samples(from: events)
        var e = estimate(samples: samples, newLists: newLists, options: options)
        e.skippedImpressions += skipped
        return e
    }

    /// The estimate from samples; samples whose context has no new list are skipped.
    public static func estimate(samples: [Sample], newLists: [String: [PaperID]],
                                options: OffPolicyOptions = .init()) -> OffPolicyEstimate {
        var w: [Double] = [], c: [Double] = [], skipped = 0, matched = 0, clicks = 0
        for s in samples {
            guard let list = newLists[s.context] else {
                skipped += 1
                continue
            }
            let match = s.position <= list.count && list[s.position - 1] == s.paper
            if match { matched += 1 }
            if s.click { clicks += 1 }
            w.append(match ? 1 / s.propensity : 0)
            c.append(s.click ? 1 : 0)
        }
        let n = w.count
        let wc = zip(w, c).map { $0 * $1 }
        let ips = PairedTests.mean(wc)
        let sumW = w.reduce(0, +)
        let snips = sumW > 0 ? wc.reduce(0, +) / sumW : 0
        let ess = effectiveSampleSize(weights: w)
        // Bootstrap over samples.
        var g = SeededGenerator(seed: options.seed)
        var ipsB: [Double] = [], snipsB: [Double] = []
        if n > 0 {
            for _ in 0..<options.bootstrapResamples {
                var swc = 0.0, sw = 0.0
                for _ in 0..<n {
                    let i = Int(g.next() % UInt64(n))
                    swc += wc[i]
                    sw += w[i]
                }
                ipsB.append(swc / Double(n))
                snipsB.append(sw > 0 ? swc / sw : 0)
            }
        }
        ipsB.sort()
        snipsB.sort()
        let lo = (1 - options.confidenceLevel) / 2, hi = (1 + options.confidenceLevel) / 2
        let trustworthy = ess >= options.essThreshold
        var reason: String? = nil
        if !trustworthy {
            reason = matched == 0
                ? "the new ranker never places a logged paper at its logged position, so no logged impression informs the estimate (ESS 0 < \(ReportFormat.g(options.essThreshold)))"
                : "the effective sample size \(ReportFormat.v(ess)) is below \(ReportFormat.g(options.essThreshold)): the new ranker agrees with the log on only \(matched) of \(n) impressions, or a few low-propensity impressions carry most of the weight, so the estimate has high variance"
        }
        return OffPolicyEstimate(
            impressions: n, matched: matched, clicks: clicks, skippedImpressions: skipped, ips: ips,
            ipsStandardError: n > 1 ? PairedTests.standardDeviation(wc) / Double(n).squareRoot() : 0,
            ipsCILow: PairedTests.quantile(sorted: ipsB, lo), ipsCIHigh: PairedTests.quantile(sorted: ipsB, hi),
            snips: snips, snipsCILow: PairedTests.quantile(sorted: snipsB, lo),
            snipsCIHigh: PairedTests.quantile(sorted: snipsB, hi), effectiveSampleSize: ess,
            essThreshold: options.essThreshold, trustworthy: trustworthy, reason: reason)
    }

    /// ESS = (Σ w)² / Σ w² (Kish); 0 when every weight is 0.
    public static func effectiveSampleSize(weights w: [Double]) -> Double {
        let s2 = w.reduce(0) { $0 + $1 * $1 }
        guard s2 > 0 else { return 0 }
        let s = w.reduce(0, +)
        return s * s / s2
    }
}

public struct OffPolicyOptions: Sendable, Hashable {
    public var bootstrapResamples: Int
    public var confidenceLevel: Double
    public var seed: UInt64
    /// Minimum ESS for `trustworthy` (default 100).
    public var essThreshold: Double
    public init(bootstrapResamples: Int = 2_000, confidenceLevel: Double = 0.95, seed: UInt64 = 0,
                essThreshold: Double = 100) {
        self.bootstrapResamples = bootstrapResamples
        self.confidenceLevel = confidenceLevel
        self.seed = seed
        self.essThreshold = essThreshold
    }
}

/// The result of `OffPolicy.estimate` (snake_case JSON keys).
public struct OffPolicyEstimate: Codable, Sendable, Hashable {
    /// Usable samples N, those where the new ranker matches the log, and logged clicks among N.
    public var impressions: Int
    public var matched: Int
    public var clicks: Int
    /// Impressions left out (no position/propensity, or no new list for the context).
    public var skippedImpressions: Int
    public var ips: Double
    public var ipsStandardError: Double
    public var ipsCILow: Double
    public var ipsCIHigh: Double
    public var snips: Double
    public var snipsCILow: Double
    public var snipsCIHigh: Double
    public var effectiveSampleSize: Double
    public var essThreshold: Double
    public var trustworthy: Bool
    /// Why the estimate is not trustworthy (nil when it is).
    public var reason: String?

    enum CodingKeys: String, CodingKey {
        case impressions, matched, clicks, ips, snips, trustworthy, reason
        case skippedImpressions = "skipped_impressions", ipsStandardError = "ips_standard_error"
        case ipsCILow = "ips_ci_low", ipsCIHigh = "ips_ci_high", snipsCILow = "snips_ci_low"
        case snipsCIHigh = "snips_ci_high", effectiveSampleSize = "effective_sample_size"
        case essThreshold = "ess_threshold"
    }
}
