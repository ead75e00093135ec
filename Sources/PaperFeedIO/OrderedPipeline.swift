import Foundation

/// Produce → transform in parallel → consume in order, with at most `limit` items between
/// the producer and the consumer (so memory is bounded by `limit` items, whatever the input).
///
/// The producer runs on its own thread and may block in `emit` until the consumer catches up;
/// `workers` threads run `transform`; the consumer runs on the calling thread and sees the
/// outputs in the order the inputs were emitted. Used by `Ingestor`: read the next chunk ∥
/// parse chunks ∥ apply this one.
final class OrderedPipeline<Input: Sendable, Output: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private var inputs: [(Int, Input)?] = []
    private var inputHead = 0
    private var outputs: [Int: Output] = [:]
    private var emitted = 0
    private var consumed = 0
    private var producing = true
    private var workersLeft: Int
    private let limit: Int
    private let workers: Int

    init(workers: Int, limit: Int) {
        self.workers = max(1, workers)
        self.limit = max(self.workers + 1, limit)
        self.workersLeft = self.workers
    }

    /// Runs the three stages; returns when the producer is done and every output is consumed.
    func run(
        produce: @escaping @Sendable (_ emit: (Input) -> Void) -> Void,
        transform: @escaping @Sendable (Input) -> Output,
        consume: (Output) -> Void
    ) {
        let producer = Thread { [self] in
            produce { item in self.emit(item) }
            condition.lock()
            producing = false
            condition.broadcast()
            condition.unlock()
        }
        producer.stackSize = 4 << 20
        producer.start()
        for _ in 0..<workers {
            let worker = Thread { [self] in work(transform) }
            worker.stackSize = 8 << 20
            worker.start()
        }
        while let output = next() { consume(output) }
        // Workers exit once the producer is done and the queue is empty; wait for them so that
        // no thread outlives the call.
        condition.lock()
        while workersLeft > 0 { condition.wait() }
        condition.unlock()
    }

    private func emit(_ item: Input) {
        condition.lock()
        while emitted - consumed >= limit { condition.wait() }
        inputs.append((emitted, item))
        emitted += 1
        condition.broadcast()
        condition.unlock()
    }

    private func work(_ transform: @Sendable (Input) -> Output) {
        while true {
            condition.lock()
            while inputHead == inputs.count && producing { condition.wait() }
            if inputHead == inputs.count {
                workersLeft -= 1
                condition.broadcast()
                condition.unlock()
                return
            }
            let (index, item) = inputs[inputHead]!
            inputs[inputHead] = nil
            inputHead += 1
            if inputHead > 64 && inputHead * 2 > inputs.count {
                inputs.removeFirst(inputHead)
                inputHead = 0
            }
            condition.unlock()
            let output = transform(item)
            condition.lock()
            outputs[index] = output
            condition.broadcast()
            condition.unlock()
        }
    }

    private func next() -> Output? {
        condition.lock()
        defer { condition.unlock() }
        while outputs[consumed] == nil {
            if !producing && consumed == emitted { return nil }
            condition.wait()
        }
        let output = outputs.removeValue(forKey: consumed)
        consumed += 1
        condition.broadcast()
        return output
    }
}
