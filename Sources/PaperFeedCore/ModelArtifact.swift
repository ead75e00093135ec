/// A fitted model as files see it: a manifest plus named Float32 arrays and named string lists.
/// Models (TopicModel, …) convert themselves to and from this; PaperFeedIO reads and writes it
/// (`ModelFiles`), so no model module touches the file system.
public struct ModelArtifact: Sendable, Equatable {
    /// Format version written by this build. Loading refuses any other version.
    public static let formatVersion = 1

    public var kind: String
    public var createdAt: String
    /// Fit parameters as strings (dims, min_df, …), for the manifest and for re-use.
    public var parameters: [String: String]
    public var seed: UInt64
    public var documentCount: Int
    /// SHA-256 of the vocabulary (terms joined by "\n") and of the corpus (document ids and texts).
    public var vocabularySHA256: String
    public var corpusSHA256: String
    public var arrays: [String: FloatArray]
    public var lists: [String: [String]]

    public init(kind: String, createdAt: String, parameters: [String: String], seed: UInt64, documentCount: Int,
                vocabularySHA256: String, corpusSHA256: String, arrays: [String: FloatArray], lists: [String: [String]]) {
        self.kind = kind
        self.createdAt = createdAt
        self.parameters = parameters
        self.seed = seed
        self.documentCount = documentCount
        self.vocabularySHA256 = vocabularySHA256
        self.corpusSHA256 = corpusSHA256
        self.arrays = arrays
        self.lists = lists
    }
}

/// A shaped Float32 array (row-major).
public struct FloatArray: Sendable, Equatable {
    public var shape: [Int]
    public var values: [Float]
    public init(shape: [Int], values: [Float]) {
        precondition(shape.reduce(1, *) == values.count, "FloatArray shape does not match its values")
        self.shape = shape
        self.values = values
    }
}
