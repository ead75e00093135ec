import Foundation
import PaperFeedCore

/// One run of streaming ingest over a list of files (see `Ingestor` for the guarantees):
/// a producer thread reads chunks, worker threads parse them, and the calling thread applies
/// them in order, one transaction per chunk.
final class StreamingIngest {
    /// What flows through the pipeline, in file order.
    enum Step: Sendable {
        /// A pass over file `i` starts: `validate` (strict: parse only) or `apply`.
        case pass(Int, validate: Bool)
        /// Producer → workers: a chunk to parse; `mode` says what the consumer does with it.
        case chunk(Int, Mode, InputChunk)
        /// Workers → consumer.
        case parsed(Int, Mode, ParsedChunk)
        /// A Daily Papers page, parsed whole by a worker.
        case page(Int)
        case parsedPage(Int, Parsed<Paper>)
        /// The prefix recorded by an earlier run is not this file's: start it over (nothing of
        /// the prefix was applied in this run).
        case restart(Int)
        case failed(Int, any Error)
        case end(Int)
    }

    enum Mode: Sendable {
        /// Strict first pass: look for bad rows, write nothing.
        case validate
        /// The prefix an earlier run applied: rebuild rejects and the duplicate-id check only.
        case replay
        case apply
    }

    struct ParsedChunk: Sendable {
        var rows: IngestRows
        var issues: [RowIssue]
        var checkpoint: IngestCheckpoint
    }

    /// Files the consumer gave up on (a strict failure, an error): the producer stops reading them.
    final class Abandoned: @unchecked Sendable {
        private let lock = NSLock()
        private var files = Set<Int>()
        func insert(_ i: Int) { lock.lock(); files.insert(i); lock.unlock() }
        func contains(_ i: Int) -> Bool { lock.lock(); defer { lock.unlock() }; return files.contains(i) }
    }

    let files: [String]
    let options: IngestOptions
    let store: Store
    let backend: any IngestBackend
    var results: [IngestFileResult?]
    var plans: [FilePlan?] = []
    var state: FileState?
    var committed = 0
    var stopped = false
    let abandoned = Abandoned()

    init(files: [String], options: IngestOptions, store: Store, backend: any IngestBackend) {
        self.files = files
        self.options = options
        self.store = store
        self.backend = backend
        results = Array(repeating: nil, count: files.count)
    }

    func run() -> [IngestFileResult] {
        var plans: [FilePlan?] = []
        var keys = Set<String>()
        for (i, file) in files.enumerated() {
            do {
                var plan = try makePlan(i, file)
                // Only the first mention of a file in a run may resume it.
                if keys.insert(plan.key).inserted, plan.streamed,
                    let progress = try backend.ingestProgress(kind: plan.kind.rawValue, path: plan.key),
                    !progress.checkpoint.complete, progress.checkpoint.bytes > 0
                {
                    plan.resume = progress
                }
                plans.append(plan)
            } catch {
                plans.append(nil)
                results[i] = failure(file, error, since: DispatchTime.now().uptimeNanoseconds)
            }
        }
        let workers = max(1, ProcessInfo.processInfo.activeProcessorCount)
        let pipeline = OrderedPipeline<Step, Step>(workers: workers, limit: workers + 3)
        let chunkBytes = options.chunkBytes
        let abandoned = abandoned
        let planned = plans
        self.plans = plans
        pipeline.run(
            produce: { emit in Self.produce(planned.compactMap { $0 }, chunkBytes: chunkBytes, abandoned: abandoned, emit: emit) },
            transform: { step in Self.transform(step, plans: planned) },
            consume: { step in self.consume(step) })
        return results.enumerated().map { i, r in
            r ?? IngestFileResult(summary: IngestSummary(file: files[i], kind: options.kind.rawValue), issues: [],
                                  error: "\(files[i]): stopped before this file")
        }
    }

    private func makePlan(_ i: Int, _ file: String) throws -> FilePlan {
        let reading: FilePlan.Reading
        switch options.kind {
        case .papers:
            reading = .papers(try Ingestor.resolveFormat(options.format, inferred: PaperFormat.infer(path: file), file: file, kind: "paper"))
        case .events:
            reading = .events(try Ingestor.resolveFormat(options.format, inferred: EventFormat.infer(path: file), file: file, kind: "event"))
        case .upvotes:
            reading = .upvotes
        case .corpus:
            preconditionFailure("corpora are ingested whole")
        }
        let key = URL(fileURLWithPath: file).standardizedFileURL.resolvingSymlinksInPath().path
        return FilePlan(index: i, path: file, key: key, kind: options.kind, reading: reading, strict: options.strict,
                        resume: nil, parse: options.parse)
    }

    // MARK: - Producer (its own thread)

    static func produce(_ plans: [FilePlan], chunkBytes: Int, abandoned: Abandoned, emit: (Step) -> Void) {
        for plan in plans {
            let i = plan.index
            defer { emit(.end(i)) }
            guard plan.streamed else {
                emit(.pass(i, validate: false))
                emit(.page(i))
                continue
            }
            do {
                if plan.strict {
                    emit(.pass(i, validate: true))
                    let reader = try InputChunkReader(path: plan.path, records: plan.records, chunkBytes: chunkBytes)
                    while !abandoned.contains(i), let chunk = try reader.next() { emit(.chunk(i, .validate, chunk)) }
                    if abandoned.contains(i) { continue }
                }
                emit(.pass(i, validate: false))
                var reader = try InputChunkReader(path: plan.path, records: plan.records, chunkBytes: chunkBytes)
                var resume = plan.resume?.checkpoint
                reader.stopAt = resume?.bytes
                var mode = resume == nil ? Mode.apply : .replay
                while !abandoned.contains(i), let chunk = try reader.next() {
                    emit(.chunk(i, mode, chunk))
                    guard mode == .replay, let r = resume, chunk.end >= r.bytes || chunk.isLast else { continue }
                    if chunk.end == r.bytes && chunk.fingerprint == r.fingerprint {
                        mode = .apply
                        reader.stopAt = nil
                        if chunk.isLast {
                            // The whole file was applied but not marked complete: mark it now.
                            emit(.chunk(i, .apply, InputChunk(bytes: [], firstLine: chunk.firstLine + chunk.lineCount, lineCount: 0,
                                                              start: chunk.end, end: chunk.end, isLast: true,
                                                              fingerprint: chunk.fingerprint)))
                        }
                    } else {
                        emit(.restart(i))
                        reader = try InputChunkReader(path: plan.path, records: plan.records, chunkBytes: chunkBytes)
                        mode = .apply
                        resume = nil
                    }
                }
            } catch {
                emit(.failed(i, error))
            }
        }
    }

    // MARK: - Workers

    static func transform(_ step: Step, plans: [FilePlan?]) -> Step {
        switch step {
        case .chunk(let i, let mode, let chunk):
            let plan = plans[i]!
            do {
                let (rows, issues) = try ChunkParser.parse(chunk, plan: plan)
                let checkpoint = IngestCheckpoint(
                    kind: plan.kind.rawValue, path: plan.key, complete: chunk.isLast, bytes: chunk.end,
                    lines: chunk.firstLine + chunk.lineCount - 1, fingerprint: chunk.fingerprint)
                return .parsed(i, mode, ParsedChunk(rows: rows, issues: issues, checkpoint: checkpoint))
            } catch {
                return .failed(i, error)
            }
        case .page(let i):
            let plan = plans[i]!
            do {
                return .parsedPage(i, try PaperParser.parse(path: plan.path, format: .dailypapers, options: plan.parse))
            } catch {
                return .failed(i, error)
            }
        default:
            return step
        }
    }
}
