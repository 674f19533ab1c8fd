import Foundation
import TrackingCore
import TrackingStore

/// The databases the store contract runs on. SQLite always; PostgreSQL joins when its backend lands.
enum StoreBackend: String, CaseIterable, CustomTestStringConvertible {
    case sqlite

    var testDescription: String { rawValue }

    static var available: [StoreBackend] { allCases }

    /// A fresh, empty database with MLflow's schema, a store over it, and its clean-up.
    func withStore(_ body: (SQLTrackingStore) async throws -> Void) async throws {
        switch self {
        case .sqlite:
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("store-\(UUID().uuidString).db").path
            defer {
                for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            }
            let store = try await StoreBootstrap.open(uri: .sqlite(path: path), defaultArtifactRoot: "file:///artifacts")
            do {
                try await body(store)
            } catch {
                await store.database.close()
                throw error
            }
            await store.database.close()
        }
    }
}

import Testing

extension SQLTrackingStore {
    func makeRun(in experimentId: String? = nil, name: String? = nil) async throws -> Run {
        let experiment: String
        if let experimentId {
            experiment = experimentId
        } else {
            experiment = try await createExperiment(name: "exp-\(UUID().uuidString)", artifactLocation: nil, tags: [])
        }
        return try await createRun(CreateRun(experimentId: experiment, userId: "u", startTime: 1, runName: name, tags: []))
    }
}
