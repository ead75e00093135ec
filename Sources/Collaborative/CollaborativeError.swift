/// Every error the Collaborative module throws. Messages say what went wrong and what to do.
public enum CollaborativeError: Error, Equatable, CustomStringConvertible {
    /// Interaction lists that do not fit the declared shape (an id out of range, a repeat).
    case invalidInteractions(String)
    /// A configuration value out of its documented range.
    case invalidConfiguration(String)
    /// A fold-in or scoring call whose input does not fit the fitted model.
    case shapeMismatch(String)

    public var description: String {
        switch self {
        case .invalidInteractions(let why): return "invalid interactions: \(why)"
        case .invalidConfiguration(let why): return "invalid configuration: \(why)"
        case .shapeMismatch(let why): return "shape mismatch: \(why)"
        }
    }
}
