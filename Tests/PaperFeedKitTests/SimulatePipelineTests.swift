import Foundation
import PaperFeedCore
@testable import PaperFeedIO
import Ranking
import Testing

@testable import PaperFeedKit

@Suite struct SimulatePipelineTests {
    /// The simulation `simulatedStore()` already ran once (seed 3, end 2025-05-15).
    static var configuration: ReaderSimulator.Configuration {
        var sim = ReaderSimulator.Configuration()
        sim.readers = 30
        sim.days = 10
        sim.listLength = 6
        sim.seed = 3
        return sim
    }

    @Test func storesMarkedObservationsAndARerunIsAllDuplicates() throws {
        let (store, model, dir) = try simulatedStore()
        defer { try? store.close() }
        let stored = try store.upvoteObservations()
        #expect(!stored.isEmpty)
        #expect(try store.upvoteObservations(ingestedOnly: true).isEmpty, "every stored observation is marked simulate")
        let csv = dir + "/observations.csv"
        let again = try SimulatePipeline.run(store: store, model: model, configuration: Self.configuration, end: Timestamp.parse("2025-05-15"),
                                             eventsFile: nil, qrelsFile: nil, observationsFile: csv, storeEvents: true,
                                             progress: Progress(enabled: false))
        // The rerun does not see its own earlier observations: same world, nothing new stored.
        #expect(again.observations == stored.count)
        #expect(again.stored?.accepted == 0 && again.stored?.duplicate == again.events)
        #expect(again.storedObservations?.accepted == 0 && again.storedObservations?.updated == 0)
        #expect(again.storedObservations?.duplicate == again.observations)
        #expect(try store.upvoteObservations() == stored)

        // The CSV reads back with `ingest upvotes`' parser, row for row.
        let text = try String(contentsOfFile: csv, encoding: .utf8)
        #expect(text.hasPrefix("paper,observed_at,upvotes,source\n"))
        #expect(text.split(separator: "\n").dropFirst().allSatisfy { $0.hasSuffix(",simulate(seed 3)") })
        let parsed = try UpvoteParser.parse(path: csv, options: ParseOptions(now: Timestamp.parse("2026-01-01")!))
        #expect(parsed.issues.isEmpty)
        #expect(Set(parsed.rows.map(\.row)) == Set(stored))
    }

    @Test func ingestedObservationsStayUnmarked() throws {
        let (store, _, _) = try simulatedStore()
        defer { try? store.close() }
        let real = UpvoteObservation(paper: PaperID("p001"), observedAt: Timestamp.parse("2025-05-02T12:00:00Z")!, upvotes: 4)
        var summary = IngestSummary(file: "test", kind: "upvotes")
        try store.applyObservations([Located(line: 1, row: real)], into: &summary)
        #expect(summary.accepted == 1)
        #expect(try store.upvoteObservations(ingestedOnly: true) == [real])
        #expect(try store.upvoteObservations(before: Timestamp.parse("2025-05-02")!, ingestedOnly: true).isEmpty)
    }
}
