import Testing
import TrackingCore
import TrackingServer

/// Request bodies as protobuf's JSON mapping reads them: a field under its proto name or its
/// lowerCamelCase JSON name, never both; MLflow checks required fields under proto names only.
@Suite("JSON field names")
struct WireNameEndpointTests {
    @Test func jsonNamesAreReadLikeProtoNames() async throws {
        try await TestServer.run { api in
            let exp = try await api.createExperiment()
            let created = try await api.post(
                "runs/create", #"{"experimentId": "\#(exp)", "runName": "camel", "startTime": 5, "userId": "u"}"#)
            #expect(created.status == 200)
            let info = created.json["run"]?["info"]
            #expect(info?["experiment_id"]?.stringValue == exp)
            #expect(info?["run_name"]?.stringValue == "camel")
            #expect(info?["start_time"]?.intValue == 5)
            let runId = try #require(info?["run_id"]?.stringValue)
            let batch = try await api.post(
                "runs/log-batch",
                #"{"run_id": "\#(runId)", "metrics": [{"key": "m", "value": 1, "timestamp": 2, "step": 3, "datasetName": "d", "datasetDigest": "g"}]}"#)
            #expect(batch.status == 200)
            let search = try await api.post(
                "runs/search", #"{"experimentIds": ["\#(exp)"], "maxResults": 1, "orderBy": ["attributes.run_name"]}"#)
            #expect(search.json["runs"]?.arrayValue.count == 1)
        }
    }

    @Test(arguments: [
        (#"{"experiment_id": "0", "run_name": "a", "runName": "b"}"#, "runs/create", "'run_name' and 'runName'"),
        (#"{"run_id": "x", "metrics": [{"key": "m", "value": 1, "timestamp": 1, "model_id": "a", "modelId": "b"}]}"#,
         "runs/log-batch", "'model_id' and 'modelId'"),
    ])
    func bothSpellingsAreRefused(body: String, path: String, names: String) async throws {
        try await TestServer.run { api in
            let response = try await api.post(path, body)
            #expect(response.status == 400)
            #expect(response.errorCode == "INVALID_PARAMETER_VALUE")
            #expect(response.json["message"]?.stringValue == "Request specifies both \(names); provide only one of them.")
        }
    }

    @Test func requiredFieldsUnderJSONNamesAreMissing() async throws {
        try await TestServer.run { api in
            let response = try await api.post("runs/log-metric", #"{"runId": "x", "key": "m", "value": 1, "timestamp": 1}"#)
            #expect(response.status == 400)
            #expect(response.json["message"]?.stringValue?.hasPrefix("Missing value for required parameter 'run_id'") == true)
        }
    }

    @Test(arguments: [("runName", "run_name"), ("experimentIds", "experiment_ids"), ("maxResults", "max_results"), ("key", "key")])
    func protoNameOfAJSONName(json: String, proto: String) {
        #expect(JSONFieldNames.protoName(json) == proto)
    }
}
