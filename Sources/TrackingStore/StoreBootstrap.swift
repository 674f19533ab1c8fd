import TrackingCore

/// Opens the database named by a backend URI and readies MLflow's schema on it.
package enum StoreBootstrap {
    package static func openDatabase(_ uri: BackendURI) throws -> any SQLDatabase {
        switch uri {
        case .sqlite(let path): try SQLitePool(path: path)
        }
    }

    /// Opens the database, creates the schema when it is empty (refusing another revision), and
    /// returns the store over it.
    package static func open(uri: BackendURI, defaultArtifactRoot: String) async throws -> SQLTrackingStore {
        let database = try openDatabase(uri)
        do {
            try await SchemaManager(database: database).prepare(
                defaultArtifactRoot: defaultArtifactRoot, now: SQLTrackingStore.currentTimeMillis())
        } catch {
            await database.close()
            throw error
        }
        return SQLTrackingStore(database: database, defaultArtifactRoot: defaultArtifactRoot)
    }
}
