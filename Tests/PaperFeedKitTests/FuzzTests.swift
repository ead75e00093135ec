import Foundation
import PaperFeedCore
import Testing

/// The mutation fuzzer of issue 15 over every parser (`FuzzTargets.all()`: papers JSONL / CSV /
/// arXiv, Daily Papers text, events JSONL / CSV, upvotes CSV / JSONL, LDA-C corpora, TREC qrels
/// and runs, model manifests and array headers, ranking and experiment configurations).
///
/// For each parser it runs its seed inputs, then mutants of them (`FuzzMutator`). It fails on a
/// stored value that does not read back as accepted, or a broken invariant (`FuzzFailure`); a
/// crash kills the test process (so `make test` fails), and an input that runs longer than the
/// time budget makes the watchdog print it and exit the process. Before each input runs it is
/// written to `$TMPDIR/paperfeed-fuzz/TARGET.last`, so the input of a crash is on disk; failing
/// inputs are kept as `TARGET-INDEX.fail`. Mutant i of a target is a function of (seed, target
/// name, i): rerun with the printed seed to replay.
///
/// Environment: `PAPERFEED_FUZZ_MUTANTS` (per parser; default 40: a few seconds inside
/// `make test`; `make fuzz` runs 2,000), `PAPERFEED_FUZZ_SEED` (default 20261201),
/// `PAPERFEED_FUZZ_BUDGET` (seconds per input, default 30 — the debug build is slow).
@Suite struct FuzzTests {
    static let environment = ProcessInfo.processInfo.environment
    static let seed = environment["PAPERFEED_FUZZ_SEED"].flatMap { UInt64($0) } ?? 20_261_201
    static let mutants = environment["PAPERFEED_FUZZ_MUTANTS"].flatMap { Int($0) } ?? 40
    static let budget = environment["PAPERFEED_FUZZ_BUDGET"].flatMap { Double($0) } ?? 30

    struct Tally: Sendable {
        var inputs = 0, accepting = 0, rows = 0, maxSeconds = 0.0, seconds = 0.0
        var failures: [String] = []
    }

    @Test func mutantsNeverCrashHangOrCorruptWhatIsStored() throws {
        let targets = try FuzzTargets.all()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("paperfeed-fuzz").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        print("fuzz: seed \(Self.seed), \(Self.mutants) mutants per parser (plus the seeds), \(targets.count) parsers, "
            + "time budget \(Self.budget) s per input; inputs in \(folder)")
        let watchdog = Watchdog(count: targets.count, budget: Self.budget)
        watchdog.start()
        let tallies = ConcurrentSlots<Tally>(count: targets.count)
        let t0 = Date()
        DispatchQueue.concurrentPerform(iterations: targets.count) { t in
            let target = targets[t]
            var tally = Tally()
            let total = target.seeds.count + Self.mutants
            for i in 0..<total {
                let input: [UInt8]
                if i < target.seeds.count {
                    input = target.seeds[i]
                } else {
                    var m = FuzzMutator(g: SeededGenerator(seed: Self.seed).derived(target.name.hashValueStable &+ UInt64(i)))
                    input = m.mutate(m.pick(target.seeds), others: target.seeds)
                }
                let last = folder + "/\(target.name).last"
                try? Data(input).write(to: URL(fileURLWithPath: last))
                watchdog.begin(t, "\(target.name) input \(i) (seed \(Self.seed)): \(last)")
                let start = Date()
                do {
                    let rows = try target.run(input)
                    tally.rows += rows
                    if rows > 0 { tally.accepting += 1 }
                } catch {
                    let kept = folder + "/\(target.name)-\(i).fail"
                    try? Data(input).write(to: URL(fileURLWithPath: kept))
                    tally.failures.append("\(target.name) input \(i): \(error) (input kept in \(kept))")
                }
                let seconds = Date().timeIntervalSince(start)
                watchdog.end(t)
                tally.inputs += 1
                tally.seconds += seconds
                tally.maxSeconds = max(tally.maxSeconds, seconds)
            }
            tallies[t] = tally
        }
        watchdog.stop()
        var failures: [String] = []
        var inputs = 0
        for (t, target) in targets.enumerated() {
            let x = tallies[t]!
            inputs += x.inputs
            failures += x.failures
            let name = target.name.padding(toLength: 18, withPad: " ", startingAt: 0)
            print("fuzz: \(name)" + String(format: " %5d inputs, %5d accepted something (%6d rows), %d failures, slowest %.3f s, total %.1f s",
                                           x.inputs, x.accepting, x.rows, x.failures.count, x.maxSeconds, x.seconds))
        }
        print(String(format: "fuzz: %d inputs over %d parsers in %.1f s (seed %llu): %d crashes, %d hangs, %d read-back or invariant failures",
                     inputs, targets.count, Date().timeIntervalSince(t0), Self.seed, 0, 0, failures.count))
        for f in failures.prefix(20) { Issue.record(Comment(rawValue: f)) }
    }
}

/// Exits the process when an input runs past the budget (a hang cannot be interrupted in
/// process); prints which input it was.
final class Watchdog: @unchecked Sendable {
    private let lock = NSLock()
    private var running: [(label: String, since: Date)?]
    private let budget: Double
    private var stopped = false

    init(count: Int, budget: Double) {
        running = Array(repeating: nil, count: count)
        self.budget = budget
    }

    func begin(_ slot: Int, _ label: String) {
        lock.lock()
        running[slot] = (label, Date())
        lock.unlock()
    }

    func end(_ slot: Int) {
        lock.lock()
        running[slot] = nil
        lock.unlock()
    }

    func stop() {
        lock.lock()
        stopped = true
        lock.unlock()
    }

    func start() {
        Thread.detachNewThread { [self] in
            while true {
                usleep(200_000)
                lock.lock()
                if stopped {
                    lock.unlock()
                    return
                }
                let now = Date()
                let hung = running.compactMap { $0 }.first { now.timeIntervalSince($0.since) > budget }
                lock.unlock()
                if let hung {
                    FileHandle.standardError.write(Data("fuzz: HANG: \(hung.label) ran more than \(budget) s\n".utf8))
                    exit(3)
                }
            }
        }
    }
}
