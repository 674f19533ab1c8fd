import HTTPTypes
import Testing
import TrackingCore
import TrackingServer

@Suite("probes and unknown routes")
struct ServerEndpointTests {
    @Test func healthVersionServerInfo() async throws {
        try await TestServer.run { api in
            let health = try await api.send("/health", method: .get, body: nil)
            #expect(health.status == 200)
            #expect(health.text == "OK")
            let version = try await api.send("/version", method: .get, body: nil)
            #expect(version.text == "3.18.0")
            let info = try await api.send("/api/3.0/mlflow/server-info", method: .get, body: nil)
            #expect(info.json["store_type"]?.stringValue == "SqlStore")
            #expect(info.json["workspaces_enabled"] == .bool(false))
        }
    }

    @Test func unknownPathAndMethod() async throws {
        try await TestServer.run { api in
            let unknown = try await api.get("nope")
            #expect(unknown.status == 404)
            #expect(unknown.errorCode == "ENDPOINT_NOT_FOUND")
            let wrongMethod = try await api.get("runs/create")
            #expect(wrongMethod.status == 405)
            #expect(wrongMethod.errorCode == "ENDPOINT_NOT_FOUND")
            // Features not built yet (webhooks) are a clean 404, never a 5xx.
            let webhooks = try await api.post("webhooks", #"{"name": "w"}"#)
            #expect(webhooks.status == 404)
            #expect(try await api.send("/api/2.0/mlflow-artifacts/artifacts/x", method: .get, body: nil).status == 404)
        }
    }

    /// A trailing slash makes another path, unknown as in MLflow's router, whatever the method.
    @Test(arguments: [
        ("/api/2.0/mlflow/experiments/get/?experiment_id=0", HTTPRequest.Method.get),
        ("/ajax-api/2.0/mlflow/experiments/search/", .post), ("/api/2.0/mlflow/runs/create/", .post),
        ("/health/", .get), ("/version/", .get), ("/graphql/", .post),
    ])
    func trailingSlashIsUnknown(path: String, method: HTTPRequest.Method) async throws {
        try await TestServer.run { api in
            let answer = try await api.send(path, method: method, body: method == .post ? #"{"name": "x"}"# : nil)
            #expect(answer.status == 404)
            #expect(answer.errorCode == "ENDPOINT_NOT_FOUND")
            #expect(try await api.send("/api/2.0/mlflow/experiments/get?experiment_id=0", method: .get, body: nil).status == 200)
        }
    }

    /// The UI asks for a presigned URL before reading an artifact; a repository that cannot presign
    /// answers MLflow's 501, after MLflow's checks of the request and the run.
    @Test func presignedDownloadURLIsNotImplementedAfterTheChecks() async throws {
        try await TestServer.run { api in
            let run = try await api.createRun(experimentId: try await api.createExperiment())
            let answer = try await api.post("artifacts/presigned-download-url", #"{"run_id": "\#(run)", "path": "model/MLmodel"}"#)
            #expect(answer.status == 501)
            #expect(answer.errorCode == "NOT_IMPLEMENTED")
            #expect(answer.message == "Presigned download is not supported for the current artifact repository")
            let unsafe = try await api.post("artifacts/presigned-download-url", #"{"run_id": "\#(run)", "path": "../x"}"#)
            #expect(unsafe.status == 400)
            #expect(unsafe.message == "Invalid path")
            let missing = try await api.post("artifacts/presigned-download-url", #"{"run_id": "\#(String(repeating: "0", count: 32))", "path": "x"}"#)
            #expect(missing.status == 404)
        }
    }
}
