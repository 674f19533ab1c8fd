import HTTPTypes
import Testing
import TrackingCore
import TrackingServer

@Suite("logged-models endpoints and runs/outputs")
struct LoggedModelEndpointTests {
    @Test func lifecycle() async throws {
        try await TestServer.run { api in
            let experiment = try await api.createExperiment()
            let run = try await api.createRun(experimentId: experiment)
            let created = try await api.post(
                "logged-models",
                #"{"experiment_id": "\#(experiment)", "name": "clf", "source_run_id": "\#(run)", "model_type": "sklearn", "#
                    + #""params": [{"key": "p", "value": "1"}], "tags": [{"key": "t", "value": "x"}]}"#)
            #expect(created.status == 200, "\(created.text)")
            let info = try #require(created.json["model"]?["info"])
            let id = try #require(info["model_id"]?.stringValue)
            #expect(id.hasPrefix("m-") && id.count == 34)
            #expect(info["status"]?.stringValue == "LOGGED_MODEL_PENDING")
            #expect(info["artifact_uri"]?.stringValue == "\(TestServer.artifactRoot)/\(experiment)/models/\(id)/artifacts")
            #expect(info["source_run_id"]?.stringValue == run)
            #expect(info["tags"]?.keyValueMap == ["t": "x"])
            #expect(created.json["model"]?["data"]?["params"]?.keyValueMap == ["p": "1"])

            let ready = try await api.call(.patch, "logged-models/\(id)", #"{"model_id": "\#(id)", "status": "LOGGED_MODEL_READY"}"#)
            #expect(ready.json["model"]?["info"]?["status"]?.stringValue == "LOGGED_MODEL_READY")
            #expect(try await api.call(.patch, "logged-models/\(id)/tags", #"{"tags": [{"key": "u", "value": "y"}]}"#).status == 200)
            #expect(try await api.post("logged-models/\(id)/params", #"{"model_id": "\#(id)", "params": [{"key": "q", "value": "2"}]}"#).status == 200)
            #expect(try await api.call(.delete, "logged-models/\(id)/tags/t").status == 200)
            expectError(try await api.call(.delete, "logged-models/\(id)/tags/t"), 404, "RESOURCE_DOES_NOT_EXIST",
                "No tag with key 't' found for model with ID '\(id)'.")
            let got = try await api.get("logged-models/\(id)")
            #expect(got.json["model"]?["info"]?["tags"]?.keyValueMap == ["u": "y"])
            #expect(got.json["model"]?["data"]?["params"]?.keyValueMap == ["p": "1", "q": "2"])

            #expect(try await api.post("runs/outputs", #"{"run_id": "\#(run)", "models": [{"model_id": "\#(id)", "step": 3}]}"#).status == 200)
            let outputs = try await api.getRun(run)["outputs"]?["model_outputs"]?.arrayValue
            #expect(outputs?.first?["model_id"]?.stringValue == id)
            #expect(outputs?.first?["step"]?.intValue == 3)

            let search = try await api.post("logged-models/search", #"{"experiment_ids": ["\#(experiment)"]}"#)
            #expect(search.json["models"]?.arrayValue.map { $0["info"]?["model_id"]?.stringValue } == [id])
            for (filter, found) in [
                ("name = 'clf'", true), ("name LIKE 'c%' AND params.p = '1'", true), ("tags.u = 'y'", true),
                ("source_run_id = '\(run)'", true), ("name IN ('a', 'clf')", true), ("creation_timestamp > 0", true),
                ("params.p != '1'", false), ("metrics.acc > 0.5", false), ("model_type = 'pytorch'", false),
            ] {
                let filtered = try await api.post(
                    "logged-models/search", #"{"experiment_ids": ["\#(experiment)"], "filter": \#(jsonString(filter))}"#)
                #expect(filtered.status == 200, "\(filtered.text)")
                #expect((filtered.json["models"]?.arrayValue.count ?? 0) == (found ? 1 : 0), "\(filter)")
            }

            #expect(try await api.call(.delete, "logged-models/\(id)").status == 200)
            expectError(try await api.get("logged-models/\(id)"), 404, "RESOURCE_DOES_NOT_EXIST",
                "Logged model with ID '\(id)' not found.")
            #expect(try await api.get("logged-models/\(id)?allow_deleted=true").status == 200)
            let after = try await api.post("logged-models/search", #"{"experiment_ids": ["\#(experiment)"]}"#)
            #expect(after.json["models"] == nil)
        }
    }

    @Test func metricsLoggedAgainstAModel() async throws {
        try await TestServer.run { api in
            let experiment = try await api.createExperiment()
            let run = try await api.createRun(experimentId: experiment)
            let created = try await api.post("logged-models", #"{"experiment_id": "\#(experiment)"}"#)
            let id = try #require(created.json["model"]?["info"]?["model_id"]?.stringValue)
            let metric = #"{"run_id": "\#(run)", "key": "acc", "value": 0.9, "timestamp": 5, "step": 1, "model_id": "\#(id)", "dataset_name": "d", "dataset_digest": "g"}"#
            #expect(try await api.post("runs/log-metric", metric).status == 200)
            #expect(try await api.post("runs/log-metric", metric).status == 200)  // a repeated point is kept once
            let batch = try await api.post(
                "runs/log-batch",
                #"{"run_id": "\#(run)", "metrics": [{"key": "loss", "value": 0.1, "timestamp": 6, "model_id": "\#(id)"}, "#
                    + #"{"key": "other", "value": 2, "timestamp": 6}]}"#)
            #expect(batch.status == 200)
            let metrics = try await api.get("logged-models/\(id)").json["model"]?["data"]?["metrics"]?.arrayValue ?? []
            #expect(metrics.map { $0["key"]?.stringValue } == ["acc", "loss"])
            #expect(metrics.first?["dataset_name"]?.stringValue == "d")
            #expect(metrics.first?["run_id"]?.stringValue == run)
            // The run has all three as usual.
            #expect(try await api.getRun(run)["data"]?["metrics"]?.arrayValue.count == 3)
            let found = try await api.post(
                "logged-models/search", #"{"experiment_ids": ["\#(experiment)"], "filter": "metrics.acc > 0.5"}"#)
            #expect(found.json["models"]?.arrayValue.count == 1)
            // MLflow answers an unknown model with a 400 carrying SQL text; the model is what is missing.
            expectError(
                try await api.post(
                    "runs/log-metric", #"{"run_id": "\#(run)", "key": "acc", "value": 1, "timestamp": 7, "model_id": "m-nope"}"#),
                404, "RESOURCE_DOES_NOT_EXIST", "Logged model with ID 'm-nope' not found.")
        }
    }

    @Test func registerVersionFromLoggedModel() async throws {
        try await TestServer.run { api in
            let experiment = try await api.createExperiment()
            let run = try await api.createRun(experimentId: experiment)
            let created = try await api.post(
                "logged-models", #"{"experiment_id": "\#(experiment)", "source_run_id": "\#(run)"}"#)
            let id = try #require(created.json["model"]?["info"]?["model_id"]?.stringValue)
            #expect(created.json["model"]?["info"]?["name"]?.stringValue?.isEmpty == false)
            try await api.createRegisteredModel("m")
            let version = try await api.createModelVersion("m", source: "models:/\(id)", extra: #""model_id": "\#(id)""#)
            #expect(version["run_id"]?.stringValue == run)
            let uri = try await api.get("model-versions/get-download-uri?name=m&version=1")
            #expect(uri.json["artifact_uri"]?.stringValue == "\(TestServer.artifactRoot)/\(experiment)/models/\(id)/artifacts")
            let tags = try await api.get("logged-models/\(id)").json["model"]?["info"]?["tags"]?.keyValueMap
            #expect(tags?["mlflow.modelVersions"] == #"[{"name": "m", "version": 1}]"#)
            expectError(
                try await api.post("model-versions/create", #"{"name": "m", "source": "models:/m-other", "model_id": "\#(id)"}"#),
                400, "INVALID_PARAMETER_VALUE",
                "Invalid model version source: 'models:/m-other'. The model_id request parameter must identify the resource "
                    + "that contains the source.")
        }
    }

    @Test func errors() async throws {
        try await TestServer.run { api in
            let experiment = try await api.createExperiment()
            expectError(try await api.get("logged-models/m-0"), 404, "RESOURCE_DOES_NOT_EXIST", "Logged model with ID 'm-0' not found.")
            expectError(try await api.post("logged-models", "{}"), 400, "INVALID_PARAMETER_VALUE",
                "Missing value for required parameter 'experiment_id'. See the API docs for more information about request parameters.")
            expectError(try await api.post("logged-models", #"{"experiment_id": "\#(experiment)", "name": "a.b"}"#), 400,
                "INVALID_PARAMETER_VALUE",
                #"Invalid model name ('a.b') provided. Model name must be a non-empty string and cannot contain the following characters: ('/', ':', '.', '%', '"', "'")"#)
            expectError(try await api.post("logged-models", #"{"experiment_id": "999"}"#), 404, "RESOURCE_DOES_NOT_EXIST")
            expectError(try await api.post("logged-models/search", "{}"), 400, "INVALID_PARAMETER_VALUE")
            expectError(
                try await api.post(
                    "logged-models/search", #"{"experiment_ids": ["\#(experiment)"], "datasets": [{"dataset_name": "d"}]}"#),
                400, "INVALID_PARAMETER_VALUE", "Filtering logged models by datasets is not supported by this server yet.")
            expectError(
                try await api.post(
                    "logged-models/search",
                    #"{"experiment_ids": ["\#(experiment)"], "order_by": [{"field_name": "metrics.acc"}]}"#),
                400, "INVALID_PARAMETER_VALUE", "Ordering logged models by 'metrics.acc' is not supported by this server yet.")
            expectError(try await api.post("logged-models/search", #"{"experiment_ids": ["\#(experiment)"], "filter": "name > 'x'"}"#),
                400, "INVALID_PARAMETER_VALUE",
                "Invalid comparison operator for attributes.name: '>'. Expected one of ('=', '!=', 'LIKE', 'ILIKE', 'IN', 'NOT IN').")
            expectError(try await api.post("logged-models/search", #"{"experiment_ids": ["\#(experiment)"], "filter": "foo.x = 'a'"}"#),
                400, "INVALID_PARAMETER_VALUE",
                "Invalid entity type: 'foo'. Expected one of ['attributes', 'metrics', 'params', 'tags'].")
            expectError(try await api.post("runs/outputs", #"{"run_id": "nope", "models": [{"model_id": "m-0"}]}"#), 404,
                "RESOURCE_DOES_NOT_EXIST")
            expectError(try await api.call(.patch, "logged-models/m-0", #"{"model_id": "m-0", "status": "LOGGED_MODEL_READY"}"#),
                404, "RESOURCE_DOES_NOT_EXIST")
        }
    }
}
