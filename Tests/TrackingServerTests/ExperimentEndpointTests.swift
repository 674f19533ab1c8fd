import HTTPTypes
import Testing
import TrackingCore
import TrackingServer

@Suite("experiments/* endpoints")
struct ExperimentEndpointTests {
    @Test func createGetAndGetByName() async throws {
        try await TestServer.run { api in
            let created = try await api.post(
                "experiments/create", #"{"name": "alpha", "tags": [{"key": "team", "value": "ml"}]}"#)
            #expect(created.status == 200)
            let id = try #require(created.json["experiment_id"]?.stringValue)
            let fetched = try await api.get("experiments/get?experiment_id=\(id)")
            #expect(fetched.status == 200)
            let experiment = try #require(fetched.json["experiment"])
            #expect(experiment["name"]?.stringValue == "alpha")
            #expect(experiment["artifact_location"]?.stringValue == "\(TestServer.artifactRoot)/\(id)")
            #expect(experiment["lifecycle_stage"]?.stringValue == "active")
            #expect(experiment["workspace"]?.stringValue == "default")
            #expect(experiment["creation_time"]?.intValue != nil)
            #expect(experiment["tags"]?.keyValueMap == ["team": "ml"])
            let byName = try await api.get("experiments/get-by-name?experiment_name=alpha")
            #expect(byName.json["experiment"]?["experiment_id"]?.stringValue == id)
            // The ajax prefix serves the same endpoint.
            let ajax = try await api.get("experiments/get?experiment_id=\(id)", prefix: "/ajax-api/2.0/mlflow/")
            #expect(ajax.json["experiment"]?["name"]?.stringValue == "alpha")
        }
    }

    @Test func defaultExperimentExists() async throws {
        try await TestServer.run { api in
            let response = try await api.get("experiments/get?experiment_id=0")
            #expect(response.json["experiment"]?["name"]?.stringValue == "Default")
            #expect(response.json["experiment"]?["artifact_location"]?.stringValue == "\(TestServer.artifactRoot)/0")
        }
    }

    @Test func createValidation() async throws {
        try await TestServer.run { api in
            _ = try await api.createExperiment("dup")
            let duplicate = try await api.post("experiments/create", #"{"name": "dup"}"#)
            #expect(duplicate.status == 400)
            #expect(duplicate.errorCode == "RESOURCE_ALREADY_EXISTS")
            #expect(duplicate.message.hasPrefix("Experiment(name=dup) already exists."))

            let missing = try await api.post("experiments/create", "{}")
            #expect(missing.status == 400)
            #expect(missing.message == "Missing value for required parameter 'name'. See the API docs for more information about request parameters.")

            let malformed = try await api.post("experiments/create", "{not json")
            #expect(malformed.message.hasPrefix("Missing value for required parameter 'name'"))

            let wrongType = try await api.post("experiments/create", #"{"name": 123}"#)
            #expect(wrongType.message == "Invalid value 123 for parameter 'name' supplied:  Hint: Value was of type 'int'. See the API docs for more information about request parameters.")

            let tooLong = try await api.post("experiments/create", #"{"name": "\#(String(repeating: "n", count: 501))"}"#)
            #expect(tooLong.message == "'name' exceeds the maximum length of 500 characters")

            let runsURI = try await api.post("experiments/create", #"{"name": "x", "artifact_location": "runs:/abc"}"#)
            #expect(runsURI.message == "Artifact location cannot be a runs:/ URI. Given: 'runs:/abc'")

            let badTag = try await api.post("experiments/create", #"{"name": "y", "tags": [{"key": "a/../b", "value": "v"}]}"#)
            #expect(badTag.message.contains("This name would resolve to 'b'"))

            let noType = try await api.send("/api/2.0/mlflow/experiments/create", method: .post, body: "{}", contentType: nil)
            #expect(noType.message == "Bad Request. Content-Type header is missing.")
        }
    }

    @Test func userLocationIsKept() async throws {
        try await TestServer.run { api in
            let created = try await api.post("experiments/create", #"{"name": "s3", "artifact_location": "s3://bucket/path"}"#)
            let id = try #require(created.json["experiment_id"]?.stringValue)
            let fetched = try await api.get("experiments/get?experiment_id=\(id)")
            #expect(fetched.json["experiment"]?["artifact_location"]?.stringValue == "s3://bucket/path")
        }
    }

    @Test func getErrors() async throws {
        try await TestServer.run { api in
            let missing = try await api.get("experiments/get?experiment_id=987654")
            #expect(missing.status == 404)
            #expect(missing.errorCode == "RESOURCE_DOES_NOT_EXIST")
            #expect(missing.message == "No Experiment with id=987654 exists")
            #expect(missing.json["error_class"]?.stringValue == "RESOURCE_NOT_FOUND")

            let notInteger = try await api.get("experiments/get?experiment_id=abc")
            #expect(notInteger.status == 400)
            #expect(notInteger.message == "Invalid experiment ID 'abc'. Experiment ID must be a valid integer.")

            let noName = try await api.get("experiments/get-by-name?experiment_name=nope")
            #expect(noName.status == 404)
            #expect(noName.message == "Could not find experiment with name 'nope'")
        }
    }

    @Test func renameDeleteRestore() async throws {
        try await TestServer.run { api in
            let id = try await api.createExperiment("before")
            let other = try await api.createExperiment("taken")
            #expect(try await api.post("experiments/update", #"{"experiment_id": "\#(id)", "new_name": "after"}"#).status == 200)
            #expect(try await api.get("experiments/get?experiment_id=\(id)").json["experiment"]?["name"]?.stringValue == "after")

            let clash = try await api.post("experiments/update", #"{"experiment_id": "\#(id)", "new_name": "taken"}"#)
            #expect(clash.status == 400)
            #expect(clash.errorCode == "BAD_REQUEST")

            let runId = try await api.createRun(experimentId: id)
            #expect(try await api.post("experiments/delete", #"{"experiment_id": "\#(id)"}"#).status == 200)
            let deleted = try await api.get("experiments/get?experiment_id=\(id)")
            #expect(deleted.json["experiment"]?["lifecycle_stage"]?.stringValue == "deleted")
            #expect(try await api.getRun(runId)["info"]?["lifecycle_stage"]?.stringValue == "deleted")

            let again = try await api.post("experiments/delete", #"{"experiment_id": "\#(id)"}"#)
            #expect(again.status == 404)
            let rename = try await api.post("experiments/update", #"{"experiment_id": "\#(id)", "new_name": "x"}"#)
            #expect(rename.status == 400)
            #expect(rename.message == "Cannot rename a non-active experiment.")
            let newRun = try await api.post("runs/create", #"{"experiment_id": "\#(id)"}"#)
            #expect(newRun.message == "The experiment \(id) must be in the 'active' state. Current state is deleted.")

            #expect(try await api.post("experiments/restore", #"{"experiment_id": "\#(id)"}"#).status == 200)
            #expect(try await api.getRun(runId)["info"]?["lifecycle_stage"]?.stringValue == "active")
            let restoreActive = try await api.post("experiments/restore", #"{"experiment_id": "\#(other)"}"#)
            #expect(restoreActive.status == 404)
        }
    }

    @Test func experimentTags() async throws {
        try await TestServer.run { api in
            let id = try await api.createExperiment()
            let set = try await api.post("experiments/set-experiment-tag", #"{"experiment_id": "\#(id)", "key": "k", "value": "v"}"#)
            #expect(set.status == 200)
            #expect(set.text == "{}")
            let overwrite = try await api.post("experiments/set-experiment-tag", #"{"experiment_id": "\#(id)", "key": "k", "value": "w"}"#)
            #expect(overwrite.status == 200)
            #expect(try await api.get("experiments/get?experiment_id=\(id)").json["experiment"]?["tags"]?.keyValueMap == ["k": "w"])
            let tooLong = try await api.post(
                "experiments/set-experiment-tag",
                #"{"experiment_id": "\#(id)", "key": "big", "value": "\#(String(repeating: "v", count: 20001))"}"#)
            #expect(tooLong.message == "'value' exceeds the maximum length of 20000 characters")
            #expect(try await api.post("experiments/delete-experiment-tag", #"{"experiment_id": "\#(id)", "key": "k"}"#).status == 200)
            let gone = try await api.post("experiments/delete-experiment-tag", #"{"experiment_id": "\#(id)", "key": "k"}"#)
            #expect(gone.status == 404)
            #expect(gone.message == "No tag with name: k in experiment with id \(id)")
        }
    }
}
