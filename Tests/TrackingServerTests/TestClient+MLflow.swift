import HTTPTypes
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import TrackingCore
import TrackingServer
import TrackingStore

/// A router-level test server on a fresh SQLite file, and scenario helpers that check status and decode.
struct TestServer {
    static let artifactRoot = "file:///tmp/tracking-tests/artifacts"

    static func run(
        uiBundle: UIBundle? = nil, security: SecuritySettings = SecuritySettings(allowedHosts: "*"),
        _ body: @Sendable (APIClient) async throws -> Void
    ) async throws {
        try await run(uiBundle: uiBundle, security: security) { api, _ in try await body(api) }
    }

    /// The same, with the store the server runs on (to break its database).
    static func run(
        uiBundle: UIBundle? = nil, security: SecuritySettings = SecuritySettings(allowedHosts: "*"),
        _ body: @Sendable (APIClient, SQLTrackingStore) async throws -> Void
    ) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("router-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try await StoreBootstrap.withStore(
            uri: .sqlite(path: directory.appendingPathComponent("test.db").path), defaultArtifactRoot: artifactRoot
        ) { store in
            let app = Application(router: try buildRouter(store: store, uiBundle: .fixed(uiBundle), security: security))
            try await app.test(.router) { client in
                try await body(APIClient(client: client), store)
            }
        }
    }
}

/// A parsed response.
struct APIResponse {
    let status: Int
    let json: JSONValue
    let text: String
    var headers: HTTPFields = [:]
    var bytes: [UInt8] = []

    var errorCode: String? { json["error_code"]?.stringValue }
    var message: String { json["message"]?.stringValue ?? "" }
}

struct APIClient: Sendable {
    let client: any TestClientProtocol

    func post(_ path: String, _ body: String, prefix: String = "/api/2.0/mlflow/") async throws -> APIResponse {
        try await send(prefix + path, method: .post, body: body)
    }

    func get(_ path: String, prefix: String = "/api/2.0/mlflow/") async throws -> APIResponse {
        try await send(prefix + path, method: .get, body: nil)
    }

    func send(
        _ uri: String, method: HTTPRequest.Method, body: String?, contentType: String? = "application/json",
        headers extra: HTTPFields = [:]
    ) async throws -> APIResponse {
        var headers = extra
        if body != nil, let contentType { headers[.contentType] = contentType }
        let response = try await client.execute(
            uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
        let text = String(buffer: response.body)
        let json = (try? JSONParser.parse(Array(text.utf8))) ?? .null
        return APIResponse(
            status: Int(response.status.code), json: json, text: text, headers: response.headers,
            bytes: Array(response.body.readableBytesView))
    }

    // Scenario helpers: each checks the status and returns what the next step needs.

    func createExperiment(_ name: String = "exp-\(UUID().uuidString.prefix(8))") async throws -> String {
        let response = try await post("experiments/create", #"{"name": \#(jsonString(name))}"#)
        #expect(response.status == 200, "\(response.text)")
        return try #require(response.json["experiment_id"]?.stringValue)
    }

    func createRun(experimentId: String, extra: String = "") async throws -> String {
        let response = try await post(
            "runs/create", #"{"experiment_id": "\#(experimentId)", "start_time": 1000\#(extra.isEmpty ? "" : ", " + extra)}"#)
        #expect(response.status == 200, "\(response.text)")
        return try #require(response.json["run"]?["info"]?["run_id"]?.stringValue)
    }

    func getRun(_ runId: String) async throws -> JSONValue {
        let response = try await get("runs/get?run_id=\(runId)")
        #expect(response.status == 200, "\(response.text)")
        return try #require(response.json["run"])
    }
}

func jsonString(_ value: String) -> String {
    var writer = JSONWriter()
    writer.string(value)
    return writer.text
}

extension JSONValue {
    var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    var intValue: Int64? {
        if case .int(let n) = self { return n }
        return nil
    }

    var arrayValue: [JSONValue] {
        if case .array(let items) = self { return items }
        return []
    }

    /// `[{key, value}]` as a dictionary.
    var keyValueMap: [String: String] {
        var map: [String: String] = [:]
        for item in arrayValue {
            if let key = item["key"]?.stringValue { map[key] = item["value"]?.stringValue }
        }
        return map
    }
}
