import BuildInfo
import Foundation
import PaperFeedCore

/// One reader's list as an Atom feed (RFC 4287): `feed` with `id`, `title`, `updated` (the
/// run's as-of time), `author`, `generator` (version and commit); one `entry` per item in rank
/// order with `id` (`urn:paperfeed:paper:ID`, stable across nights, so a reader's feed client
/// sees the same paper as the same entry), `title`, `updated`, an `author` per paper author,
/// `link rel="alternate"` to the arXiv page when there is one (else a `content` element, as
/// RFC 4287 §4.1.2 requires), `summary` (rank, score, why) and one `category` per signal.
/// Text is escaped for XML; characters XML 1.0 forbids are dropped.
public enum AtomFeed {
    public static func render(_ list: DeliveredList) -> String {
        var out = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n"
        out += "  <id>urn:paperfeed:feed:\(urnPart(list.user))</id>\n"
        out += "  <title>PaperFeed: papers for \(xml(list.user))</title>\n"
        out += "  <subtitle>Run \(xml(list.run)), ranked as of \(xml(list.asOf))</subtitle>\n"
        out += "  <updated>\(xml(list.asOf))</updated>\n"
        out += "  <author><name>PaperFeed</name></author>\n"
        out += "  <generator version=\"\(xml(Build.version))\">PaperFeed (commit \(xml(Build.commit)))</generator>\n"
        for item in list.items {
            out += "  <entry>\n"
            out += "    <id>urn:paperfeed:paper:\(urnPart(item.paper))</id>\n"
            out += "    <title>\(xml(item.title.isEmpty ? item.paper : item.title))</title>\n"
            out += "    <updated>\(xml(list.asOf))</updated>\n"
            if let p = item.published { out += "    <published>\(xml(p))T00:00:00Z</published>\n" }
            for a in item.authors where !a.trimmingCharacters(in: .whitespaces).isEmpty { out += "    <author><name>\(xml(a))</name></author>\n" }
            let summary = "#\(item.rank), score \(String(format: "%.3f", item.score)): \(item.why)"
            if let link = item.link {
                out += "    <link rel=\"alternate\" type=\"text/html\" href=\"\(xml(link))\"/>\n"
            } else {
                out += "    <content type=\"text\">\(xml(item.paper + " — " + summary))</content>\n"
            }
            out += "    <summary type=\"text\">\(xml(summary))</summary>\n"
            for (signal, value) in item.breakdown.sorted(by: { $0.key < $1.key }) where value != 0 {
                out += "    <category term=\"\(xml(signal))\" label=\"\(xml(signal)) \(String(format: "%.3f", value))\"/>\n"
            }
            out += "  </entry>\n"
        }
        return out + "</feed>\n"
    }

    /// A URN part: RFC 3986 unreserved characters kept, everything else percent-encoded (UTF-8).
    static func urnPart(_ s: String) -> String {
        var out = ""
        for b in s.utf8 {
            let c = Character(UnicodeScalar(b))
            if b < 128 && (c.isLetter || c.isNumber || "-._~".contains(c)) { out.append(c) } else { out += String(format: "%%%02X", b) }
        }
        return out
    }

    /// XML text/attribute escaping; drops characters not allowed in XML 1.0.
    public static func xml(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for u in s.unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default:
                let v = u.value
                if v == 0x9 || v == 0xA || v == 0xD || (v >= 0x20 && v <= 0xD7FF) || (v >= 0xE000 && v <= 0xFFFD) || v >= 0x10000 {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out
    }
}

/// One reader's list as a self-contained HTML page (inline CSS, no script, no network):
/// heading with the reader, the run and its as-of time; per item its rank, title (linked to the
/// arXiv page when there is one), authors, publication day, score and why it is there. Every
/// item is an `<li class="item" data-paper="ID" data-rank="N">` so tests and tools can read it.
/// XHTML-style markup (every element closed), so an XML parser accepts it.
public enum HTMLDigest {
    public static func render(_ list: DeliveredList) -> String {
        let x = AtomFeed.xml
        var out = "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
        out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
        out += "<title>Papers for \(x(list.user)) — \(x(String(list.asOf.prefix(10))))</title>\n<style>\(css)</style>\n</head>\n<body>\n"
        out += "<h1>Papers for \(x(list.user))</h1>\n"
        out += "<p class=\"meta\">\(list.items.count) papers ranked as of \(x(list.asOf)) (run \(x(list.run)); PaperFeed \(x(Build.version))).</p>\n"
        out += "<ol class=\"items\">\n"
        for item in list.items {
            let title = x(item.title.isEmpty ? item.paper : item.title)
            out += "<li class=\"item\" data-paper=\"\(x(item.paper))\" data-rank=\"\(item.rank)\">\n"
            out += item.link.map { "<h2><a href=\"\(x($0))\">\(title)</a></h2>\n" } ?? "<h2>\(title)</h2>\n"
            let authors = item.authors.isEmpty ? "authors not listed" : item.authors.joined(separator: ", ")
            out += "<p class=\"authors\">\(x(authors))</p>\n"
            out += "<p class=\"ids\">\(item.link == nil ? x(item.paper) : "arXiv:" + x(item.paper))"
                + (item.published.map { " · published \(x($0))" } ?? "") + " · score \(String(format: "%.3f", item.score))</p>\n"
            out += "<p class=\"why\">Why: \(x(item.why))</p>\n</li>\n"
        }
        return out + "</ol>\n</body>\n</html>\n"
    }

    static let css = """
        body{font-family:system-ui,sans-serif;margin:2em auto;max-width:820px;color:#222;line-height:1.4}
        ol.items{padding-left:1.5em}li.item{margin:0 0 1.2em}li.item h2{font-size:1.05em;margin:0 0 .2em}
        a{color:#0b57d0}p{margin:.1em 0}.authors{color:#444}.ids,.meta{color:#666;font-size:.9em}.why{font-size:.9em}
        """
}
