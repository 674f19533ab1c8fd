import HTTPTypes
import Testing
import TrackingCore
import TrackingServer

@Suite("registered-models/* endpoints")
struct RegisteredModelEndpointTests {
    @Test func createGetUpdateRenameDelete() async throws {
        try await TestServer.run { api in
            let created = try await api.post(
                "registered-models/create", #"{"name": "m", "tags": [{"key": "t", "value": "1"}], "description": "d"}"#)
            #expect(created.status == 200)
            let model = try #require(created.json["registered_model"])
            #expect(model["name"]?.stringValue == "m")
            #expect(model["description"]?.stringValue == "d")
            #expect(model["tags"]?.keyValueMap == ["t": "1"])
            #expect(model["creation_timestamp"]?.intValue != nil)

            let updated = try await api.call(.patch, "registered-models/update", #"{"name": "m", "description": "e"}"#)
            #expect(updated.json["registered_model"]?["description"]?.stringValue == "e")

            try await api.createModelVersion("m")
            let renamed = try await api.post("registered-models/rename", #"{"name": "m", "new_name": "n"}"#)
            #expect(renamed.json["registered_model"]?["name"]?.stringValue == "n")
            let fetched = try await api.get("registered-models/get?name=n")
            #expect(fetched.json["registered_model"]?["tags"]?.keyValueMap == ["t": "1"])
            #expect(fetched.json["registered_model"]?["latest_versions"]?.arrayValue.first?["name"]?.stringValue == "n")
            expectError(try await api.get("registered-models/get?name=m"), 404, "RESOURCE_DOES_NOT_EXIST",
                "Registered Model with name=m not found")

            let deleted = try await api.call(.delete, "registered-models/delete", #"{"name": "n"}"#)
            #expect(deleted.status == 200)
            expectError(try await api.get("registered-models/get?name=n"), 404, "RESOURCE_DOES_NOT_EXIST")
            expectError(try await api.call(.delete, "registered-models/delete", #"{"name": "n"}"#), 404, "RESOURCE_DOES_NOT_EXIST")
        }
    }

    @Test func createAndRenameErrors() async throws {
        try await TestServer.run { api in
            try await api.createRegisteredModel("a")
            try await api.createRegisteredModel("b")
            expectError(try await api.post("registered-models/create", #"{"name": "a"}"#), 400, "RESOURCE_ALREADY_EXISTS",
                "Registered Model (name=a) already exists.")
            expectError(try await api.post("registered-models/create", #"{"name": "x/y"}"#), 400, "INVALID_PARAMETER_VALUE",
                "Invalid model name 'x/y'. Names cannot contain '/' or ':'.")
            expectError(try await api.post("registered-models/create", #"{"name": "  "}"#), 400, "INVALID_PARAMETER_VALUE",
                "Missing value for required parameter 'name'.")
            expectError(try await api.post("registered-models/create", "{}"), 400, "INVALID_PARAMETER_VALUE",
                "Missing value for required parameter 'name'. See the API docs for more information about request parameters.")
            expectError(try await api.post("registered-models/rename", #"{"name": "a", "new_name": "b"}"#), 400,
                "RESOURCE_ALREADY_EXISTS", "Registered Model (name=b) already exists.")
            expectError(try await api.post("registered-models/rename", #"{"name": "zz", "new_name": "c"}"#), 404,
                "RESOURCE_DOES_NOT_EXIST")
            // Nothing changed.
            #expect(try await api.get("registered-models/get?name=a").status == 200)
        }
    }

    @Test func tags() async throws {
        try await TestServer.run { api in
            try await api.createRegisteredModel("m")
            #expect(try await api.post("registered-models/set-tag", #"{"name": "m", "key": "k", "value": "v"}"#).status == 200)
            #expect(try await api.get("registered-models/get?name=m").json["registered_model"]?["tags"]?.keyValueMap == ["k": "v"])
            #expect(try await api.call(.delete, "registered-models/delete-tag", #"{"name": "m", "key": "k"}"#).status == 200)
            // MLflow ignores a missing tag.
            #expect(try await api.call(.delete, "registered-models/delete-tag", #"{"name": "m", "key": "k"}"#).status == 200)
            expectError(try await api.post("registered-models/set-tag", #"{"name": "nope", "key": "k", "value": "v"}"#), 404,
                "RESOURCE_DOES_NOT_EXIST")
            expectError(try await api.post("registered-models/set-tag", #"{"name": "m", "key": "../k", "value": "v"}"#), 400,
                "INVALID_PARAMETER_VALUE")
        }
    }

    @Test func aliasesAndLatestVersions() async throws {
        try await TestServer.run { api in
            try await api.createRegisteredModel("m")
            try await api.createModelVersion("m")
            try await api.createModelVersion("m")
            #expect(try await api.post("registered-models/alias", #"{"name": "m", "alias": "champion", "version": "1"}"#).status == 200)
            let byAlias = try await api.get("registered-models/alias?name=m&alias=champion")
            #expect(byAlias.json["model_version"]?["version"]?.stringValue == "1")
            #expect(byAlias.json["model_version"]?["aliases"]?.arrayValue == [.string("champion")])
            let latest = try await api.get("registered-models/alias?name=m&alias=latest")
            #expect(latest.json["model_version"]?["version"]?.stringValue == "2")
            let model = try await api.get("registered-models/get?name=m")
            #expect(model.json["registered_model"]?["aliases"]?.arrayValue.first?["alias"]?.stringValue == "champion")
            #expect(model.json["registered_model"]?["aliases"]?.arrayValue.first?["version"]?.stringValue == "1")

            expectError(try await api.post("registered-models/alias", #"{"name": "m", "alias": "v2", "version": "1"}"#), 400,
                "INVALID_PARAMETER_VALUE", "Version alias name 'v2' is reserved.")
            expectError(try await api.post("registered-models/alias", #"{"name": "m", "alias": "LATEST", "version": "1"}"#), 400,
                "INVALID_PARAMETER_VALUE", "'latest' alias name (case insensitive) is reserved.")
            expectError(try await api.post("registered-models/alias", #"{"name": "m", "alias": "a b", "version": "1"}"#), 400,
                "INVALID_PARAMETER_VALUE",
                "Invalid alias name: 'a b'. Names may only contain alphanumerics, underscores (_), and dashes (-).")
            expectError(try await api.post("registered-models/alias", #"{"name": "m", "alias": "x", "version": "9"}"#), 404,
                "RESOURCE_DOES_NOT_EXIST", "Model Version (name=m, version=9) not found")
            expectError(try await api.get("registered-models/alias?name=m&alias=nope"), 400, "INVALID_PARAMETER_VALUE",
                "Registered model alias nope not found.")

            #expect(try await api.call(.delete, "registered-models/alias", #"{"name": "m", "alias": "champion"}"#).status == 200)
            #expect(try await api.get("registered-models/get?name=m").json["registered_model"]?["aliases"] == nil)

            _ = try await api.post(
                "model-versions/transition-stage", #"{"name": "m", "version": "1", "stage": "Production"}"#)
            let all = try await api.get("registered-models/get-latest-versions?name=m")
            #expect(all.json["model_versions"]?.arrayValue.map { $0["version"]?.stringValue } == ["1", "2"])
            let production = try await api.post(
                "registered-models/get-latest-versions", #"{"name": "m", "stages": ["production"]}"#)
            #expect(production.json["model_versions"]?.arrayValue.map { $0["version"]?.stringValue } == ["1"])
            expectError(try await api.post("registered-models/get-latest-versions", #"{"name": "m", "stages": ["bad"]}"#), 400,
                "INVALID_PARAMETER_VALUE", "Invalid Model Version stage: bad. Value must be one of None, Staging, Production, Archived.")
        }
    }

    @Test func search() async throws {
        try await TestServer.run { api in
            for name in ["alpha", "beta", "gamma"] { try await api.createRegisteredModel(name) }
            _ = try await api.post("registered-models/set-tag", #"{"name": "beta", "key": "team", "value": "ml"}"#)
            // A prompt is left out unless the filter asks for it.
            _ = try await api.post("registered-models/set-tag", #"{"name": "gamma", "key": "mlflow.prompt.is_prompt", "value": "true"}"#)
            func names(_ query: String) async throws -> [String?] {
                let response = try await api.get("registered-models/search?" + query)
                #expect(response.status == 200, "\(response.text)")
                return response.json["registered_models"]?.arrayValue.map { $0["name"]?.stringValue } ?? []
            }
            #expect(try await names("") == ["alpha", "beta"])
            #expect(try await names("filter=tags.team%20%3D%20%27ml%27") == ["beta"])
            #expect(try await names("filter=name%20LIKE%20%27%25a%27&order_by=name%20DESC") == ["beta", "alpha"])
            #expect(try await names("filter=name%20ILIKE%20%27ALP%25%27") == ["alpha"])
            #expect(try await names("filter=tags.%60mlflow.prompt.is_prompt%60%20%3D%20%27true%27") == ["gamma"])

            let page = try await api.get("registered-models/search?max_results=1")
            #expect(page.json["registered_models"]?.arrayValue.count == 1)
            let token = try #require(page.json["next_page_token"]?.stringValue)
            #expect(try await names("max_results=1&page_token=\(token)") == ["beta"])

            expectError(try await api.get("registered-models/search?filter=name%20%3E%20%27a%27"), 400,
                "INVALID_PARAMETER_VALUE", "Invalid comparator for attribute: >")
            expectError(try await api.get("registered-models/search?filter=tags.t%20%3E%20%27a%27"), 400,
                "INVALID_PARAMETER_VALUE", "Invalid comparator for tag: >")
            expectError(try await api.get("registered-models/search?filter=foo%20%3D%20%27a%27"), 400,
                "INVALID_PARAMETER_VALUE", "Invalid attribute key 'foo' specified. Valid keys are '{'name'}'")
            expectError(try await api.get("registered-models/search?order_by=bogus"), 400, "INVALID_PARAMETER_VALUE",
                "Invalid order by key 'bogus' specified. Valid keys are '{'name', 'timestamp'}'")
            expectError(try await api.get("registered-models/search?max_results=1001"), 400, "INVALID_PARAMETER_VALUE")
            // MLflow fails on these with a 500 (or, for a negative limit, lets SQLite return everything).
            expectError(try await api.get("registered-models/search?order_by=timestamp&order_by=last_updated_timestamp"), 400,
                "INVALID_PARAMETER_VALUE", "`order_by` contains duplicate fields: ['timestamp', 'last_updated_timestamp']")
            expectError(try await api.get("registered-models/search?max_results=-1"), 400, "INVALID_PARAMETER_VALUE")
            expectError(try await api.get("registered-models/search?page_token=xyz"), 400, "INVALID_PARAMETER_VALUE")
        }
    }
}
