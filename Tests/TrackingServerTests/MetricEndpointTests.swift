import HTTPTypes
import Testing
import TrackingCore
import TrackingServer

@Suite("metrics/* endpoints")
struct MetricEndpointTests {
    /// Logs `count` points of `key` with step = index and timestamp = 1000 + index.
    func logSeries(_ api: APIClient, runId: String, key: String, count: Int) async throws {
        let metrics = (0..<count).map { #"{"key": "\#(key)", "value": \#(Double($0) / 10), "timestamp": \#(1000 + $0), "step": \#($0)}"# }
        for chunk in stride(from: 0, to: metrics.count, by: 1000) {
            let body = metrics[chunk..<min(chunk + 1000, metrics.count)].joined(separator: ",")
            #expect(try await api.post("runs/log-batch", #"{"run_id": "\#(runId)", "metrics": [\#(body)]}"#).status == 200)
        }
    }

    @Test func historyPaging() async throws {
        try await TestServer.run { api in
            let runId = try await api.createRun(experimentId: try await api.createExperiment())
            try await logSeries(api, runId: runId, key: "m", count: 5)
            var steps: [Int64] = []
            var token: String?
            repeat {
                let suffix = token.map { "&page_token=\($0)" } ?? ""
                let page = try await api.get("metrics/get-history?run_id=\(runId)&metric_key=m&max_results=2\(suffix)")
                #expect(page.status == 200)
                steps += page.json["metrics"]?.arrayValue.compactMap { $0["step"]?.intValue } ?? []
                token = page.json["next_page_token"]?.stringValue
            } while token != nil
            #expect(steps == [0, 1, 2, 3, 4])
            let all = try await api.get("metrics/get-history?run_uuid=\(runId)&metric_key=m")
            #expect(all.json["metrics"]?.arrayValue.count == 5)
            #expect(all.json["next_page_token"] == nil)
            let unknown = try await api.get("metrics/get-history?run_id=\(runId)&metric_key=nope")
            #expect(unknown.text == "{}")
            let badToken = try await api.get("metrics/get-history?run_id=\(runId)&metric_key=m&max_results=2&page_token=%%%")
            #expect(badToken.status == 400)
            let zero = try await api.get("metrics/get-history?run_id=\(runId)&metric_key=m&max_results=0")
            #expect(zero.message == "Invalid value 0 for parameter 'max_results' supplied. It must be a positive integer.")
        }
    }

    @Test func bulkIntervalSampling() async throws {
        try await TestServer.run { api in
            let runId = try await api.createRun(experimentId: try await api.createExperiment())
            try await logSeries(api, runId: runId, key: "acc", count: 10)
            func steps(_ query: String) async throws -> [Int64] {
                let response = try await api.get("metrics/get-history-bulk-interval?run_ids=\(runId)&metric_key=acc\(query)")
                #expect(response.status == 200, "\(response.text)")
                return response.json["metrics"]?.arrayValue.compactMap { $0["step"]?.intValue } ?? []
            }
            #expect(try await steps("&max_results=320") == Array(0...9))
            #expect(try await steps("&max_results=1") == [9])
            #expect(try await steps("&max_results=2") == [0, 9])
            #expect(try await steps("&max_results=3") == [0, 4, 9])
            #expect(try await steps("&max_results=4") == [0, 3, 6, 9])
            #expect(try await steps("&max_results=5&start_step=2&end_step=6") == [2, 3, 4, 5, 6])
            let first = try await api.get("metrics/get-history-bulk-interval?run_ids=\(runId)&metric_key=acc&max_results=2")
            #expect(first.json["metrics"]?.arrayValue.first?["run_id"]?.stringValue == runId)
        }
    }

    @Test func bulkIntervalErrors() async throws {
        try await TestServer.run { api in
            let noRuns = try await api.get("metrics/get-history-bulk-interval?metric_key=loss")
            #expect(noRuns.message == "Missing value for required parameter 'run_ids'. See the API docs for more information about request parameters.")
            let tooMany = try await api.get("metrics/get-history-bulk-interval?metric_key=m&max_results=2501&run_ids=a")
            #expect(tooMany.message == "max_results must be between 1 and 2500. See the API docs for more information about request parameters.")
            let oneStep = try await api.get("metrics/get-history-bulk-interval?metric_key=m&run_ids=a&start_step=1")
            #expect(oneStep.message == "If either start step or end step are specified, both must be specified.")
            let backwards = try await api.get("metrics/get-history-bulk-interval?metric_key=m&run_ids=a&start_step=5&end_step=1")
            #expect(backwards.message == "end_step must be greater than start_step. Found start_step=5 and end_step=1.")
            let runIds = (0...100).map { "run_ids=r\($0)" }.joined(separator: "&")
            let manyRuns = try await api.get("metrics/get-history-bulk-interval?metric_key=m&\(runIds)")
            #expect(manyRuns.message.hasPrefix("GetMetricHistoryBulkInterval request must specify at most 100 run_ids. Received 101 run_ids."))
        }
    }

    @Test func ajaxBulkHistory() async throws {
        try await TestServer.run { api in
            let runId = try await api.createRun(experimentId: try await api.createExperiment())
            try await logSeries(api, runId: runId, key: "loss", count: 3)
            let ajax = "/ajax-api/2.0/mlflow/"
            let response = try await api.get("metrics/get-history-bulk?run_id=\(runId)&metric_key=loss", prefix: ajax)
            #expect(response.status == 200)
            #expect(response.json["metrics"]?.arrayValue.map { $0["run_id"]?.stringValue } == [runId, runId, runId])
            let empty = try await api.get("metrics/get-history-bulk?run_id=\(runId)&metric_key=none", prefix: ajax)
            #expect(empty.json["metrics"] == .array([]))
            let noRun = try await api.get("metrics/get-history-bulk?metric_key=loss", prefix: ajax)
            #expect(noRun.message == "GetMetricHistoryBulk request must specify at least one run_id.")
            // Only the UI prefix serves it, as in MLflow.
            #expect(try await api.get("metrics/get-history-bulk?run_id=\(runId)&metric_key=loss").status == 404)
        }
    }
}
