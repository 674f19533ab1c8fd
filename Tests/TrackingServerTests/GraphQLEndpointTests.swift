import HTTPTypes
import Testing
import TrackingCore
import TrackingServer

/// `/graphql` with the documents MLflow's UI sends (copied from the 3.17.2 bundle's requests).
@Suite("GraphQL")
struct GraphQLEndpointTests {
    static let getExperiment = #"""
        {"operationName":"MlflowGetExperimentQuery","variables":{"input":{"experimentId":"EXP"}},"query":"query MlflowGetExperimentQuery($input: MlflowGetExperimentInput!) @component(name: \"MLflow.ExperimentRunTracking\") {\n  mlflowGetExperiment(input: $input) {\n    apiError {\n      code\n      message\n      __typename\n    }\n    experiment {\n      artifactLocation\n      creationTime\n      effectiveTraceArchivalRetention\n      experimentId\n      lastUpdateTime\n      lifecycleStage\n      name\n      tags {\n        key\n        value\n        __typename\n      }\n      __typename\n    }\n    __typename\n  }\n}\n"}
        """#

    static let getRun = #"""
        {"operationName":"GetRun","variables":{"data":{"runId":"RUN"}},"query":"query GetRun($data: MlflowGetRunInput!) @component(name: \"MLflow.ExperimentRunTracking\") {\n  mlflowGetRun(input: $data) {\n    apiError {\n      helpUrl\n      code\n      message\n      __typename\n    }\n    run {\n      info {\n        runName\n        status\n        runUuid\n        experimentId\n        artifactUri\n        endTime\n        lifecycleStage\n        startTime\n        userId\n        __typename\n      }\n      experiment {\n        experimentId\n        name\n        tags {\n          key\n          value\n          __typename\n        }\n        artifactLocation\n        lifecycleStage\n        lastUpdateTime\n        __typename\n      }\n      modelVersions {\n        status\n        version\n        name\n        source\n        __typename\n      }\n      data {\n        metrics {\n          key\n          value\n          step\n          timestamp\n          __typename\n        }\n        params {\n          key\n          value\n          __typename\n        }\n        tags {\n          key\n          value\n          __typename\n        }\n        __typename\n      }\n      inputs {\n        datasetInputs {\n          dataset {\n            digest\n            name\n            profile\n            schema\n            source\n            sourceType\n            __typename\n          }\n          tags {\n            key\n            value\n            __typename\n          }\n          __typename\n        }\n        modelInputs {\n          modelId\n          __typename\n        }\n        __typename\n      }\n      outputs {\n        modelOutputs {\n          modelId\n          step\n          __typename\n        }\n        __typename\n      }\n      __typename\n    }\n    __typename\n  }\n}\n"}
        """#

    func graphql(_ api: APIClient, _ body: String) async throws -> APIResponse {
        try await api.send("/graphql", method: .post, body: body)
    }

    func query(_ text: String) -> String { #"{"query": \#(jsonString(text))}"# }

    @Test func experimentQueryAsTheUISendsIt() async throws {
        try await TestServer.run { api in
            let id = try await api.createExperiment("gql-exp")
            _ = try await api.post("experiments/set-experiment-tag", #"{"experiment_id": "\#(id)", "key": "k", "value": "v"}"#)
            let response = try await graphql(api, Self.getExperiment.replacing("EXP", with: id))
            #expect(response.status == 200)
            #expect(response.json["errors"] == .null)
            let result = try #require(response.json["data"]?["mlflowGetExperiment"])
            #expect(result["__typename"] == .string("MlflowGetExperimentResponse"))
            #expect(result["apiError"] == .null)
            let experiment = try #require(result["experiment"])
            #expect(experiment["__typename"] == .string("MlflowExperiment"))
            #expect(experiment["name"] == .string("gql-exp"))
            #expect(experiment["experimentId"] == .string(id))
            #expect(experiment["lifecycleStage"] == .string("active"))
            // LongString: timestamps as strings; an unset proto field reads as its default.
            #expect(experiment["creationTime"]?.stringValue?.allSatisfy(\.isNumber) == true)
            #expect(experiment["effectiveTraceArchivalRetention"] == .string(""))
            #expect(experiment["tags"]?.arrayValue.first?["__typename"] == .string("MlflowExperimentTag"))
            #expect(experiment["tags"]?.keyValueMap == ["k": "v"])
        }
    }

    @Test func runQueryAsTheUISendsIt() async throws {
        try await TestServer.run { api in
            let experimentId = try await api.createExperiment("gql-run")
            let runId = try await api.createRun(experimentId: experimentId)
            _ = try await api.post(
                "runs/log-batch",
                #"{"run_id": "\#(runId)", "metrics": [{"key": "loss", "value": 0.25, "timestamp": 5, "step": 3}, {"key": "bad", "value": "NaN", "timestamp": 5, "step": 0}], "params": [{"key": "lr", "value": "0.1"}]}"#)
            let response = try await graphql(api, Self.getRun.replacing("RUN", with: runId))
            #expect(response.json["errors"] == .null, "\(response.text)")
            let run = try #require(response.json["data"]?["mlflowGetRun"]?["run"])
            #expect(run["__typename"] == .string("MlflowRunExtension"))
            #expect(run["info"]?["runUuid"] == .string(runId))
            #expect(run["info"]?["status"] == .string("RUNNING"))
            #expect(run["info"]?["startTime"] == .string("1000"))
            // A running run has no end time: proto's default, as MLflow answers.
            #expect(run["info"]?["endTime"] == .string("0"))
            #expect(run["experiment"]?["name"] == .string("gql-run"))
            #expect(run["modelVersions"] == .array([]))
            let metrics = run["data"]?["metrics"]?.arrayValue ?? []
            let loss = try #require(metrics.first { $0["key"] == .string("loss") })
            #expect(loss["value"] == .double(0.25))
            #expect(loss["step"] == .string("3"))
            #expect(loss["__typename"] == .string("MlflowMetricExtension"))
            // NaN is not a GraphQL Float: MLflow's metric extension answers null.
            #expect(metrics.first { $0["key"] == .string("bad") }?["value"] == .null)
            #expect(run["data"]?["params"]?.keyValueMap == ["lr": "0.1"])
            #expect(run["inputs"]?["datasetInputs"] == .array([]))
            #expect(run["outputs"]?["modelOutputs"] == .array([]))
        }
    }

    @Test func failingRootFieldIsNullWithItsMessage() async throws {
        try await TestServer.run { api in
            let response = try await graphql(api, Self.getRun.replacing("RUN", with: "nope"))
            #expect(response.status == 200)
            #expect(response.json["data"]?["mlflowGetRun"] == .null)
            #expect(response.json["errors"] == .array([.string("Run with id=nope not found")]))
            let experiment = try await graphql(api, query(#"{ mlflowGetExperiment(input: {experimentId: "999"}) { experiment { name } } }"#))
            #expect(experiment.json["errors"] == .array([.string("No Experiment with id=999 exists")]))
        }
    }

    @Test func searchRunsAndEcho() async throws {
        try await TestServer.run { api in
            let experimentId = try await api.createExperiment("gql-search")
            for _ in 0..<3 { _ = try await api.createRun(experimentId: experimentId) }
            let response = try await graphql(
                api,
                query(
                    #"{ mlflowSearchRuns(input: {experimentIds: ["\#(experimentId)"], maxResults: 2}) { runs { info { runId } } nextPageToken } a: test(inputString: "hi") { output } }"#
                ))
            #expect(response.json["errors"] == .null, "\(response.text)")
            #expect(response.json["data"]?["mlflowSearchRuns"]?["runs"]?.arrayValue.count == 2)
            #expect(response.json["data"]?["mlflowSearchRuns"]?["nextPageToken"]?.stringValue?.isEmpty == false)
            #expect(response.json["data"]?["a"]?["output"] == .string("hi"))
            let mutation = try await graphql(
                api, query(#"mutation { mlflowSearchDatasets(input: {experimentIds: ["\#(experimentId)"]}) { datasetSummaries { name } } }"#))
            #expect(mutation.json["data"]?["mlflowSearchDatasets"]?["datasetSummaries"] == .array([]), "\(mutation.text)")
        }
    }

    @Test func invalidDocumentsAndLimits() async throws {
        try await TestServer.run { api in
            let unknown = try await graphql(api, query("{ nope }"))
            #expect(unknown.status == 200)
            #expect(unknown.json["data"] == .null)
            #expect(unknown.json["errors"]?.arrayValue.first?.stringValue?.contains("nope") == true)
            let syntax = try await graphql(api, query("{ nope "))
            #expect(syntax.status == 400)
            #expect(syntax.json["errors"]?.arrayValue.count == 1)
            let batch = try await graphql(api, #"[{"query": "{ test { output } }"}]"#)
            #expect(batch.status == 400)
            let aliases = (0..<11).map { "a\($0): test(inputString: \"x\") { output }" }.joined(separator: " ")
            let tooMany = try await graphql(api, query("{ \(aliases) }"))
            #expect(
                tooMany.json["errors"]
                    == .array([
                        .string(
                            "GraphQL queries should have at most 10 root fields, got 11 root fields. To increase the limit, set the MLFLOW_SERVER_GRAPHQL_MAX_ROOT_FIELDS environment variable."
                        )
                    ]))
            let nested = (0..<11).map { "b\($0): output" }.joined(separator: " ")
            let aliasLimit = try await graphql(api, query("{ test(inputString: \"x\") { \(nested) } }"))
            #expect(aliasLimit.json["errors"]?.arrayValue.first?.stringValue?.hasPrefix("GraphQL queries should have at most 10 aliases, got 11") == true)
            let get = try await api.send("/graphql?query=%7Btest(inputString:%22q%22)%7Boutput%7D%7D", method: .get, body: nil)
            #expect(get.json["data"]?["test"]?["output"] == .string("q"))
        }
    }
}
