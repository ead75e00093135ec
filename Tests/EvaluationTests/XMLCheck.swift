/// A small XML well-formedness checker for the XHTML report (Foundation's `XMLDocument` is
/// not available on every Linux toolchain): balanced and properly nested tags, one root,
/// quoted attributes without `<`, no duplicate attributes, every `&` starting an entity,
/// and HTML void elements written self-closed (`<br/>`).
enum XMLCheck {
    static let voidElements: Set<String> = ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"]

    /// Problems found; empty when well-formed.
    static func problems(_ text: String) -> [String] {
        let b = Array(text.utf8)
        var i = 0, stack: [String] = [], roots = 0, out: [String] = []
        func starts(_ s: String, at j: Int) -> Bool {
            let u = Array(s.utf8)
            return j + u.count <= b.count && Array(b[j..<(j + u.count)]) == u
        }
        func checkEntities(_ lo: Int, _ hi: Int, _ what: String) {
            var j = lo
            while j < hi {
                if b[j] == UInt8(ascii: "&") {
                    var k = j + 1
                    while k < hi, k - j < 12, b[k] != UInt8(ascii: ";") { k += 1 }
                    let name = String(decoding: b[(j + 1)..<min(k, hi)], as: UTF8.self)
                    let ok = k < hi && b[k] == UInt8(ascii: ";")
                        && (["amp", "lt", "gt", "quot", "apos"].contains(name)
                            || (name.hasPrefix("#") && name.count > 1 && name.dropFirst().allSatisfy(\.isNumber)))
                    if !ok { out.append("unescaped & in \(what) at byte \(j)") }
                }
                j += 1
            }
        }
        func isName(_ c: UInt8) -> Bool {
            (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 45 || c == 95 || c == 58 || c == 46
        }
        func skipSpace() { while i < b.count, b[i] == 32 || b[i] == 10 || b[i] == 9 || b[i] == 13 { i += 1 } }
        while i < b.count {
            let textStart = i
            while i < b.count, b[i] != UInt8(ascii: "<") { i += 1 }
            checkEntities(textStart, i, "text")
            if i < b.count, stack.isEmpty, b[textStart..<i].contains(where: { $0 > 32 }) {
                out.append("text outside the root element at byte \(textStart)")
            }
            guard i < b.count else { break }
            if starts("<!--", at: i) {
                while i < b.count, !starts("-->", at: i) { i += 1 }
                i += 3
            } else if starts("<!DOCTYPE", at: i) {
                if roots > 0 { out.append("DOCTYPE after the root") }
                while i < b.count, b[i] != UInt8(ascii: ">") { i += 1 }
                i += 1
            } else if starts("</", at: i) {
                i += 2
                let s = i
                while i < b.count, isName(b[i]) { i += 1 }
                let name = String(decoding: b[s..<i], as: UTF8.self)
                skipSpace()
                if i >= b.count || b[i] != UInt8(ascii: ">") { out.append("bad end tag </\(name) at byte \(s)") }
                i += 1
                if stack.last == name { stack.removeLast() } else {
                    out.append("end tag </\(name)> does not close <\(stack.last ?? "nothing")> at byte \(s)")
                }
            } else {
                i += 1
                let s = i
                while i < b.count, isName(b[i]) { i += 1 }
                let name = String(decoding: b[s..<i], as: UTF8.self)
                if name.isEmpty { out.append("raw < at byte \(s - 1)"); continue }
                var attributes = Set<String>(), selfClosed = false
                while true {
                    skipSpace()
                    guard i < b.count else { out.append("unterminated tag <\(name)"); break }
                    if starts("/>", at: i) { selfClosed = true; i += 2; break }
                    if b[i] == UInt8(ascii: ">") { i += 1; break }
                    let a = i
                    while i < b.count, isName(b[i]) { i += 1 }
                    let attr = String(decoding: b[a..<i], as: UTF8.self)
                    if attr.isEmpty || !attributes.insert(attr).inserted { out.append("bad or repeated attribute in <\(name)> at byte \(a)") }
                    skipSpace()
                    guard i < b.count, b[i] == UInt8(ascii: "=") else { out.append("attribute \(attr) without value"); break }
                    i += 1
                    skipSpace()
                    guard i < b.count, b[i] == 34 || b[i] == 39 else { out.append("unquoted attribute \(attr)"); break }
                    let q = b[i]
                    i += 1
                    let v = i
                    while i < b.count, b[i] != q { i += 1 }
                    if b[v..<i].contains(UInt8(ascii: "<")) { out.append("< in attribute \(attr)") }
                    checkEntities(v, i, "attribute \(attr)")
                    i += 1
                }
                if stack.isEmpty { roots += 1 }
                if voidElements.contains(name.lowercased()) && !selfClosed { out.append("void element <\(name)> not self-closed") }
                if !selfClosed { stack.append(name) }
            }
        }
        if !stack.isEmpty { out.append("unclosed elements: \(stack)") }
        if roots != 1 { out.append("expected one root element, found \(roots)") }
        return out
    }

    /// Replaces the five predefined entities and numeric references.
    static func unescape(_ s: String) -> String {
        s.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&apos;", with: "'").replacingOccurrences(of: "&amp;", with: "&")
    }
}
