import Foundation
import PaperFeedCore

/// The consumer of streaming ingest, on the calling thread: per file, the duplicate-id check,
/// the issues and rejects file, `--strict`, and one `IngestBackend.applyChunk` per chunk.
extension StreamingIngest {
    /// What the consumer knows about the file being ingested.
    struct FileState {
        var index: Int
        var summary: IngestSummary
        var issues: [RowIssue] = []
        var rejected = 0
        var rejects: RejectsWriter?
        var ledger = PaperIDLedger()
        var error: (any Error)?
        var strictIssue: RowIssue?
        /// Chunks committed in this run, and the lines they reach.
        var appliedChunks = 0
        var appliedLines = 0
        var start: UInt64
    }

    func consume(_ step: Step) {
        if stopped { return }
        switch step {
        case .pass(let i, let validate):
            if state?.index != i { state = FileState(index: i, summary: IngestSummary(file: files[i], kind: options.kind.rawValue),
                                                     start: DispatchTime.now().uptimeNanoseconds) }
            guard !validate, state?.error == nil else { return }
            resetForApply(resume: plans[i]?.resume)
        case .restart(let i):
            guard state?.index == i, state?.error == nil else { return }
            resetForApply(resume: nil)
        case .parsed(let i, let mode, var chunk):
            guard var s = state, s.index == i, s.error == nil else { return }
            defer { state = s }
            if case .papers(let rows, let hashes) = chunk.rows {
                let kept = s.ledger.filter(rows, hashes: hashes, file: files[i], issues: &chunk.issues)
                chunk.rows = .papers(kept.map { rows[$0] }, hashes: kept.map { hashes[$0] })
            }
            if options.strict, let first = chunk.issues.min(by: { $0.line < $1.line }) {
                if mode == .validate {
                    s.strictIssue = first
                    s.error = IOError.strictFailure(first)
                } else {
                    // The first pass found no bad row: the file changed while it was being ingested.
                    s.error = IOError.unreadable(files[i], reason: "the file changed while it was being ingested (\(first))")
                }
                abandoned.insert(i)
                return
            }
            if mode == .validate { return }
            do {
                try record(chunk.issues, in: &s)
                guard mode == .apply else { return }
                try backend.applyChunk(chunk.rows, checkpoint: chunk.checkpoint, into: &s.summary)
                s.appliedChunks += 1
                s.appliedLines = chunk.checkpoint.lines
                committed += 1
                if let limit = options.stopAfterChunks, committed >= limit {
                    stopped = true
                    for f in files.indices { abandoned.insert(f) }
                    s.rejects?.discard()
                    results[i] = IngestFileResult(summary: s.summary, issues: [], error: "stopped after \(committed) chunks (test)")
                }
            } catch {
                s.error = error
                abandoned.insert(i)
            }
        case .parsedPage(let i, let parsed):
            guard var s = state, s.index == i, s.error == nil else { return }
            defer { state = s }
            if options.strict, let first = parsed.issues.first {
                s.strictIssue = first
                s.error = IOError.strictFailure(first)
                return
            }
            do {
                try record(parsed.issues, in: &s)
                try backend.applyChunk(.papers(parsed.rows), checkpoint: nil, into: &s.summary)
            } catch {
                s.error = error
            }
        case .failed(let i, let error):
            if state?.index != i { state = FileState(index: i, summary: IngestSummary(file: files[i], kind: options.kind.rawValue),
                                                     start: DispatchTime.now().uptimeNanoseconds) }
            if state?.error == nil { state?.error = error }
            abandoned.insert(i)
        case .end(let i):
            guard let s = state, s.index == i else { return }
            results[i] = finish(s)
            state = nil
        case .chunk, .page:
            preconditionFailure("workers turn every chunk into .parsed or .failed")
        }
    }

    private func resetForApply(resume: IngestProgress?) {
        guard var s = state else { return }
        s.rejects?.discard()
        s.rejects = nil
        s.issues = []
        s.rejected = 0
        s.ledger = PaperIDLedger()
        s.summary = IngestSummary(file: files[s.index], kind: options.kind.rawValue)
        if let r = resume {
            s.summary.accepted = r.accepted
            s.summary.updated = r.updated
            s.summary.duplicate = r.duplicate
            s.summary.orphan = r.orphan
        }
        state = s
    }

    private func record(_ issues: [RowIssue], in s: inout FileState) throws {
        guard !issues.isEmpty else { return }
        if s.rejects == nil { s.rejects = RejectsWriter(for: files[s.index], directory: Ingestor.rejectsDirectory(options, store)) }
        try s.rejects!.write(issues)
        s.rejected += issues.count
        let room = Ingestor.keptIssues - s.issues.count
        if room > 0 { s.issues += issues.sorted { ($0.line, $0.field) < ($1.line, $1.field) }.prefix(room) }
    }

    private func finish(_ s: FileState) -> IngestFileResult {
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - s.start) / 1e9
        if let error = s.error {
            s.rejects?.discard()
            if s.appliedChunks == 0 {
                var result = failure(files[s.index], error, since: s.start)
                if let issue = s.strictIssue { result.issues = [issue] }
                return result
            }
            var summary = s.summary
            summary.seconds = seconds
            let message = "\(error) (lines 1–\(s.appliedLines) of this file were applied and are kept; "
                + "ingest the file again once it is fixed: it resumes after them)"
            return IngestFileResult(summary: summary, issues: [], error: message)
        }
        var summary = s.summary
        summary.rejected = s.rejected
        do {
            if let writer = s.rejects { summary.rejectsFile = try writer.finish() }
        } catch {
            return failure(files[s.index], error, since: s.start)
        }
        summary.seconds = seconds
        return IngestFileResult(summary: summary, issues: s.issues, error: nil)
    }

    func failure(_ file: String, _ error: any Error, since start: UInt64) -> IngestFileResult {
        var summary = IngestSummary(file: file, kind: options.kind.rawValue)
        summary.seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return IngestFileResult(summary: summary, issues: [], error: "\(error)")
    }
}
