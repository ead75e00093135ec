import Foundation
import PaperFeedCore
import PaperFeedEvaluation
import PaperFeedIO

/// `rerank --out/--csv/--trec`: a stored run's lists as JSONL, CSV or a TREC run file, streamed
/// from the store reader by reader into files made visible atomically when complete. Formats in
/// docs/outputs.md ("rerank files").
public enum RankedListWriter {
    /// The CSV's signal columns: every `Signal`, in its byte order, so the row's signals add up to its score.
    static let signalOrder = Signal.allCases.map(\.rawValue)

    /// Writes the requested files of the complete run `run`; returns the paths written.
    public static func write(run: String, store: Store, jsonl: String?, csv: String?, trec: String?) throws -> [String] {
        guard jsonl != nil || csv != nil || trec != nil else { return [] }
        guard let info = try store.run(id: run), info.complete else {
            throw KitError.notFound("run \(run) is not complete; rerun paperfeed rerank to finish it")
        }
        let asOf = Timestamp.format(info.asOf)
        let streams = try [jsonl, csv, trec].map { try $0.map(AtomicFile.Stream.init(path:)) }
        defer { for s in streams { s?.discard() } }
        try streams[1]?.write("user,rank,paper,score," + signalOrder.joined(separator: ",") + "\n")
        try store.forEachList(run: run) { list in
            if let s = streams[0] { try s.write(jsonLine(list, run: run, asOf: asOf)) }
            if let s = streams[1] { try s.write(csvLines(list)) }
            if let s = streams[2] { try s.write(trecLines(list, tag: "paperfeed-\(run)")) }
        }
        for s in streams { try s?.commit() }
        return [jsonl, csv, trec].compactMap { $0 }
    }

    /// `{"as_of":…,"items":[{"paper":…,"rank":1,"score":…,"signals":{…}},…],"run":…,"schema_version":1,"user":…}`.
    public static func jsonLine(_ list: RankedList, run: String, asOf: String) -> String {
        var out = "{\"as_of\":\(EventWriter.quote(asOf)),\"items\":["
        for (i, item) in list.items.enumerated() {
            if i > 0 { out += "," }
            out += "{\"paper\":\(EventWriter.quote(item.paper.rawValue)),\"rank\":\(i + 1),\"score\":\(item.score),"
                + "\"signals\":\(signalsJSON(item.signals))}"
        }
        return out + "],\"run\":\(EventWriter.quote(run)),\"schema_version\":\(Schema.version),\"user\":\(EventWriter.quote(list.user.rawValue))}\n"
    }

    /// A breakdown as a JSON object, keys sorted.
    public static func signalsJSON(_ signals: SignalBreakdown) -> String {
        "{" + signals.keys.sorted().map { "\(EventWriter.quote($0)):\(signals[$0]!)" }.joined(separator: ",") + "}"
    }

    /// `user,rank,paper,score,content,trend,feedback,freshness,skip_penalty` rows of one list.
    public static func csvLines(_ list: RankedList) -> String {
        var out = ""
        for (i, item) in list.items.enumerated() {
            out += "\(csvField(list.user.rawValue)),\(i + 1),\(csvField(item.paper.rawValue)),\(item.score)"
            for s in signalOrder { out += "," + (item.signals[s].map { "\($0)" } ?? "0.0") }
            out += "\n"
        }
        return out
    }

    /// TREC run lines of one list in list order, scores made strictly decreasing (`RunScores`).
    public static func trecLines(_ list: RankedList, tag: String) -> String {
        let scores = RunScores.strictlyDecreasing(list.items.map(\.score))
        var out = ""
        for (i, item) in list.items.enumerated() {
            out += "\(list.user.rawValue) Q0 \(item.paper.rawValue) \(i + 1) \(scores[i]) \(tag)\n"
        }
        return out
    }

    static func csvField(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
}
