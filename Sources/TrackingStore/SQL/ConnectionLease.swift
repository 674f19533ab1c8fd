import Synchronization

/// Hands out a fixed set of connections, one task at a time each; later callers wait in line.
package final class ConnectionLease<Connection: AnyObject & Sendable>: Sendable {
    private struct State {
        var idle: [Connection]
        var waiters: [CheckedContinuation<Connection, Never>] = []
    }
    private let state: Mutex<State>

    package init(_ connections: [Connection]) {
        state = Mutex(State(idle: connections))
    }

    package func acquire() async -> Connection {
        if let connection = state.withLock({ $0.idle.popLast() }) { return connection }
        return await withCheckedContinuation { continuation in
            let ready: Connection? = state.withLock { state in
                if let connection = state.idle.popLast() { return connection }
                state.waiters.append(continuation)
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    package func release(_ connection: Connection) {
        let waiter: CheckedContinuation<Connection, Never>? = state.withLock { state in
            if state.waiters.isEmpty {
                state.idle.append(connection)
                return nil
            }
            return state.waiters.removeFirst()
        }
        waiter?.resume(returning: connection)
    }

    package func drain() -> [Connection] {
        state.withLock { state in
            defer { state.idle.removeAll() }
            return state.idle
        }
    }
}
