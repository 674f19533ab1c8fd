import Testing
import TrackingCore

@Suite("Validation of names, values and batches")
struct ValidatorTests {
    @Test(arguments: [
        ("loss", nil),
        ("train/loss", nil),
        ("a b:c.d-e_f", nil),
        ("ключ é", nil),
        ("a/../b", "b"),
        ("a//b", "a/b"),
        ("./a", "a"),
        ("a/", "a"),
        ("/a", "/a"),
        ("../x", "../x"),
        ("", "."),
    ] as [(String, String?)])
    func keyNormalisation(key: String, resolvesTo: String?) throws {
        if let resolvesTo {
            let error = #expect(throws: TrackingError.self) { try Validator.validateKeyName(key, path: "key") }
            #expect(error?.message.hasSuffix("This name would resolve to '\(resolvesTo)'") == true)
        } else {
            try Validator.validateKeyName(key, path: "key")
        }
    }

    @Test(arguments: ["a+b", "a@b", "tab\there", "q?"])
    func keyCharacters(key: String) {
        let error = #expect(throws: TrackingError.self) { try Validator.validateKeyName(key, path: "metrics[0].name") }
        #expect(error?.message.contains("for parameter 'metrics[0].name' supplied: Names may only contain") == true)
    }

    @Test func paramValuesAreTruncated() throws {
        let param = try Validator.param(KeyValue(key: "p", value: String(repeating: "x", count: 6001)), path: "")
        #expect(param.value.count == 6000)
        let tag = try Validator.tag(KeyValue(key: "t", value: String(repeating: "é", count: 8001)), path: "")
        #expect(tag.value.count == 8000)
    }

    @Test func keyLengthMessages() {
        let long = String(repeating: "k", count: 251)
        #expect(throws: TrackingError.invalidParameter("'Param key' exceeds the maximum length of 250 characters")) {
            _ = try Validator.param(KeyValue(key: long, value: ""), path: "")
        }
        #expect(throws: TrackingError.invalidParameter("'tags[3].key' exceeds the maximum length of 250 characters")) {
            _ = try Validator.tag(KeyValue(key: long, value: ""), path: "tags[3]")
        }
        #expect(throws: TrackingError.invalidParameter("'Metric name' exceeds the maximum length of 250 characters")) {
            try Validator.metric(Metric(key: long, value: 1, timestamp: 0, step: 0), path: "metrics[0]")
        }
    }

    @Test(arguments: [
        (1001, 0, 0, "at most 1000 metrics. Got 1001 metrics."),
        (0, 101, 0, "at most 100 params. Got 101 params."),
        (0, 0, 101, "at most 100 tags. Got 101 tags."),
        (901, 100, 0, "at most 1000 metrics, params, and tags. Got 1001 metrics, params, and tags."),
    ])
    func batchLimits(metrics: Int, params: Int, tags: Int, fragment: String) {
        let error = #expect(throws: TrackingError.self) {
            try Validator.batchLimits(metrics: metrics, params: params, tags: tags)
        }
        #expect(error?.message.contains(fragment) == true)
    }

    @Test func batchWithinLimits() throws {
        try Validator.batchLimits(metrics: 1000, params: 0, tags: 0)
        try Validator.batchLimits(metrics: 800, params: 100, tags: 100)
    }

    @Test(arguments: ["a b", "", "-abc", String(repeating: "a", count: 257)])
    func invalidRunIds(id: String) {
        #expect(throws: TrackingError.self) { try Validator.runId(id) }
    }

    @Test(arguments: ["0123456789abcdef0123456789abcdef", "run_1-x", "A"])
    func validRunIds(id: String) throws {
        try Validator.runId(id)
    }

    @Test func duplicateParamKeys() {
        let params = ["p1", "p2", "p1", "p2", "p3"].map { KeyValue(key: $0, value: "v") }
        #expect(
            throws: TrackingError.invalidParameter(
                "Duplicate parameter keys have been submitted: ['p1', 'p2']. Please ensure the request contains only one "
                    + "param value per param key.")
        ) { try Validator.uniqueParamKeys(params) }
    }

    @Test func experimentNames() {
        #expect(throws: TrackingError.invalidParameter("Invalid experiment name: ''")) { try Validator.experimentName("") }
        #expect(throws: TrackingError.invalidParameter("'name' exceeds the maximum length of 500 characters")) {
            try Validator.experimentName(String(repeating: "n", count: 501))
        }
    }

    @Test func negativeTimestamp() {
        #expect(
            throws: TrackingError.invalidParameter(
                "Invalid value -1 for parameter 'metrics[2].timestamp' supplied: metric 'm' (value=nan). "
                    + "Timestamp must be a nonnegative long (64-bit integer) ")
        ) { try Validator.metricTimestamp(Metric(key: "m", value: .nan, timestamp: -1, step: 0), path: "metrics[2]") }
    }
}
