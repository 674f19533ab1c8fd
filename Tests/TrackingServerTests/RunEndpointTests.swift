import HTTPTypes
import Testing
import TrackingCore
import TrackingServer

@Suite("runs/* endpoints")
struct RunEndpointTests {
    @Test func createRunShape() async throws {
        try await TestServer.run { api in
            let exp = try await api.createExperiment()
            let response = try await api.post(
                "runs/create",
                #"{"experiment_id": "\#(exp)", "user_id": "alice", "start_time": 1700000000000, "run_name": "r", "tags": [{"key": "k", "value": "v"}]}"#)
            #expect(response.status == 200)
            let run = try #require(response.json["run"])
            let info = try #require(run["info"])
            let runId = try #require(info["run_id"]?.stringValue)
            #expect(runId.count == 32)
            #expect(info["run_uuid"]?.stringValue == runId)
            #expect(info["status"]?.stringValue == "RUNNING")
            #expect(info["user_id"]?.stringValue == "alice")
            #expect(info["start_time"]?.intValue == 1_700_000_000_000)
            #expect(info["end_time"] == nil)
            #expect(info["artifact_uri"]?.stringValue == "\(TestServer.artifactRoot)/\(exp)/\(runId)/artifacts")
            #expect(run["data"]?["tags"]?.keyValueMap == ["k": "v", "mlflow.runName": "r"])
            #expect(run["inputs"] == .object([:]))
            #expect(run["outputs"] == nil)
        }
    }

    @Test func runNameRules() async throws {
        try await TestServer.run { api in
            let exp = try await api.createExperiment()
            let generated = try await api.getRun(try await api.createRun(experimentId: exp))
            let name = try #require(generated["info"]?["run_name"]?.stringValue)
            #expect(name.split(separator: "-").count == 3)
            #expect(generated["data"]?["tags"]?.keyValueMap["mlflow.runName"] == name)

            let fromTag = try await api.getRun(
                try await api.createRun(experimentId: exp, extra: #""tags": [{"key": "mlflow.runName", "value": "tagged"}]"#))
            #expect(fromTag["info"]?["run_name"]?.stringValue == "tagged")

            let conflict = try await api.post(
                "runs/create", #"{"experiment_id": "\#(exp)", "run_name": "a", "tags": [{"key": "mlflow.runName", "value": "b"}]}"#)
            #expect(conflict.status == 400)
            #expect(conflict.message.hasPrefix("Both 'run_name' argument and 'mlflow.runName' tag are specified"))

            let runId = try await api.createRun(experimentId: exp)
            #expect(try await api.post("runs/set-tag", #"{"run_id": "\#(runId)", "key": "mlflow.runName", "value": "renamed"}"#).status == 200)
            #expect(try await api.getRun(runId)["info"]?["run_name"]?.stringValue == "renamed")
            let updated = try await api.post("runs/update", #"{"run_id": "\#(runId)", "run_name": "again"}"#)
            #expect(updated.json["run_info"]?["run_name"]?.stringValue == "again")
            #expect(try await api.getRun(runId)["data"]?["tags"]?.keyValueMap["mlflow.runName"] == "again")
        }
    }

    @Test func createRunErrors() async throws {
        try await TestServer.run { api in
            let unknown = try await api.post("runs/create", #"{"experiment_id": "987654"}"#)
            #expect(unknown.status == 404)
            #expect(unknown.message == "No Experiment with id=987654 exists")
            let noExperiment = try await api.post("runs/create", #"{"run_name": "x"}"#)
            #expect(noExperiment.status == 400)
            #expect(noExperiment.errorCode == "BAD_REQUEST")
        }
    }

    @Test func getRunErrors() async throws {
        try await TestServer.run { api in
            let missing = try await api.get("runs/get?run_id=00000000000000000000000000000000")
            #expect(missing.status == 404)
            #expect(missing.message == "Run with id=00000000000000000000000000000000 not found")
            let noId = try await api.get("runs/get")
            #expect(noId.status == 400)
            #expect(noId.message.hasPrefix("Missing value for required parameter 'run_id'"))
        }
    }

    @Test func updateRun() async throws {
        try await TestServer.run { api in
            let runId = try await api.createRun(experimentId: try await api.createExperiment())
            let response = try await api.post("runs/update", #"{"run_uuid": "\#(runId)", "status": "FINISHED", "end_time": 5000}"#)
            #expect(response.status == 200)
            #expect(response.json["run_info"]?["status"]?.stringValue == "FINISHED")
            #expect(response.json["run_info"]?["end_time"]?.intValue == 5000)
            let byNumber = try await api.post("runs/update", #"{"run_id": "\#(runId)", "status": 5}"#)
            #expect(byNumber.json["run_info"]?["status"]?.stringValue == "KILLED")
        }
    }

    @Test func deleteAndRestore() async throws {
        try await TestServer.run { api in
            let runId = try await api.createRun(experimentId: try await api.createExperiment())
            #expect(try await api.post("runs/delete", #"{"run_id": "\#(runId)"}"#).status == 200)
            #expect(try await api.getRun(runId)["info"]?["lifecycle_stage"]?.stringValue == "deleted")
            let write = try await api.post("runs/set-tag", #"{"run_id": "\#(runId)", "key": "x", "value": "y"}"#)
            #expect(write.status == 400)
            #expect(write.message == "The run \(runId) must be in the 'active' state. Current state is deleted.")
            #expect(try await api.post("runs/restore", #"{"run_id": "\#(runId)"}"#).status == 200)
            #expect(try await api.getRun(runId)["info"]?["lifecycle_stage"]?.stringValue == "active")
            let unknown = try await api.post("runs/delete", #"{"run_id": "nope"}"#)
            #expect(unknown.status == 404)
        }
    }

    @Test func paramsAndTags() async throws {
        try await TestServer.run { api in
            let runId = try await api.createRun(experimentId: try await api.createExperiment())
            #expect(try await api.post("runs/log-parameter", #"{"run_id": "\#(runId)", "key": "lr", "value": "0.01"}"#).status == 200)
            #expect(try await api.post("runs/log-parameter", #"{"run_id": "\#(runId)", "key": "lr", "value": "0.01"}"#).status == 200)
            let changed = try await api.post("runs/log-parameter", #"{"run_id": "\#(runId)", "key": "lr", "value": "0.5"}"#)
            #expect(changed.status == 400)
            #expect(changed.message == "Changing param values is not allowed. Param with key='lr' was already logged with value='0.01' for run ID='\(runId)'. Attempted logging new value '0.5'.")

            let long = String(repeating: "x", count: 6001)
            #expect(try await api.post("runs/log-parameter", #"{"run_id": "\#(runId)", "key": "big", "value": "\#(long)"}"#).status == 200)
            let longTag = String(repeating: "t", count: 8001)
            #expect(try await api.post("runs/set-tag", #"{"run_id": "\#(runId)", "key": "bigtag", "value": "\#(longTag)"}"#).status == 200)
            let run = try await api.getRun(runId)
            #expect(run["data"]?["params"]?.keyValueMap["big"]?.count == 6000)
            #expect(run["data"]?["tags"]?.keyValueMap["bigtag"]?.count == 8000)

            let badKey = try await api.post("runs/log-parameter", #"{"run_id": "\#(runId)", "key": "bad/../key", "value": "1"}"#)
            #expect(badKey.message == "Invalid value \"bad/../key\" for parameter 'key' supplied: Names may be treated as files in certain cases, and must not resolve to other names when treated as such. This name would resolve to 'key'")
            let longKey = try await api.post("runs/log-parameter", #"{"run_id": "\#(runId)", "key": "\#(String(repeating: "k", count: 251))", "value": "1"}"#)
            #expect(longKey.message == "'Param key' exceeds the maximum length of 250 characters")
            let badChar = try await api.post("runs/set-tag", #"{"run_id": "\#(runId)", "key": "a+b", "value": "1"}"#)
            #expect(badChar.message.contains("Names may only contain alphanumerics"))

            #expect(try await api.post("runs/delete-tag", #"{"run_id": "\#(runId)", "key": "bigtag"}"#).status == 200)
            let gone = try await api.post("runs/delete-tag", #"{"run_id": "\#(runId)", "key": "nope"}"#)
            #expect(gone.status == 404)
            #expect(gone.message == "No tag with name: nope in run with id \(runId)")
        }
    }

    @Test func logMetric() async throws {
        try await TestServer.run { api in
            let runId = try await api.createRun(experimentId: try await api.createExperiment())
            let ok = try await api.post("runs/log-metric", #"{"run_id": "\#(runId)", "run_uuid": "\#(runId)", "key": "m", "value": 1.0, "timestamp": 10, "step": 3}"#)
            #expect(ok.status == 200)
            #expect(ok.text == "{}")
            let badStep = try await api.post("runs/log-metric", #"{"run_id": "\#(runId)", "key": "m", "value": 1.0, "timestamp": 10, "step": "foo"}"#)
            #expect(badStep.message == "Invalid value \"foo\" for parameter 'step' supplied:  Hint: Value was of type 'str'. See the API docs for more information about request parameters.")
            let noTimestamp = try await api.post("runs/log-metric", #"{"run_id": "\#(runId)", "key": "m", "value": 1.0}"#)
            #expect(noTimestamp.message.hasPrefix("Missing value for required parameter 'timestamp'"))
            let negative = try await api.post("runs/log-metric", #"{"run_id": "\#(runId)", "key": "m", "value": 1.0, "timestamp": -1}"#)
            #expect(negative.message == "Invalid value -1 for parameter 'timestamp' supplied: metric 'm' (value=1.0). Timestamp must be a nonnegative long (64-bit integer) ")
            let badName = try await api.post("runs/log-metric", #"{"run_id": "\#(runId)", "key": "a//b", "value": 1, "timestamp": 1}"#)
            #expect(badName.message.hasPrefix("Invalid value \"a//b\" for parameter 'name' supplied"))
            let run = try await api.getRun(runId)
            #expect(run["data"]?["metrics"]?.arrayValue.first?["step"]?.intValue == 3)
        }
    }

    @Test func logBatch() async throws {
        try await TestServer.run { api in
            let runId = try await api.createRun(experimentId: try await api.createExperiment())
            let body = #"""
                {"run_id": "\#(runId)",
                 "metrics": [{"key": "loss", "value": 0.5, "timestamp": 1, "step": 0},
                             {"key": "loss", "value": 0.25, "timestamp": 2, "step": 1},
                             {"key": "w", "value": "NaN", "timestamp": 3, "step": 0},
                             {"key": "w", "value": "Infinity", "timestamp": 3, "step": 1},
                             {"key": "w", "value": "-Infinity", "timestamp": 3, "step": 2}],
                 "params": [{"key": "lr", "value": "0.01"}],
                 "tags": [{"key": "phase", "value": "train"}]}
                """#
            #expect(try await api.post("runs/log-batch", body).status == 200)
            let run = try await api.getRun(runId)
            let metrics = run["data"]?["metrics"]?.arrayValue ?? []
            let latest = Dictionary(uniqueKeysWithValues: metrics.compactMap { m in m["key"]?.stringValue.map { ($0, m) } })
            #expect(latest["loss"]?["value"] == .double(0.25))
            #expect(latest["w"]?["value"] == .double(-1.7976931348623157e308))
            let history = try await api.get("metrics/get-history?run_id=\(runId)&metric_key=w")
            let values = history.json["metrics"]?.arrayValue.map { $0["value"] } ?? []
            #expect(values == [.string("NaN"), .double(1.7976931348623157e308), .double(-1.7976931348623157e308)])
        }
    }

    @Test func failedBatchWritesNothing() async throws {
        try await TestServer.run { api in
            let runId = try await api.createRun(experimentId: try await api.createExperiment())
            #expect(try await api.post("runs/log-parameter", #"{"run_id": "\#(runId)", "key": "lr", "value": "0.01"}"#).status == 200)
            let failing = try await api.post(
                "runs/log-batch",
                #"{"run_id": "\#(runId)", "metrics": [{"key": "m", "value": 1, "timestamp": 1}], "params": [{"key": "lr", "value": "0.02"}], "tags": [{"key": "t", "value": "v"}]}"#)
            #expect(failing.status == 400)
            #expect(failing.message == "Changing param values is not allowed. Params were already logged='[{'key': 'lr', 'old_value': '0.01', 'new_value': '0.02'}]' for run ID='\(runId)'.")
            let history = try await api.get("metrics/get-history?run_id=\(runId)&metric_key=m")
            #expect(history.text == "{}")
            #expect(try await api.getRun(runId)["data"]?["tags"]?.keyValueMap["t"] == nil)
        }
    }

    @Test func batchValidation() async throws {
        try await TestServer.run { api in
            let runId = try await api.createRun(experimentId: try await api.createExperiment())
            let noTimestamp = try await api.post("runs/log-batch", #"{"run_id": "\#(runId)", "metrics": [{"key": "mae", "value": 2.5}]}"#)
            #expect(noTimestamp.message == "Missing value for required parameter 'metrics[0].timestamp'. See the API docs for more information about request parameters.")
            let params = (0...100).map { #"{"key": "p\#($0)", "value": "x"}"# }.joined(separator: ",")
            let tooMany = try await api.post("runs/log-batch", #"{"run_id": "\#(runId)", "params": [\#(params)]}"#)
            #expect(tooMany.message == "A batch logging request can contain at most 100 params. Got 101 params. Please split up params across multiple requests and try again.")
            let dupes = try await api.post("runs/log-batch", #"{"run_id": "\#(runId)", "params": [{"key": "a", "value": "1"}, {"key": "a", "value": "1"}]}"#)
            #expect(dupes.message.hasPrefix("Duplicate parameter keys have been submitted: ['a']."))
            let badId = try await api.post("runs/log-batch", #"{"run_id": "a b"}"#)
            #expect(badId.message == "Invalid value \"a b\" for parameter 'run_id' supplied.")
            let unknown = try await api.post("runs/log-batch", #"{"run_id": "abc"}"#)
            #expect(unknown.status == 404)
        }
    }

    @Test func logInputs() async throws {
        try await TestServer.run { api in
            let runId = try await api.createRun(experimentId: try await api.createExperiment())
            let dataset = #"{"dataset": {"name": "d", "digest": "abc", "source_type": "local", "source": "{}", "schema": "s"}, "tags": [{"key": "mlflow.data.context", "value": "train"}]}"#
            #expect(try await api.post("runs/log-inputs", #"{"run_id": "\#(runId)", "datasets": [\#(dataset), \#(dataset)]}"#).status == 200)
            #expect(try await api.post("runs/log-inputs", #"{"run_id": "\#(runId)", "datasets": [\#(dataset)]}"#).status == 200)
            let inputs = try await api.getRun(runId)["inputs"]?["dataset_inputs"]?.arrayValue ?? []
            #expect(inputs.count == 1)
            #expect(inputs.first?["dataset"]?["name"]?.stringValue == "d")
            #expect(inputs.first?["dataset"]?["profile"] == nil)
            #expect(inputs.first?["tags"]?.keyValueMap == ["mlflow.data.context": "train"])
            let tooLong = try await api.post(
                "runs/log-inputs", #"{"run_id": "\#(runId)", "datasets": [{"dataset": {"name": "d", "digest": "\#(String(repeating: "d", count: 37))", "source_type": "l", "source": "s"}}]}"#)
            #expect(tooLong.message == "'digest' exceeds the maximum length of 36 characters")
        }
    }
}
