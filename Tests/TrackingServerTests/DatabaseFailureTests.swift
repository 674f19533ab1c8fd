import HTTPTypes
import Testing
import TrackingCore
import TrackingServer
import TrackingStore

/// A database failure reaches the client as MLflow's error body without SQL, over REST and GraphQL.
@Suite("Database failures")
struct DatabaseFailureTests {
    @Test func aFailingQueryIsAnInternalErrorWithoutItsSQL() async throws {
        try await TestServer.run { api, store in
            try await store.database.write { connection in try await connection.executeScript("DROP TABLE experiment_tags") }
            let response = try await api.get("experiments/get?experiment_id=0")
            #expect(response.status == 500)
            #expect(response.errorCode == "INTERNAL_ERROR")
            #expect(response.message == "Internal error while accessing the database.")
            #expect(!response.text.contains("experiment_tags"))
            let graphql = try await api.send(
                "/graphql", method: .post,
                body: #"{"query": "{ mlflowGetExperiment(input: {experimentId: \"0\"}) { experiment { name } } }"}"#)
            #expect(graphql.status == 200)
            #expect(graphql.json["errors"] == .array([.string("Internal error while accessing the database.")]))
        }
    }
}
