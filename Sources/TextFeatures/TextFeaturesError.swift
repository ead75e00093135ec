/// Errors of the TextFeatures module.
public enum TextFeaturesError: Error, Equatable, CustomStringConvertible {
    /// A `TfidfConfiguration` value outside its documented range.
    case invalidConfiguration(String)
    /// Saved vocabulary / idf / document frequencies that do not fit together.
    case inconsistentModel(String)
    /// `transform(counts:)` on a model that was not fitted from counts (use
    /// `transform(counts:vocabulary:)`).
    case noCountVocabulary

    public var description: String {
        switch self {
        case .invalidConfiguration(let why): "invalid TF-IDF configuration: \(why)"
        case .inconsistentModel(let why): "inconsistent TF-IDF model: \(why)"
        case .noCountVocabulary: "this TF-IDF model was not fitted from term counts; pass the vocabulary"
        }
    }
}
