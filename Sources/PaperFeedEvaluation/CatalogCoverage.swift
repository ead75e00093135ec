import PaperFeedCore

/// Beyond-accuracy measures of a run: coverage, novelty, diversity. They need no judgments.
public enum BeyondAccuracy {
    /// Catalog coverage = |distinct papers recommended in any reader's first k| / catalog size.
    ///
    /// "Prediction coverage" / "catalog coverage" of Ge, Delgado-Battenfeld & Jannach (RecSys
    /// 2010) and Herlocker et al. (TOIS 2004). Lists are cut at `cutoff` after sorting by score
    /// (ties by `tieBreak`); `nil` uses whole lists. Every distinct recommended paper counts; use
    /// the `catalog:` overload to count only papers of a known catalog. 0 for an empty catalog.
    public static func catalogCoverage(
        _ run: Run, catalogSize: Int, cutoff: Int? = nil, tieBreak: TieBreak = .paperIDDescending
    ) -> Double {
        guard catalogSize > 0 else { return 0 }
        return Double(recommended(run, cutoff: cutoff, tieBreak: tieBreak).count) / Double(catalogSize)
    }

    /// Coverage of a given catalog: recommended papers that are in `catalog`, over its size.
    public static func catalogCoverage(
        _ run: Run, catalog: Set<PaperID>, cutoff: Int? = nil, tieBreak: TieBreak = .paperIDDescending
    ) -> Double {
        guard !catalog.isEmpty else { return 0 }
        let shown = recommended(run, cutoff: cutoff, tieBreak: tieBreak)
        return Double(shown.intersection(catalog).count) / Double(catalog.count)
    }

    /// Distinct papers in the readers' first k.
    static func recommended(_ run: Run, cutoff: Int?, tieBreak: TieBreak) -> Set<PaperID> {
        var shown = Set<PaperID>()
        for user in run.lists.keys {
            for item in run.ranked(user, tieBreak: tieBreak).prefix(cutoff ?? Int.max) { shown.insert(item.paper) }
        }
        return shown
    }
}
