import PaperFeedCore

/// The derived id of a Daily Papers entry (the page carries no arXiv id).
///
/// Rule: `dp-` + the first 16 hex digits of SHA-256 over the UTF-8 of the normalized title.
/// Normalization: lowercase (Unicode); every run of characters that are not letters or
/// digits — ASCII punctuation, symbols, whitespace, and also non-ASCII punctuation such as
/// `–` or `“` — becomes one space; leading and trailing spaces are removed. ASCII letters
/// and digits and non-ASCII letters/digits (`é`, `ß`, `中`) are kept as they are.
///
/// Example: `"I understand why I got this grade": Automatic Short Answer Grading with Feedback`
/// → `i understand why i got this grade automatic short answer grading with feedback`.
public enum DailyPapersID {
    public static func normalize(_ title: String) -> String {
        var out = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in title.lowercased().unicodeScalars {
            let keep: Bool
            if scalar.isASCII {
                let v = scalar.value
                keep = (v >= 48 && v <= 57) || (v >= 97 && v <= 122) || (v >= 65 && v <= 90)
            } else {
                let p = scalar.properties
                keep = p.isAlphabetic || p.numericType != nil || p.generalCategory == .nonspacingMark
                    || p.generalCategory == .spacingMark
            }
            if keep {
                if pendingSpace && !out.isEmpty { out.append(" ") }
                pendingSpace = false
                out.append(scalar)
            } else {
                pendingSpace = true
            }
        }
        return String(out)
    }

    /// `dp-` + 16 hex digits; nil when the normalized title is empty.
    public static func make(title: String) -> PaperID? {
        let key = normalize(title)
        guard !key.isEmpty else { return nil }
        return PaperID("dp-" + String(SHA256.hex(key).prefix(16)))
    }
}
