import Foundation

/// ISO 8601 parsing and formatting without `DateFormatter` (fast, locale-free, UTC).
///
/// Accepted: `YYYY-MM-DD` (midnight UTC), `YYYY-MM-DDTHH:MM[:SS[.fff…]]` followed by `Z`,
/// `±HH:MM`, `±HHMM` or nothing (then UTC); a space may stand for `T`.
public enum Timestamp {
    /// Parses an ISO 8601 date or date-time; `nil` when the text is not one.
    public static func parse(_ text: some StringProtocol) -> Date? {
        var bytes = Array(text.utf8)
        while let l = bytes.last, l == 32 || l == 9 || l == 13 { bytes.removeLast() }
        var i = 0
        func digits(_ n: Int) -> Int? {
            guard i + n <= bytes.count else { return nil }
            var v = 0
            for k in 0..<n {
                let c = bytes[i + k]
                guard c >= 48 && c <= 57 else { return nil }
                v = v * 10 + Int(c - 48)
            }
            i += n
            return v
        }
        func expect(_ c: UInt8) -> Bool {
            guard i < bytes.count, bytes[i] == c else { return false }
            i += 1
            return true
        }
        guard let y = digits(4), expect(45), let mo = digits(2), expect(45), let d = digits(2) else { return nil }
        guard (1...12).contains(mo), d >= 1, d <= daysInMonth(y, mo) else { return nil }
        var seconds = Double(daysFromCivil(y, mo, d)) * 86_400
        if i == bytes.count { return Date(timeIntervalSince1970: seconds) }
        guard bytes[i] == 84 || bytes[i] == 116 || bytes[i] == 32 else { return nil }
        i += 1
        guard let h = digits(2), expect(58), let mi = digits(2), h < 24, mi < 60 else { return nil }
        var s = 0.0
        if expect(58) {
            guard let ss = digits(2), ss < 61 else { return nil }
            s = Double(ss)
            if i < bytes.count, bytes[i] == 46 || bytes[i] == 44 {
                i += 1
                var scale = 0.1
                var any = false
                while i < bytes.count, bytes[i] >= 48, bytes[i] <= 57 {
                    s += Double(bytes[i] - 48) * scale
                    scale /= 10
                    i += 1
                    any = true
                }
                guard any else { return nil }
            }
        }
        seconds += Double(h * 3600 + mi * 60) + s
        if i == bytes.count { return Date(timeIntervalSince1970: seconds) }
        if bytes[i] == 90 || bytes[i] == 122 {
            i += 1
        } else if bytes[i] == 43 || bytes[i] == 45 {
            let sign = bytes[i] == 43 ? 1.0 : -1.0
            i += 1
            guard let oh = digits(2), oh <= 14 else { return nil }
            _ = expect(58)
            guard let om = digits(2), om < 60 else { return nil }
            seconds -= sign * Double(oh * 3600 + om * 60)
        } else {
            return nil
        }
        return i == bytes.count ? Date(timeIntervalSince1970: seconds) : nil
    }

    /// `YYYY-MM-DDTHH:MM:SSZ`, or with milliseconds when the time has a fraction.
    public static func format(_ date: Date) -> String {
        let t = date.timeIntervalSince1970
        let whole = t.rounded(.down)
        let ms = Int(((t - whole) * 1000).rounded())
        var days = Int(whole) / 86_400
        var rem = Int(whole) % 86_400
        if rem < 0 { rem += 86_400; days -= 1 }
        let (y, m, d) = civilFromDays(days)
        let base = "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(rem / 3600, 2)):\(pad(rem / 60 % 60, 2)):\(pad(rem % 60, 2))"
        return ms == 0 || ms == 1000 ? base + "Z" : base + ".\(pad(ms, 3))Z"
    }

    /// `YYYY-MM-DD` of the UTC day containing `date`.
    public static func formatDay(_ date: Date) -> String {
        let (y, m, d) = civilFromDays(Int((date.timeIntervalSince1970 / 86_400).rounded(.down)))
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))"
    }

    /// Midnight UTC of the given civil date; `nil` for an impossible date.
    public static func date(year: Int, month: Int, day: Int) -> Date? {
        guard (1...12).contains(month), day >= 1, day <= daysInMonth(year, month) else { return nil }
        return Date(timeIntervalSince1970: Double(daysFromCivil(year, month, day)) * 86_400)
    }

    /// (year, month, day) of the UTC day containing `date`.
    public static func civil(_ date: Date) -> (year: Int, month: Int, day: Int) {
        let c = civilFromDays(Int((date.timeIntervalSince1970 / 86_400).rounded(.down)))
        return (c.0, c.1, c.2)
    }

    public static func daysInMonth(_ y: Int, _ m: Int) -> Int {
        switch m {
        case 2: return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    private static func pad(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    /// Days since 1970-01-01 (H. Hinnant's `days_from_civil`).
    static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civilFromDays(_ z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }
}
