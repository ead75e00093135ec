import Foundation

/// Unknown keys in a JSON configuration decoded with `JSONDecoder` (which ignores them): a typo
/// such as `"sytems"` must be an error naming the key, not a setting that silently does nothing.
///
/// Rule: every member of a JSON object that decodes into a struct must name one of the struct's
/// stored properties — compared after Foundation's `convertFromSnakeCase` (`gzip_runs_above` →
/// `gzipRunsAbove`), so the accepted spellings are exactly those the decoder reads. Objects
/// inside arrays are checked element by element; objects decoded as dictionaries (free-form
/// tables such as `published[].values` or `tune.parameters`) are not. The known properties come
/// from `Mirror` of the decoded value, so a property added to the struct is known at once.
enum ConfigurationKeys {
    /// The first unknown key as `unknown key 'PATH'; known here: a, b, c`, or nil.
    static func firstUnknown(json: Any, decoded: Any, path: String = "") -> String? {
        let mirror = unwrapped(Mirror(reflecting: decoded))
        switch mirror.displayStyle {
        case .struct?, .class?:
            guard let object = json as? [String: Any] else { return nil }
            var children: [String: Any] = [:]
            for child in mirror.children { if let label = child.label { children[label] = child.value } }
            for key in object.keys.sorted() {
                guard let child = children[camelCase(key)] else {
                    let known = children.keys.map(snakeCase).sorted().joined(separator: ", ")
                    return "unknown key '\(path)\(key)'; known here: \(known)"
                }
                if let found = firstUnknown(json: object[key]!, decoded: child, path: path + key + ".") { return found }
            }
            return nil
        case .collection?:
            guard let array = json as? [Any] else { return nil }
            for (i, (element, child)) in zip(array, mirror.children).enumerated() {
                let prefix = path.hasSuffix(".") ? String(path.dropLast()) : path
                if let found = firstUnknown(json: element, decoded: child.value, path: "\(prefix)[\(i)].") { return found }
            }
            return nil
        default:
            return nil
        }
    }

    /// The mirror of the wrapped value of an Optional (unchanged otherwise).
    static func unwrapped(_ m: Mirror) -> Mirror {
        guard m.displayStyle == .optional, let some = m.children.first else { return m }
        return unwrapped(Mirror(reflecting: some.value))
    }

    /// Foundation's `JSONDecoder.KeyDecodingStrategy.convertFromSnakeCase` for one key: leading
    /// and trailing underscores kept; a key without inner underscores unchanged; otherwise the
    /// first word lowercased and the others capitalized.
    static func camelCase(_ key: String) -> String {
        guard let first = key.firstIndex(where: { $0 != "_" }) else { return key }
        guard let last = key.lastIndex(where: { $0 != "_" }) else { return key }
        let core = key[first...last]
        let words = core.split(separator: "_")
        guard words.count > 1 else { return key }
        let joined = ([words[0].lowercased()] + words.dropFirst().map { $0.capitalized }).joined()
        return String(key[..<first]) + joined + String(key[key.index(after: last)...])
    }

    /// `gzipRunsAbove` → `gzip_runs_above` (for the list of known keys).
    static func snakeCase(_ name: String) -> String {
        var out = ""
        for c in name {
            if c.isUppercase {
                if !out.isEmpty { out += "_" }
                out += c.lowercased()
            } else {
                out.append(c)
            }
        }
        return out
    }
}
