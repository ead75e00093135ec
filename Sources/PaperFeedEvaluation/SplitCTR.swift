import PaperFeedCore

/// The CTR protocol for bag-of-words corpora with published per-reader splits (Wang & Blei,
/// KDD 2011; the CVAE splits of citeulike-a/-t, `cf-train-P-users.dat` / `cf-test-P-users.dat`):
/// reader *u* (0-based line) keeps P papers in `train[u]`, the rest of their library is
/// `test[u]`; for each reader with a non-empty test set, **every** item not in `train[u]` is
/// ranked, and recall@M = |test[u] ∩ top M| / |test[u]| is averaged over those readers.
///
/// Ids: item *i* is the paper `NAME:i`, reader *u* is `NAME:u<u>` (as `CorpusParser` names them).
/// Readers with an empty test line are skipped (no judgments → not evaluated).
public struct CTRSplit: Sendable, Hashable {
    public var name: String
    public var itemCount: Int
    /// Per reader (line order): training items, 0-based.
    public var train: [[Int]]
    /// Per reader (line order): held-out items, 0-based.
    public var test: [[Int]]

    public init(name: String, itemCount: Int, train: [[Int]], test: [[Int]]) {
        self.name = name
        self.itemCount = itemCount
        self.train = train
        self.test = test
    }

    public var readerCount: Int { train.count }
    public func user(_ u: Int) -> UserID { UserID("\(name):u\(u)") }
    public func paper(_ i: Int) -> PaperID { PaperID("\(name):\(i)") }

    /// Readers (line indices) with at least one test item.
    public var evaluatedReaders: [Int] { test.indices.filter { !test[$0].isEmpty } }

    /// Test items as judgments of grade 1 (readers with an empty test set are absent).
    public var qrels: Qrels {
        var q: [UserID: [PaperID: Int]] = [:]
        for (u, items) in test.enumerated() where !items.isEmpty {
            var row: [PaperID: Int] = [:]
            for i in items { row[paper(i)] = 1 }
            q[user(u)] = row
        }
        return Qrels(q)
    }

    /// Checks: as many train as test lines, ids in 0..<itemCount, no item twice in a list,
    /// and no item in both a reader's train and test lists.
    public func validate() throws(SplitError) {
        guard train.count == test.count else {
            throw .invalid("CTR split \(name): \(train.count) train lines but \(test.count) test lines; use files of the same split")
        }
        for u in train.indices {
            var seen = Set<Int>()
            for i in train[u] {
                guard i >= 0 && i < itemCount else { throw .invalid("CTR split \(name): reader \(u) train item \(i) out of 0..<\(itemCount)") }
                guard seen.insert(i).inserted else { throw .invalid("CTR split \(name): reader \(u) train item \(i) repeated") }
            }
            var seenTest = Set<Int>()
            for i in test[u] {
                guard i >= 0 && i < itemCount else { throw .invalid("CTR split \(name): reader \(u) test item \(i) out of 0..<\(itemCount)") }
                guard seenTest.insert(i).inserted else { throw .invalid("CTR split \(name): reader \(u) test item \(i) repeated") }
                if seen.contains(i) { throw .positiveInBoth(user: user(u).rawValue, paper: paper(i).rawValue) }
            }
        }
    }

    /// A validation split drawn from the training lists only (for tuning without touching
    /// test): for each reader with at least `holdout + 1` training items, `holdout` of them,
    /// chosen by a Fisher–Yates shuffle seeded with `seed` and the reader index, become the
    /// test items; the rest stay in train. Readers with fewer keep all of train and get no test.
    public func validationSplit(holdout: Int, seed: UInt64) throws(SplitError) -> CTRSplit {
        guard holdout >= 1 else { throw .invalid("validation holdout must be ≥ 1, got \(holdout)") }
        var tr: [[Int]] = [], te: [[Int]] = []
        let base = SeededGenerator(seed: seed)
        for (u, items) in train.enumerated() {
            guard items.count > holdout else {
                tr.append(items)
                te.append([])
                continue
            }
            var g = base.derived(UInt64(u))
            var shuffled = items
            shuffled.shuffle(using: &g)
            te.append(Array(shuffled.prefix(holdout)).sorted())
            tr.append(Array(shuffled.dropFirst(holdout)).sorted())
        }
        return CTRSplit(name: name, itemCount: itemCount, train: tr, test: te)
    }
}
