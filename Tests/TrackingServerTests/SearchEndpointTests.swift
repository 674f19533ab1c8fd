import HTTPTypes
import Testing
import TrackingCore
import TrackingServer

@Suite("runs/search and experiments/search endpoints")
struct SearchEndpointTests {
    @Test func searchRunsFiltersOrdersAndPages() async throws {
        try await TestServer.run { api in
            let experiment = try await api.createExperiment("searched")
            for (n, loss) in [0.5, 0.1, 0.9].enumerated() {
                let run = try await api.createRun(experimentId: experiment, extra: #""run_name": "r\#(n)""#)
                let logged = try await api.post(
                    "runs/log-batch",
                    #"{"run_id": "\#(run)", "metrics": [{"key": "loss", "value": \#(loss), "timestamp": 1, "step": 0}], "params": [{"key": "lr", "value": "0.0\#(n)"}]}"#)
                #expect(logged.status == 200)
            }
            let body = #"{"experiment_ids": ["\#(experiment)"], "filter": "metrics.loss > 0.2", "order_by": ["metrics.loss DESC"]}"#
            let found = try await api.post("runs/search", body)
            #expect(found.status == 200, "\(found.text)")
            let runs = found.json["runs"]?.arrayValue ?? []
            #expect(runs.map { $0["info"]?["run_name"]?.stringValue } == ["r2", "r0"])
            #expect(runs.first?["data"]?["params"]?.keyValueMap == ["lr": "0.02"])
            #expect(runs.first?["inputs"] == .object([:]))
            #expect(runs.first?["outputs"] == .object([:]))
            #expect(found.json["next_page_token"] == nil)

            let first = try await api.post("runs/search", #"{"experiment_ids": ["\#(experiment)"], "max_results": 2}"#)
            #expect(first.json["runs"]?.arrayValue.count == 2)
            let token = try #require(first.json["next_page_token"]?.stringValue)
            #expect(token == "eyJvZmZzZXQiOiAyfQ==")
            let second = try await api.post(
                "runs/search", #"{"experiment_ids": ["\#(experiment)"], "max_results": 2, "page_token": "\#(token)"}"#,
                prefix: "/ajax-api/2.0/mlflow/")
            #expect(second.json["runs"]?.arrayValue.count == 1)
            #expect(second.json["next_page_token"] == nil)

            let none = try await api.post("runs/search", #"{"experiment_ids": ["\#(experiment)"], "filter": "params.lr = 'x'"}"#)
            #expect(none.status == 200 && none.text == "{}")
            // Numbers are not experiment ids for MLflow's parser: nothing is searched.
            let numbers = try await api.post("runs/search", #"{"experiment_ids": [\#(experiment)]}"#)
            #expect(numbers.text == "{}")
            let wrongMethod = try await api.get("runs/search")
            #expect(wrongMethod.status == 405)
        }
    }

    @Test func searchRunsRefusesBadInputWithMLflowsMessages() async throws {
        try await TestServer.run { api in
            let cases: [(String, String)] = [
                (#"{"experiment_ids": ["0"], "filter": "metrics.loss <<< 1"}"#,
                 "Invalid comparator '<<<' not one of '{'>', '>=', '!=', '<', '<=', '='}"),
                (#"{"experiment_ids": ["0"], "filter": "metrics.loss < 1 OR metrics.loss > 2"}"#,
                 "Invalid clause(s) in filter string: 'OR'"),
                (#"{"experiment_ids": ["0"], "order_by": ["metrics.loss DESCENDING"]}"#,
                 "Invalid ordering key in order_by clause 'metrics.loss DESCENDING'."),
                (#"{"experiment_ids": ["0"], "order_by": ["metrics.a", "metric.a DESC"]}"#,
                 "`order_by` contains duplicate fields: ['metrics.a', 'metric.a DESC']"),
                (#"{"experiment_ids": ["0"], "page_token": "abc"}"#, "Invalid page token, could not base64-decode"),
                (#"{"experiment_ids": ["x"]}"#, "Invalid experiment ID 'x'. Experiment ID must be a valid integer."),
                (#"{"experiment_ids": ["0"], "max_results": 50001}"#,
                 "Invalid value 50001 for parameter 'max_results' supplied:  Hint: Value was of type 'int'. See the API docs for more information about request parameters."),
                (#"{"experiment_ids": ["0"], "max_results": 0}"#,
                 "Invalid value 0 for parameter 'max_results' supplied. It must be a positive integer"),
                (#"{"experiment_ids": ["0"], "order_by": "x"}"#,
                 "Invalid value \"x\" for parameter 'order_by' supplied:  Hint: Value was of type 'str'. See the API docs for more information about request parameters."),
            ]
            for (body, message) in cases {
                let response = try await api.post("runs/search", body)
                #expect(response.status == 400, "\(body)")
                #expect(response.errorCode == "INVALID_PARAMETER_VALUE")
                #expect(response.message == message)
            }
        }
    }

    @Test func searchExperimentsByGetAndPost() async throws {
        try await TestServer.run { api in
            _ = try await api.post("experiments/create", #"{"name": "team-a", "tags": [{"key": "team", "value": "a"}]}"#)
            _ = try await api.createExperiment("team-b")
            let byGet = try await api.get("experiments/search?max_results=10&filter=name%20LIKE%20%27team-%25%27&order_by=name%20DESC")
            #expect(byGet.status == 200, "\(byGet.text)")
            #expect(byGet.json["experiments"]?.arrayValue.map { $0["name"]?.stringValue } == ["team-b", "team-a"])
            let byPost = try await api.post("experiments/search", #"{"max_results": 10, "filter": "tags.team = 'a'"}"#)
            #expect(byPost.json["experiments"]?.arrayValue.first?["tags"]?.keyValueMap == ["team": "a"])
            let paged = try await api.post("experiments/search", #"{"max_results": 1, "order_by": ["experiment_id"]}"#)
            #expect(paged.json["experiments"]?.arrayValue.first?["name"]?.stringValue == "Default")
            #expect(paged.json["next_page_token"]?.stringValue == "eyJvZmZzZXQiOiAxfQ==")

            let noMax = try await api.get("experiments/search")
            #expect(noMax.status == 400)
            #expect(noMax.message == "Invalid value 0 for parameter 'max_results' supplied. It must be a positive integer")
            let badComparator = try await api.post("experiments/search", #"{"max_results": 5, "filter": "name like 'a'"}"#)
            #expect(badComparator.message == "Invalid comparator 'like' not one of '{'!=', '=', 'LIKE', 'ILIKE', 'IN', 'NOT IN'}'")
            let badToken = try await api.post("experiments/search", #"{"max_results": 5, "page_token": 1}"#)
            #expect(badToken.message.hasPrefix("Invalid value 1 for parameter 'page_token' supplied:"))
        }
    }
}
