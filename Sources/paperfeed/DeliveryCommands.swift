import ArgumentParser
import Foundation
import PaperFeedCore
import PaperFeedIO
import PaperFeedKit

struct ListsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lists", abstract: "Read a stored run back: every reader's list (or one reader's), with titles and why.",
        discussion: "--json prints one JSON object per reader per line (schema in docs/outputs.md), streamed from the store.")
    @OptionGroup var store: StoreOptions
    @Option(name: .customLong("run"), help: "Run: latest (the newest complete run) or a run id.") var runID = "latest"
    @Option(help: "Only this reader.") var user: String?
    @Option(help: "Show the first N items of each list (text output).") var top = 10
    @Flag(help: "One JSON object per reader per line.") var json = false
    @OptionGroup var logging: LoggingOptions

    func run() throws {
        logging.start()
        let db = try store.open()
        defer { try? db.close() }
        do {
            let info = try DeliveredList.resolve(store: db, reference: runID)
            var readers = 0
            if !json { print("run \(info.id) as of \(Timestamp.format(info.asOf)), k = \(info.k), \(info.readers) readers") }
            try DeliveredList.forEach(store: db, run: info, user: user) { list in
                readers += 1
                if json { return try Output.json(list) }
                print("\n\(list.user)")
                for item in list.items.prefix(top) {
                    print(String(format: "%3d. %.3f  ", item.rank, item.score) + "\(item.paper)  \(item.title.prefix(90))")
                    print("       \(item.why)")
                }
            }
            if let user, readers == 0 { throw KitError.notFound("run \(info.id) has no list for \(user)") }
        } catch let e as KitError {
            throw Failure("\(e)")
        }
    }
}

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Deliver a stored run: JSONL, one Atom feed and one HTML digest per reader.",
        discussion: """
            Writes DIR/lists.jsonl, DIR/atom/READER.xml, DIR/html/READER.html and DIR/export.json (formats in
            docs/outputs.md). The folder is replaced as a whole when the export is complete; readers are streamed.
            """)
    @OptionGroup var store: StoreOptions
    @Option(name: .customLong("run"), help: "Run: latest (the newest complete run) or a run id.") var runID = "latest"
    @Option(help: "Comma-separated formats: jsonl, atom, html.") var format = "jsonl,atom,html"
    @Option(help: "Output folder (replaced when the export is complete).") var out: String
    @Flag(help: "Print the summary as JSON.") var json = false
    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        for f in format.split(separator: ",") where ExportPipeline.Format(rawValue: String(f)) == nil {
            throw ValidationError("--format \(f): use jsonl, atom and/or html (comma-separated)")
        }
    }

    func run() throws {
        logging.start()
        let formats = format.split(separator: ",").compactMap { ExportPipeline.Format(rawValue: String($0)) }
        let db = try store.open()
        defer { try? db.close() }
        let s: ExportPipeline.Summary
        do {
            let info = try DeliveredList.resolve(store: db, reference: runID)
            s = try ExportPipeline.run(store: db, run: info, formats: formats, out: out, progress: logging.progress)
        } catch { throw Failure("\(error)") }
        if json { return try Output.json(s) }
        print("exported run \(s.run) (as of \(s.asOf)): \(s.readers) readers, \(s.items) items, \(s.formats.map(\.rawValue).joined(separator: ", ")) → \(s.out)")
    }
}
