// TEMPORARY: replaced by the parsers branch.
import PaperFeedCore
extension PaperFormat { public static func infer(path: String) -> PaperFormat { .jsonl } }
public enum PaperParser { public static func parse(path: String, format: PaperFormat, options: ParseOptions) throws -> Parsed<Paper> { fatalError() } }
public enum EventParser { public static func parse(path: String, format: EventFormat, options: ParseOptions) throws -> Parsed<Event> { fatalError() } }
public enum UpvoteParser { public static func parse(path: String, options: ParseOptions) throws -> Parsed<UpvoteObservation> { fatalError() } }
public enum CorpusParser { public static func parse(name: String, documents: String, vocabulary: String, libraries: String?) throws -> Corpus { fatalError() } }
