import HTTPTypes
import Testing
import TrackingCore

/// Registry scenario helpers: each checks the status and returns what the next step needs.
extension APIClient {
    func call(_ method: HTTPRequest.Method, _ path: String, _ body: String = "{}") async throws -> APIResponse {
        if method == .get { return try await get(path) }
        return try await send("/api/2.0/mlflow/" + path, method: method, body: body)
    }

    @discardableResult
    func createRegisteredModel(_ name: String) async throws -> JSONValue {
        let response = try await post("registered-models/create", #"{"name": \#(jsonString(name))}"#)
        #expect(response.status == 200, "\(response.text)")
        return try #require(response.json["registered_model"])
    }

    @discardableResult
    func createModelVersion(_ name: String, source: String = "s3://bucket/model", extra: String = "") async throws -> JSONValue {
        let response = try await post(
            "model-versions/create",
            #"{"name": \#(jsonString(name)), "source": \#(jsonString(source))\#(extra.isEmpty ? "" : ", " + extra)}"#)
        #expect(response.status == 200, "\(response.text)")
        return try #require(response.json["model_version"])
    }
}

func expectError(_ response: APIResponse, _ status: Int, _ code: String, _ message: String? = nil,
    sourceLocation: SourceLocation = #_sourceLocation)
{
    #expect(response.status == status, "\(response.text)", sourceLocation: sourceLocation)
    #expect(response.errorCode == code, "\(response.text)", sourceLocation: sourceLocation)
    if let message { #expect(response.message == message, sourceLocation: sourceLocation) }
}
