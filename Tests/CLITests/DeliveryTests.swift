import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// A small element tree from Foundation's XMLParser (libxml2: a strict, namespace-aware XML 1.0
/// parser — a malformed document is an error).
final class XMLTree: NSObject, XMLParserDelegate {
    final class Node {
        let name: String, namespace: String?, attributes: [String: String]
        var children: [Node] = []
        var text = ""
        init(_ name: String, _ namespace: String?, _ attributes: [String: String]) {
            self.name = name
            self.namespace = namespace
            self.attributes = attributes
        }
        func all(_ name: String) -> [Node] { children.filter { $0.name == name } }
        func one(_ name: String) -> Node? { all(name).count == 1 ? all(name)[0] : nil }
    }
    var stack: [Node] = []
    var root: Node?
    var error: String?

    static func parse(_ data: Data) -> (Node?, String?) {
        let tree = XMLTree()
        let p = XMLParser(data: data)
        p.shouldProcessNamespaces = true
        p.delegate = tree
        let ok = p.parse() && tree.error == nil && tree.stack.isEmpty && tree.root != nil
        return (ok ? tree.root : nil, ok ? nil : (tree.error ?? p.parserError.map { "\($0)" } ?? "not a complete document"))
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        let n = Node(name, namespaceURI, attributes)
        stack.last?.children.append(n)
        if stack.isEmpty { root = n }
        stack.append(n)
    }
    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        guard stack.last?.name == name else {
            error = error ?? "end tag \(name) does not close \(stack.last?.name ?? "anything") (line \(parser.lineNumber))"
            parser.abortParsing()
            return
        }
        stack.removeLast()
    }
    func parser(_ parser: XMLParser, foundCharacters string: String) { stack.last?.text += string }
    func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) { error = "\(parseError) at line \(parser.lineNumber)" }
}

/// RFC 4287 requirements of a feed document (the MUSTs this exporter can break), as problems.
func atomProblems(_ feed: XMLTree.Node) -> [String] {
    var out: [String] = []
    let atom = "http://www.w3.org/2005/Atom"
    let date = #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$"#  // RFC 3339 date-time (§3.3)
    let iri = #"^[A-Za-z][A-Za-z0-9+.-]*:\S+$"#
    func dateOK(_ n: XMLTree.Node?) -> Bool { n.map { $0.text.range(of: date, options: .regularExpression) != nil } ?? false }
    if feed.name != "feed" || feed.namespace != atom { out.append("root is not atom:feed") }
    for (what, node) in [("feed", feed)] + feed.all("entry").map { ("entry", $0) } {
        if node.namespace != atom { out.append("\(what) outside the Atom namespace") }
        for required in ["id", "title", "updated"] where node.one(required) == nil { out.append("\(what) needs exactly one atom:\(required) (§4.1)") }
        if let id = node.one("id"), id.text.range(of: iri, options: .regularExpression) == nil { out.append("\(what) id is not an IRI: \(id.text)") }
        if !dateOK(node.one("updated")) { out.append("\(what) updated is not an RFC 3339 date-time") }
        for p in node.all("published") where !dateOK(p) { out.append("\(what) published is not an RFC 3339 date-time") }
        for a in node.all("author") where a.one("name") == nil { out.append("\(what) author without exactly one name (§3.2)") }
        if node.all("summary").count > 1 { out.append("\(what) has more than one summary") }
        for l in node.all("link") where l.attributes["href"] == nil { out.append("\(what) link without href (§4.2.7)") }
    }
    let entries = feed.all("entry")
    if feed.all("author").isEmpty && entries.contains(where: { $0.all("author").isEmpty }) {
        out.append("feed without author while an entry has none (§4.1.1)")
    }
    for e in entries {
        let alternate = e.all("link").contains { ($0.attributes["rel"] ?? "alternate") == "alternate" }
        if e.one("content") == nil && !alternate { out.append("entry without content needs a link rel=alternate (§4.1.1)") }
        if e.all("content").count > 1 { out.append("entry with more than one content") }
    }
    let ids = entries.compactMap { $0.one("id")?.text }
    if Set(ids).count != ids.count { out.append("two entries share an id") }
    return out
}

@Suite("CLI: lists and export")
struct DeliveryTests {
    @Test("lists reads a stored run back; export writes JSONL, valid Atom feeds and HTML digests per reader")
    func listsAndExport() throws {
        let dir = try World.make()
        let rerank = try CLI.run(["rerank", "--db", "db.sqlite", "--model", "model", "--as-of", "2025-06-01", "--k", "4", "--quiet"], in: dir)
        #expect(rerank.status == 0, "\(rerank.stderr)")
        let one = try CLI.run(["lists", "--db", "db.sqlite", "--user", "u1", "--json"], in: dir)
        #expect(one.status == 0, "\(one.stderr)")
        let list = try JSONSerialization.jsonObject(with: Data(one.stdout.utf8)) as? [String: Any] ?? [:]
        let items = list["items"] as? [[String: Any]] ?? []
        #expect(list["user"] as? String == "u1" && items.count == 4 && list["schema_version"] as? Int == 1)
        #expect((items.first?["title"] as? String)?.hasPrefix("Paper ") == true && items.first?["link"] as? String == "https://arxiv.org/abs/\(items.first?["paper"] as? String ?? "")")
        #expect(items.map { $0["rank"] as? Int } == [1, 2, 3, 4])
        let nobody = try CLI.run(["lists", "--db", "db.sqlite", "--user", "nobody"], in: dir)
        #expect(nobody.status == 1 && nobody.stderr.contains("has no list for nobody"), "\(nobody.stderr)")
        let unknown = try CLI.run(["lists", "--db", "db.sqlite", "--run", "run-x"], in: dir)
        #expect(unknown.status == 1 && unknown.stderr.contains("no run run-x"), "\(unknown.stderr)")

        let export = try CLI.run(["export", "--db", "db.sqlite", "--run", "latest", "--out", "out", "--json"], in: dir)
        #expect(export.status == 0, "\(export.stderr)")
        #expect(export.stdout.contains("\"readers\":4") && export.stdout.contains("\"items\":16"), "\(export.stdout)")
        let jsonl = try String(contentsOfFile: dir + "/out/lists.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(jsonl.count == 16)
        let first = try JSONSerialization.jsonObject(with: Data(jsonl[0].utf8)) as? [String: Any] ?? [:]
        for key in ["rank", "paper", "title", "authors", "link", "score", "breakdown", "run", "as_of", "user", "why", "schema_version"] {
            #expect(first[key] != nil, "lists.jsonl lacks \(key)")
        }
        for user in ["u0", "u1", "u2", "u3"] {
            let (feed, error) = XMLTree.parse(try Data(contentsOf: URL(fileURLWithPath: dir + "/out/atom/\(user).xml")))
            #expect(error == nil, "\(user).xml: \(error ?? "")")
            guard let feed else { continue }
            #expect(atomProblems(feed).isEmpty, "\(user).xml: \(atomProblems(feed))")
            #expect(feed.all("entry").count == 4)
            // The digest shows the reader's top items in rank order, each with title, authors, arXiv link and why.
            let html = try String(contentsOfFile: dir + "/out/html/\(user).html", encoding: .utf8)
            let (page, htmlError) = XMLTree.parse(Data(html.utf8))
            #expect(htmlError == nil, "\(user).html: \(htmlError ?? "")")
            let feedTitles = feed.all("entry").compactMap { $0.one("title")?.text }
            var position = html.startIndex
            for title in feedTitles {
                guard let r = html.range(of: ">" + title + "</a>", range: position..<html.endIndex) else {
                    Issue.record("\(user).html: \(title) missing or out of order")
                    break
                }
                position = r.upperBound
            }
            #expect(html.contains("https://arxiv.org/abs/") && html.contains("A. Author, B. Writer") && html.contains("Why: "))
            #expect(page?.name == "html")
        }
        // A second export replaces the folder as a whole: same run, same bytes.
        let before = try Data(contentsOf: URL(fileURLWithPath: dir + "/out/atom/u1.xml"))
        #expect(try CLI.run(["export", "--db", "db.sqlite", "--out", "out", "--quiet"], in: dir).status == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: dir + "/out/atom/u1.xml")) == before)
        let bad = try CLI.run(["export", "--db", "db.sqlite", "--out", "out", "--format", "pdf"], in: dir)
        #expect(bad.status == 64 && bad.stderr.contains("--format pdf"), "\(bad.stderr)")
    }

    @Test("the Atom checker rejects what RFC 4287 forbids")
    func atomCheckerCatchesProblems() {
        let bad = """
            <?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><id>x</id><title>t</title><updated>yesterday</updated>
            <entry><id>urn:a</id><title>a</title><updated>2025-01-01T00:00:00Z</updated></entry></feed>
            """
        let (feed, error) = XMLTree.parse(Data(bad.utf8))
        #expect(error == nil)
        let problems = feed.map(atomProblems) ?? []
        #expect(problems.contains("feed id is not an IRI: x"))
        #expect(problems.contains("feed updated is not an RFC 3339 date-time"))
        #expect(problems.contains("feed without author while an entry has none (§4.1.1)"))
        #expect(problems.contains("entry without content needs a link rel=alternate (§4.1.1)"))
        #expect(XMLTree.parse(Data("<feed><entry></feed>".utf8)).1 != nil)
    }
}
