import NIOCore

/// Runs a task's jobs on one NIO event loop: a request's statements then continue on the loop that
/// reads their results, without a hop to Swift's thread pool and back for each of them.
final class EventLoopTaskExecutor: TaskExecutor {
    private let loop: any EventLoop

    init(_ loop: any EventLoop) { self.loop = loop }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        loop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
