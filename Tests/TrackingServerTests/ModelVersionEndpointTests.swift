import HTTPTypes
import Testing
import TrackingCore
import TrackingServer

@Suite("model-versions/* endpoints")
struct ModelVersionEndpointTests {
    @Test func createGetUpdateDelete() async throws {
        try await TestServer.run { api in
            let experiment = try await api.createExperiment()
            let run = try await api.createRun(experimentId: experiment)
            try await api.createRegisteredModel("m")
            let first = try await api.createModelVersion(
                "m", source: "runs:/\(run)/model", extra: #""run_id": "\#(run)", "tags": [{"key": "k", "value": "v"}]"#)
            #expect(first["version"]?.stringValue == "1")
            #expect(first["current_stage"]?.stringValue == "None")
            #expect(first["status"]?.stringValue == "READY")
            #expect(first["run_id"]?.stringValue == run)
            #expect(first["description"]?.stringValue == "")
            #expect(first["tags"]?.keyValueMap == ["k": "v"])
            #expect(try await api.createModelVersion("m")["version"]?.stringValue == "2")

            let got = try await api.get("model-versions/get?name=m&version=1")
            #expect(got.json["model_version"]?["source"]?.stringValue == "runs:/\(run)/model")
            let updated = try await api.call(.patch, "model-versions/update", #"{"name": "m", "version": "1", "description": "d"}"#)
            #expect(updated.json["model_version"]?["description"]?.stringValue == "d")
            let uri = try await api.get("model-versions/get-download-uri?name=m&version=1")
            #expect(uri.json["artifact_uri"]?.stringValue == "runs:/\(run)/model")

            #expect(try await api.call(.delete, "model-versions/delete", #"{"name": "m", "version": "2"}"#).status == 200)
            expectError(try await api.get("model-versions/get?name=m&version=2"), 404, "RESOURCE_DOES_NOT_EXIST",
                "Model Version (name=m, version=2) not found")
            expectError(try await api.call(.delete, "model-versions/delete", #"{"name": "m", "version": "2"}"#), 404,
                "RESOURCE_DOES_NOT_EXIST")
            // A deleted number is not reused.
            #expect(try await api.createModelVersion("m")["version"]?.stringValue == "3")
            expectError(try await api.get("model-versions/get?name=m&version=x"), 400, "INVALID_PARAMETER_VALUE",
                "Parameter 'version' must be an integer, got 'x'.")
            expectError(try await api.post("model-versions/create", #"{"name": "nope", "source": "s3://b/m"}"#), 404,
                "RESOURCE_DOES_NOT_EXIST", "Registered Model with name=nope not found")
        }
    }

    @Test func sourceValidation() async throws {
        try await TestServer.run { api in
            let experiment = try await api.createExperiment()
            let run = try await api.createRun(experimentId: experiment)
            try await api.createRegisteredModel("m")
            func create(_ body: String) async throws -> APIResponse {
                try await api.post("model-versions/create", #"{"name": "m", \#(body)}"#)
            }
            expectError(try await create(#""source": "/etc/passwd""#), 400, "INVALID_PARAMETER_VALUE",
                "Invalid model version source: '/etc/passwd'. To use a local path as a model version source, the run_id request "
                    + "parameter has to be specified and the local path has to be contained within the artifact directory of "
                    + "the run specified by the run_id.")
            expectError(try await create(#""source": "runs:/other/model", "run_id": "\#(run)""#), 400, "INVALID_PARAMETER_VALUE",
                "Invalid model version source: 'runs:/other/model'. The run_id request parameter must identify the resource "
                    + "that contains the source.")
            expectError(try await create(#""source": "s3://bucket/../x""#), 400, "INVALID_PARAMETER_VALUE")
            expectError(try await create(#""source": "mlflow-artifacts:/x", "run_id": "\#(run)""#), 400, "INVALID_PARAMETER_VALUE")
            expectError(try await create(#""source": "http://host/x""#), 400, "INVALID_PARAMETER_VALUE")
            for bad in ["s3://bucket", "s3://bucket/", "foo:bucket/x", "s3://b/%2e%2e/x"] {
                expectError(try await create(#""source": "\#(bad)""#), 400, "INVALID_PARAMETER_VALUE",
                    "Invalid model version source: '\(bad)'. If supplying a source as an http, https, local file path, ftp, "
                        + "objectstore, or mlflow-artifacts uri, an absolute path must be provided without relative path "
                        + "references present. Please provide an absolute path.")
            }
            expectError(try await create(#""source": "models://host/m/1""#), 400, "INVALID_PARAMETER_VALUE",
                "Invalid model version source: 'models://host/m/1'. Registered model sources must use the active model registry.")
            // A local path inside the run's artifact directory is allowed.
            let inside = "/tmp/tracking-tests/artifacts/\(experiment)/\(run)/artifacts/model"
            #expect(try await create(#""source": "\#(inside)", "run_id": "\#(run)""#).status == 200)
            // Nothing was created by the refused requests.
            #expect(try await api.get("model-versions/search?filter=name%3D%27m%27").json["model_versions"]?.arrayValue.count == 1)
        }
    }

    @Test func registeredModelSources() async throws {
        try await TestServer.run { api in
            let experiment = try await api.createExperiment()
            let run = try await api.createRun(experimentId: experiment)
            try await api.createRegisteredModel("base")
            try await api.createRegisteredModel("copy")
            try await api.createModelVersion("base", source: "s3://bucket/base", extra: #""run_id": "\#(run)""#)
            _ = try await api.post("registered-models/alias", #"{"name": "base", "alias": "champ", "version": "1"}"#)
            // Every form naming a version is stored as models:/<name>/<version>, with that version's run and files.
            for source in ["models:/base/1", "models:/base@champ", "models:/base/latest"] {
                let version = try await api.createModelVersion("copy", source: source)
                #expect(version["source"]?.stringValue == "models:/base/1")
                #expect(version["run_id"]?.stringValue == run)
                let uri = try await api.get("model-versions/get-download-uri?name=copy&version=\(version["version"]?.stringValue ?? "")")
                #expect(uri.json["artifact_uri"]?.stringValue == "s3://bucket/base")
            }
            expectError(try await api.post("model-versions/create", #"{"name": "copy", "source": "models:/base/1", "run_id": "x"}"#),
                400, "INVALID_PARAMETER_VALUE",
                "Invalid model version source: 'models:/base/1'. The run_id and model_id request parameters must match the "
                    + "referenced model version.")
            expectError(try await api.post("model-versions/create", #"{"name": "copy", "source": "models:/base/7"}"#),
                404, "RESOURCE_DOES_NOT_EXIST", "Model Version (name=base, version=7) not found")
            expectError(try await api.post("model-versions/create", #"{"name": "copy", "source": "models:/nobase/1"}"#),
                404, "RESOURCE_DOES_NOT_EXIST", "Registered Model with name=nobase not found")
            // MLflow answers this with a 500; the caller named a stage without versions.
            expectError(try await api.post("model-versions/create", #"{"name": "copy", "source": "models:/base/Production"}"#),
                400, "INVALID_PARAMETER_VALUE", "No versions of model with name 'base' and stage 'Production' found")
        }
    }

    @Test func stagesAndTags() async throws {
        try await TestServer.run { api in
            try await api.createRegisteredModel("m")
            try await api.createModelVersion("m")
            try await api.createModelVersion("m")
            let staged = try await api.post("model-versions/transition-stage", #"{"name": "m", "version": "1", "stage": "staging"}"#)
            #expect(staged.json["model_version"]?["current_stage"]?.stringValue == "Staging")
            _ = try await api.post(
                "model-versions/transition-stage",
                #"{"name": "m", "version": "2", "stage": "Staging", "archive_existing_versions": true}"#)
            #expect(try await api.get("model-versions/get?name=m&version=1").json["model_version"]?["current_stage"]?.stringValue == "Archived")
            expectError(try await api.post("model-versions/transition-stage", #"{"name": "m", "version": "1", "stage": "bad"}"#),
                400, "INVALID_PARAMETER_VALUE", "Invalid Model Version stage: bad. Value must be one of None, Staging, Production, Archived.")

            // MLflow answers this with a 500 (no error code); it is the caller's mistake, so 400 here.
            expectError(
                try await api.post(
                    "model-versions/transition-stage",
                    #"{"name": "m", "version": "1", "stage": "None", "archive_existing_versions": true}"#),
                400, "INVALID_PARAMETER_VALUE",
                "Model version transition cannot archive existing model versions because 'None' is not an Active stage. "
                    + "Valid stages are ['Staging', 'Production']")
            #expect(try await api.get("model-versions/get?name=m&version=1").json["model_version"]?["current_stage"]?.stringValue == "Archived")

            #expect(try await api.post("model-versions/set-tag", #"{"name": "m", "version": "1", "key": "k", "value": "v"}"#).status == 200)
            #expect(try await api.get("model-versions/get?name=m&version=1").json["model_version"]?["tags"]?.keyValueMap == ["k": "v"])
            #expect(try await api.call(.delete, "model-versions/delete-tag", #"{"name": "m", "version": "1", "key": "k"}"#).status == 200)
            expectError(try await api.post("model-versions/set-tag", #"{"name": "m", "version": "9", "key": "k", "value": "v"}"#),
                404, "RESOURCE_DOES_NOT_EXIST")
        }
    }

    @Test func search() async throws {
        try await TestServer.run { api in
            let experiment = try await api.createExperiment()
            let run = try await api.createRun(experimentId: experiment)
            try await api.createRegisteredModel("a")
            try await api.createRegisteredModel("b")
            try await api.createModelVersion("a", source: "runs:/\(run)/model", extra: #""run_id": "\#(run)""#)
            try await api.createModelVersion("a", extra: #""tags": [{"key": "k", "value": "v"}]"#)
            try await api.createModelVersion("b")
            func versions(_ filter: String, _ extra: String = "") async throws -> [String] {
                let query = filter.addingPercentEncodingForQuery
                let response = try await api.get("model-versions/search?filter=\(query)\(extra)")
                #expect(response.status == 200, "\(response.text)")
                return response.json["model_versions"]?.arrayValue.map {
                    "\($0["name"]?.stringValue ?? "")/\($0["version"]?.stringValue ?? "")"
                } ?? []
            }
            #expect(try await versions("run_id = '\(run)'") == ["a/1"])
            #expect(try await versions("run_id IN ('\(run)', 'x')") == ["a/1"])
            #expect(try await versions("name = 'a'", "&order_by=version_number%20ASC") == ["a/1", "a/2"])
            #expect(try await versions("name = 'a' AND version_number > 1") == ["a/2"])
            #expect(try await versions("tags.k = 'v'") == ["a/2"])
            #expect(try await versions("source_path = 'runs:/\(run)/model'") == ["a/1"])
            expectError(try await api.get("model-versions/search?filter=\("tags.k > 'v'".addingPercentEncodingForQuery)"), 400,
                "INVALID_PARAMETER_VALUE", "Invalid comparator for tag: >")
            expectError(try await api.get("model-versions/search?filter=\("version_number = 1.5".addingPercentEncodingForQuery)"), 400,
                "INVALID_PARAMETER_VALUE", "Invalid value for numeric attribute 'version_number': 1.5")
            // MLflow fails on these with a 500; they are the caller's mistakes.
            expectError(try await api.get("model-versions/search?order_by=name&order_by=name%20DESC"), 400,
                "INVALID_PARAMETER_VALUE", "`order_by` contains duplicate fields: ['name', 'name DESC']")
            expectError(try await api.get("model-versions/search?filter=\("tags.k IS NULL".addingPercentEncodingForQuery)"), 400,
                "INVALID_PARAMETER_VALUE", "Invalid comparison clause. Expected 3 tokens found 2")
            expectError(try await api.get("model-versions/search?max_results=0"), 400, "INVALID_PARAMETER_VALUE",
                "Invalid value for max_results. It must be a positive integer, but got 0")
            expectError(try await api.get("model-versions/search?max_results=200001"), 400, "INVALID_PARAMETER_VALUE")
        }
    }
}

extension String {
    /// Percent-encodes everything but unreserved characters, for a query value.
    var addingPercentEncodingForQuery: String {
        var out = ""
        for byte in utf8 {
            let c = Character(UnicodeScalar(byte))
            if c.isASCII, c.isLetter || c.isNumber || "-._~".contains(c) {
                out.append(c)
            } else {
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded
            }
        }
        return out
    }

    fileprivate var leftPadded: String { count == 1 ? "0" + self : self }
}
