import Foundation
import HTTPTypes
import Testing
import TrackingCore
import TrackingServer

/// The UI's helper calls: artifact listing, dataset summaries, and the empty answers for features
/// this server does not have.
@Suite("UI support endpoints")
struct UISupportEndpointTests {
    @Test func listArtifactsOfALocalRun() async throws {
        try await TestServer.run { api in
            let root = FileManager.default.temporaryDirectory.appendingPathComponent("arts-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: root) }
            let created = try await api.post("experiments/create", #"{"name": "arts", "artifact_location": "file://\#(root.path)"}"#)
            let experimentId = try #require(created.json["experiment_id"]?.stringValue)
            let runId = try await api.createRun(experimentId: experimentId)
            let runRoot = root.appendingPathComponent("\(runId)/artifacts")
            try FileManager.default.createDirectory(at: runRoot.appendingPathComponent("model"), withIntermediateDirectories: true)
            try Data("hello".utf8).write(to: runRoot.appendingPathComponent("notes.txt"))
            try Data("flavors: {}".utf8).write(to: runRoot.appendingPathComponent("model/MLmodel"))

            let top = try await api.get("artifacts/list?run_uuid=\(runId)", prefix: "/ajax-api/2.0/mlflow/")
            #expect(top.status == 200, "\(top.text)")
            #expect(top.json["root_uri"]?.stringValue == "file://\(runRoot.path)")
            let files = top.json["files"]?.arrayValue ?? []
            #expect(files.count == 2)
            #expect(files[0]["path"] == .string("model"))
            #expect(files[0]["is_dir"] == .bool(true))
            #expect(files[0]["file_size"] == nil)
            #expect(files[1]["path"] == .string("notes.txt"))
            #expect(files[1]["is_dir"] == .bool(false))
            #expect(files[1]["file_size"] == .int(5))

            let nested = try await api.get("artifacts/list?run_id=\(runId)&path=model")
            #expect(nested.json["files"]?.arrayValue.first?["path"] == .string("model/MLmodel"))
            let empty = try await api.get("artifacts/list?run_id=\(runId)&path=nothing")
            #expect(empty.json["files"] == nil)

            for bad in ["../x", "/etc", "a%5Cb", "a%23b", "x/..%2F..%2Fy", "file:///etc"] {
                let refused = try await api.get("artifacts/list?run_id=\(runId)&path=\(bad)")
                #expect(refused.status == 400, "\(bad)")
                #expect(refused.message == "Invalid path")
            }
            let file = try await api.send("/get-artifact?run_uuid=\(runId)&path=model/MLmodel", method: .get, body: nil)
            #expect(file.status == 200)
            #expect(file.text == "flavors: {}")
            #expect(file.headers[.contentType] == "text/plain")
            #expect(file.headers[.contentDisposition] == "attachment; filename=MLmodel")
            let directory = try await api.send("/get-artifact?run_id=\(runId)&path=model", method: .get, body: nil)
            #expect(directory.status == 400)
            #expect(directory.message == "Artifact path refers to a directory, not a file: 'model'")
            let absent = try await api.send("/get-artifact?run_id=\(runId)&path=nope.bin", method: .get, body: nil)
            #expect(absent.status == 404)
            #expect(absent.message == "No such artifact: 'nope.bin'")
            let escape = try await api.send("/get-artifact?run_id=\(runId)&path=../../etc/passwd", method: .get, body: nil)
            #expect(escape.status == 400)

            let missing = try await api.get("artifacts/list")
            #expect(missing.message.hasPrefix("Missing value for required parameter 'run_id'"))
            #expect(try await api.get("artifacts/list?run_id=nope").status == 404)
        }
    }

    @Test func attachmentNames() {
        #expect(ArtifactDownload.attachment("a.txt") == "attachment; filename=a.txt")
        #expect(ArtifactDownload.attachment("my file.txt") == #"attachment; filename="my file.txt""#)
        #expect(ArtifactDownload.attachment("é.txt") == "attachment; filename=.txt; filename*=UTF-8''%C3%A9.txt")
        #expect(ArtifactDownload.mimeType("model.pkl") == "application/octet-stream")
        #expect(ArtifactDownload.mimeType("plot.png") == "image/png")
        #expect(ArtifactDownload.mimeType("conf.yaml") == "text/plain")
    }

    @Test func remoteArtifactRootListsNothing() async throws {
        try await TestServer.run { api in
            let created = try await api.post("experiments/create", #"{"name": "s3", "artifact_location": "s3://bucket/path"}"#)
            let runId = try await api.createRun(experimentId: try #require(created.json["experiment_id"]?.stringValue))
            let listed = try await api.get("artifacts/list?run_id=\(runId)")
            #expect(listed.status == 200)
            #expect(listed.json["root_uri"]?.stringValue == "s3://bucket/path/\(runId)/artifacts")
            #expect(listed.json["files"] == nil)
        }
    }

    @Test func searchDatasetsListsLoggedDatasets() async throws {
        try await TestServer.run { api in
            let experimentId = try await api.createExperiment()
            let runId = try await api.createRun(experimentId: experimentId)
            _ = try await api.post(
                "runs/log-inputs",
                #"{"run_id": "\#(runId)", "datasets": [{"dataset": {"name": "iris", "digest": "abc", "source_type": "local", "source": "{}"}, "tags": [{"key": "mlflow.data.context", "value": "training"}]}]}"#)
            let ajax = "/ajax-api/2.0/mlflow/"
            let found = try await api.post("experiments/search-datasets", #"{"experiment_ids": ["\#(experimentId)"]}"#, prefix: ajax)
            #expect(
                found.json["dataset_summaries"]
                    == .array([
                        .object([
                            "experiment_id": .string(experimentId), "name": .string("iris"), "digest": .string("abc"),
                            "context": .string("training"),
                        ])
                    ]), "\(found.text)")
            let none = try await api.post("experiments/search-datasets", "{}", prefix: ajax)
            #expect(none.status == 400)
            #expect(none.message == "SearchDatasets request must specify at least one experiment_id.")
            // Registered under /ajax-api only, as in MLflow.
            #expect(try await api.post("experiments/search-datasets", #"{"experiment_ids": ["1"]}"#).status == 404)
        }
    }

    @Test func featuresThisServerDoesNotHaveAnswerEmpty() async throws {
        try await TestServer.run { api in
            let v3 = "/ajax-api/3.0/mlflow/"
            let telemetry = try await api.get("ui-telemetry", prefix: v3)
            #expect(telemetry.json["disable_ui_telemetry"] == .bool(true))
            #expect(try await api.post("ui-telemetry", #"{"records": []}"#, prefix: v3).status == 200)
            #expect(try await api.get("assistant/config", prefix: v3).json["providers"] == .object([:]))
            #expect(try await api.get("assistant/providers", prefix: v3).json["providers"] == .array([]))
            let gateway = try await api.get("gateway-proxy?gateway_path=api%2F2.0%2Fendpoints%2F", prefix: "/ajax-api/2.0/mlflow/")
            #expect(gateway.json == .object(["endpoints": .array([])]))
            #expect(try await api.get("gateway-proxy", prefix: "/ajax-api/2.0/mlflow/").status == 400)

            let traces = try await api.post(
                "traces/search", #"{"locations": [{"type": "MLFLOW_EXPERIMENT", "mlflow_experiment": {"experiment_id": "0"}}], "max_results": 25}"#,
                prefix: "/api/3.0/mlflow/")
            #expect(traces.status == 200)
            #expect(traces.json == .object([:]))
            #expect(try await api.post("traces/search", "{}", prefix: v3).status == 400)
            let count = try await api.post(
                "traces/metrics",
                #"{"experiment_ids": ["0"], "view_type": "TRACES", "metric_name": "trace_count", "aggregations": [{"aggregation_type": "COUNT"}]}"#,
                prefix: v3)
            #expect(count.json["data_points"]?.arrayValue.first?["values"]?["COUNT"] == .double(0))
            let series = try await api.post(
                "traces/metrics",
                #"{"experiment_ids": ["0"], "view_type": "TRACES", "metric_name": "trace_count", "aggregations": [{"aggregation_type": "COUNT"}], "time_interval_seconds": 3600, "start_time_ms": 0, "end_time_ms": 1}"#,
                prefix: v3)
            #expect(series.json == .object([:]))
            let unbounded = try await api.post(
                "traces/metrics",
                #"{"experiment_ids": ["0"], "view_type": "TRACES", "metric_name": "trace_count", "aggregations": [{"aggregation_type": "COUNT"}], "time_interval_seconds": 3600}"#,
                prefix: v3)
            #expect(unbounded.message == "start_time_ms and end_time_ms are required if time_interval_seconds is set")
            #expect(try await api.post("traces/metrics", #"{"experiment_ids": ["0"]}"#, prefix: v3).message.hasPrefix("Missing value for required parameter 'view_type'"))
            #expect(try await api.post("datasets/search", #"{"experiment_ids": ["0"]}"#, prefix: v3).json == .object([:]))
            #expect(try await api.get("scorers/list?experiment_id=0", prefix: v3).json == .object([:]))
        }
    }
}
