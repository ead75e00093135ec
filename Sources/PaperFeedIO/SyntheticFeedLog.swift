import Foundation
import PaperFeedCore

/// A seeded, SYNTHETIC feed log in the `ingest events` JSONL format, for ingest benchmarks and
/// tests at millions of events (`paperfeed-bench write-events N FILE`). Readers are `syn-u…`,
/// so the file can never be mistaken for real logs.
///
/// Model (defaults in brackets; a feed of 100k readers logs about 3M impressions a day):
/// - `papersPerDay` [400] new papers a day with arXiv-style ids (`2503.00001`, numbered per
///   month), each with a latent appeal a ∈ (0.2, 1] (from a hash of its id); the feed shows
///   the papers of the last `feedWindowDays` [3] days;
/// - sessions arrive as a Poisson process of `impressionsPerDay / listLength` a day
///   [3,000,000 / 20], twice as dense at 14:00 UTC as at 02:00 (a sine over the day); the
///   reader of a session is drawn from `readers` [100,000] with a power law (reader rank
///   r = ⌊R·u^1.3⌋, u uniform, then permuted), so a few readers are very active;
/// - a session shows `listLength` distinct papers of the window (uniform draw, ordered by
///   appeal), logged as impressions at positions 1… with list id `l-<session>` and
///   propensity min(1, k·a/Σa) to 4 decimals, all at the session's millisecond;
/// - the reader reads position p with probability 0.5·a/p^0.6, 5–300 s later; dismisses an
///   unread paper with probability 0.05 (skip, 2–60 s later); saves a read paper with
///   probability 0.15 and upvotes it with probability 0.08 (10–600 s after the read);
/// - with probability `duplicateRate` [0.002] a line is written twice (at-least-once
///   delivery), so de-duplication has work to do.
/// Lines come in session order: almost, but not exactly, in time order, as real logs do.
/// The file has exactly `events` lines; the same settings give the same bytes.
public struct SyntheticFeedLog: Sendable {
    public var events: Int
    public var readers = 100_000
    public var papersPerDay = 400
    public var impressionsPerDay = 3_000_000
    public var listLength = 20
    public var feedWindowDays = 3
    /// Midnight UTC of the first day.
    public var start = Date(timeIntervalSince1970: 1_740_960_000)  // 2025-03-03
    public var duplicateRate = 0.002
    public var seed: UInt64 = 1

    public init(events: Int, seed: UInt64 = 1) {
        self.events = events
        self.seed = seed
    }

    /// What was written.
    public struct Summary: Sendable, Equatable {
        public var lines: Int
        public var duplicateLines: Int
        public var days: Int
        public var papers: Int
    }

    /// Writes the log to `path` atomically (temp file + rename), streaming: memory stays small.
    @discardableResult
    public func write(to path: String) throws -> Summary {
        precondition(events >= 0 && readers >= 1 && papersPerDay >= listLength && listLength >= 1 && feedWindowDays >= 1)
        let url = URL(fileURLWithPath: path)
        let dir = url.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let temp = dir.appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())").path
        guard FileManager.default.createFile(atPath: temp, contents: nil), let handle = FileHandle(forWritingAtPath: temp) else {
            throw IOError.unreadable(temp, reason: "cannot create the file")
        }
        var generator = Generator(log: self)
        do {
            var out: [UInt8] = []
            out.reserveCapacity(1 << 21)
            while generator.lines < events {
                generator.session(into: &out)
                if out.count >= 1 << 20 {
                    try handle.write(contentsOf: out)
                    out.removeAll(keepingCapacity: true)
                }
            }
            try handle.write(contentsOf: out)
            try handle.synchronize()
            try handle.close()
        } catch {
            try? handle.close()
            try? FileManager.default.removeItem(atPath: temp)
            throw error
        }
        if rename(temp, path) != 0 { throw IOError.unreadable(path, reason: "cannot rename \(temp) into place (errno \(errno))") }
        return Summary(lines: generator.lines, duplicateLines: generator.duplicates, days: generator.day + 1,
                       papers: (generator.day + 1) * papersPerDay)
    }

    /// The generator's state; one `session` call appends one session's lines.
    struct Generator {
        let log: SyntheticFeedLog
        var random: SeededGenerator
        var lines = 0
        var duplicates = 0
        var day = 0
        var sessionCount = 0
        /// Seconds since `start`.
        var clock = 0.0
        var dayPrefix: [UInt8] = []
        /// Paper number of the day's first paper within its month, per day (index = day).
        var firstNumber: [Int] = [1]
        var monthOfDay: [String] = []
        let multiplier: Int
        var shown: [Int] = []
        var pending: [(at: Double, kind: EventKind, paper: Int)] = []

        init(log: SyntheticFeedLog) {
            self.log = log
            random = SeededGenerator(seed: log.seed)
            // A multiplier coprime with the reader count permutes reader ranks into ids.
            var m = 48_271 % max(1, log.readers)
            while log.readers > 1 && Self.gcd(m, log.readers) != 1 { m += 1 }
            multiplier = max(1, m)
            monthOfDay = [Self.month(log.start)]
            dayPrefix = Self.dayText(log.start)
        }

        static func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }

        /// `2503` for March 2025.
        static func month(_ date: Date) -> String {
            let text = Timestamp.format(date)
            return String(text.dropFirst(2).prefix(2)) + String(text.dropFirst(5).prefix(2))
        }

        static func dayText(_ date: Date) -> [UInt8] { Array(Timestamp.format(date).prefix(10).utf8) }

        /// Paper `index` of day `d` → its id and appeal.
        func paperID(day d: Int, index: Int) -> String {
            let number = firstNumber[d] + index
            let digits = String(number)
            return monthOfDay[d] + "." + String(repeating: "0", count: max(0, 5 - digits.count)) + digits
        }

        static func appeal(_ id: String) -> Double {
            0.2 + 0.8 * Double(id.hashValueStable % 10_000) / 10_000
        }

        mutating func advanceDay() {
            day += 1
            let date = log.start.addingTimeInterval(Double(day) * 86_400)
            let month = Self.month(date)
            let previous = monthOfDay[day - 1]
            firstNumber.append(month == previous ? firstNumber[day - 1] + log.papersPerDay : 1)
            monthOfDay.append(month)
            dayPrefix = Self.dayText(date)
        }

        mutating func session(into out: inout [UInt8]) {
            // Next arrival: Poisson with a daily rhythm (thinning would be exact; a rate taken
            // at the current time is close enough for a synthetic log).
            let perSecond = Double(log.impressionsPerDay) / Double(log.listLength) / 86_400
            let hour = (clock.truncatingRemainder(dividingBy: 86_400)) / 3_600
            let rate = perSecond * (1 + 0.5 * sin((hour - 8) / 24 * 2 * Double.pi))
            var u = random.nextUnit()
            while u <= 0 { u = random.nextUnit() }
            clock += -Foundation.log(u) / rate
            while clock >= Double(day + 1) * 86_400 { advanceDay() }
            sessionCount += 1
            let rank = min(log.readers - 1, Int(Double(log.readers) * pow(random.nextUnit(), 1.3)))
            let reader = (rank * multiplier) % log.readers
            let user = "syn-u" + String(reader)
            let list = "l-" + String(sessionCount, radix: 36)

            // The window: the papers of the last feedWindowDays days that exist.
            let windowDays = min(log.feedWindowDays, day + 1)
            let windowSize = windowDays * log.papersPerDay
            shown.removeAll(keepingCapacity: true)
            while shown.count < log.listLength {
                let k = Int(random.next() % UInt64(windowSize))
                if !shown.contains(k) { shown.append(k) }
            }
            let papers = shown.map { k -> (id: String, appeal: Double) in
                let id = paperID(day: day - k / log.papersPerDay, index: k % log.papersPerDay)
                return (id, Self.appeal(id))
            }.sorted { ($0.appeal, $0.id) > ($1.appeal, $1.id) }
            // Σ appeal over the window ≈ windowSize · 0.6 (the mean appeal).
            let totalAppeal = Double(windowSize) * 0.6
            pending.removeAll(keepingCapacity: true)
            for (p, paper) in papers.enumerated() {
                let propensity = max(1, min(10_000, Int(10_000 * Double(log.listLength) * paper.appeal / totalAppeal)))
                line(user, paper.id, .impression, at: clock, position: p + 1, list: list, propensity: propensity, into: &out)
                if random.nextUnit() < 0.5 * paper.appeal / pow(Double(p + 1), 0.6) {
                    let readAt = clock + 5 + 295 * random.nextUnit()
                    pending.append((readAt, .read, p))
                    if random.nextUnit() < 0.15 { pending.append((readAt + 10 + 590 * random.nextUnit(), .save, p)) }
                    if random.nextUnit() < 0.08 { pending.append((readAt + 10 + 590 * random.nextUnit(), .upvote, p)) }
                } else if random.nextUnit() < 0.05 {
                    pending.append((clock + 2 + 58 * random.nextUnit(), .skip, p))
                }
            }
            pending.sort { ($0.at, $0.paper) < ($1.at, $1.paper) }
            for e in pending { line(user, papers[e.paper].id, e.kind, at: e.at, position: nil, list: nil, propensity: nil, into: &out) }
        }

        mutating func line(
            _ user: String, _ paper: String, _ kind: EventKind, at seconds: Double, position: Int?, list: String?,
            propensity: Int?, into out: inout [UInt8]
        ) {
            guard lines < log.events else { return }
            let start = out.count
            out += #"{"user":""#.utf8
            out += user.utf8
            out += #"","paper":""#.utf8
            out += paper.utf8
            out += #"","kind":""#.utf8
            out += kind.rawValue.utf8
            out += #"","at":""#.utf8
            appendTime(seconds, to: &out)
            out.append(UInt8(ascii: "\""))
            if let position {
                out += #","position":"#.utf8
                out += String(position).utf8
            }
            if let list {
                out += #","list":""#.utf8
                out += list.utf8
                out.append(UInt8(ascii: "\""))
            }
            if let propensity {
                out += #","propensity":0."#.utf8
                let digits = String(propensity)
                if propensity == 10_000 {
                    out.removeLast(2)
                    out += "1".utf8
                } else {
                    out += String(repeating: "0", count: 4 - digits.count).utf8
                    out += digits.utf8
                }
            }
            out += "}\n".utf8
            lines += 1
            if lines < log.events && random.nextUnit() < log.duplicateRate {
                out.append(contentsOf: out[start...])
                lines += 1
                duplicates += 1
            }
        }

        /// `YYYY-MM-DDTHH:MM:SS.mmmZ` of `seconds` after `start` (on the day of `seconds`).
        func appendTime(_ seconds: Double, to out: inout [UInt8]) {
            let ms = Int((seconds * 1000).rounded(.down))
            let dayIndex = ms / 86_400_000
            if dayIndex == day {
                out += dayPrefix
            } else {
                out += Self.dayText(log.start.addingTimeInterval(Double(dayIndex) * 86_400))
            }
            var rest = ms % 86_400_000
            let h = rest / 3_600_000
            rest %= 3_600_000
            let m = rest / 60_000
            rest %= 60_000
            let s = rest / 1000
            let f = rest % 1000
            func two(_ v: Int) { out.append(48 + UInt8(v / 10)); out.append(48 + UInt8(v % 10)) }
            out.append(UInt8(ascii: "T"))
            two(h)
            out.append(UInt8(ascii: ":"))
            two(m)
            out.append(UInt8(ascii: ":"))
            two(s)
            out.append(UInt8(ascii: "."))
            out.append(48 + UInt8(f / 100))
            two(f % 100)
            out.append(UInt8(ascii: "Z"))
        }
    }
}
