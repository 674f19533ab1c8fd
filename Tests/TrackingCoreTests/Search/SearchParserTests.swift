import Testing

import TrackingCore

/// The search language against MLflow's own answers: every case in MLflowSearchCases.swift was
/// produced by MLflow 3.17.2's functions (see generate_cases.py).
@Suite("Search filter and order-by parsing, as MLflow 3.17.2")
struct SearchParserTests {
    @Test(arguments: MLflowSearchCases.runFilters)
    func runFilter(input: String, expected: Expected<[SearchComparison]>) throws {
        let parser = SearchFilterParser(.runs)
        switch expected {
        case .ok(let clauses):
            #expect(try parser.parse(input) == clauses)
        case .error(let message):
            #expect(throws: TrackingError.invalidParameter(message)) { try parser.parse(input) }
        }
    }

    @Test(arguments: MLflowSearchCases.runOrders)
    func runOrder(input: String, expected: Expected<SearchOrder>) throws {
        let parser = SearchOrderByParser(.runs)
        switch expected {
        case .ok(let order):
            #expect(try parser.parse(input) == order)
        case .error(let message):
            #expect(throws: TrackingError.invalidParameter(message)) { try parser.parse(input) }
        }
    }

    @Test(arguments: MLflowSearchCases.runSearches)
    func runSearch(filter: String, orderBy: [String], pageToken: String?, error: (String, String)?) {
        let build = {
            try RunSearch(
                experimentIds: ["0"], filter: filter, orderBy: orderBy, viewType: .all, maxResults: 10,
                pageToken: pageToken)
        }
        guard let (code, message) = error else {
            #expect(throws: Never.self) { _ = try build() }
            return
        }
        // MLflow reports duplicate order-by keys without an error code (a 500 the client retries);
        // we answer the same message as a 400.
        _ = code
        #expect(throws: TrackingError.invalidParameter(message)) { _ = try build() }
    }

    @Test(arguments: MLflowSearchCases.experimentSearches)
    func experimentSearch(filter: String, orderBy: [String], maxResults: Int, pageToken: String?, error: (String, String)?) {
        let build = {
            try ExperimentSearch(filter: filter, orderBy: orderBy, viewType: .all, maxResults: maxResults, pageToken: pageToken)
        }
        guard let (_, message) = error else {
            #expect(throws: Never.self) { _ = try build() }
            return
        }
        #expect(throws: TrackingError.invalidParameter(message)) { _ = try build() }
    }

    @Test func defaultRunOrderIsNewestFirstThenRunId() throws {
        let search = try RunSearch(experimentIds: ["1"], filter: "", orderBy: [], viewType: .activeOnly, maxResults: 5, pageToken: nil)
        #expect(search.orders == [
            RunSearch.Order(key: .column(.startTime), ascending: false),
            RunSearch.Order(key: .column(.runId), ascending: true),
        ])
        let byStart = try RunSearch(
            experimentIds: ["1"], filter: "", orderBy: ["created ASC"], viewType: .activeOnly, maxResults: 5, pageToken: nil)
        #expect(byStart.orders == [
            RunSearch.Order(key: .column(.startTime), ascending: true),
            RunSearch.Order(key: .column(.runId), ascending: true),
        ])
    }

    @Test func filtersBecomeTypedPredicates() throws {
        let search = try RunSearch(
            experimentIds: ["1", " 2 "],
            filter: "metrics.loss <= -1.5e3 and params.lr like '%1' and `run name` ILIKE 'A%' and "
                + "attributes.run_id NOT IN ('a', 'b') and created > 5 and datasets.context = 'train' and tags.t IS NULL",
            orderBy: [], viewType: .all, maxResults: 5, pageToken: SearchPageToken.make(offset: 7))
        #expect(search.experimentIds == [1, 2])
        #expect(search.offset == 7)
        #expect(search.filters == [
            .metric(key: "loss", .lessOrEqual, -1500),
            .param(key: "lr", .like("%1")),
            .runName(.ilike("A%")),
            .column(.runId, .noneOf(["a", "b"])),
            .time(.startTime, .greater, .int(5)),
            .dataset(.context, .equal("train")),
            .tag(key: "t", .isNull),
        ])
    }

    @Test(arguments: [
        (0, "eyJvZmZzZXQiOiAwfQ=="), (1, "eyJvZmZzZXQiOiAxfQ=="), (1000, "eyJvZmZzZXQiOiAxMDAwfQ=="),
    ])
    func pageTokensAreMLflows(offset: Int, token: String) throws {
        #expect(SearchPageToken.make(offset: offset) == token)
        if offset > 0 { #expect(try SearchPageToken.offset(token) == offset) }
    }

    @Test func listsFollowPythonLiteralRules() throws {
        #expect(try SearchFilterParser.list("('a' 'b', \"c\",)") == ["ab", "c"])
        #expect(try SearchFilterParser.list("('\\x41\\n')") == ["A\n"])
        #expect(try SearchFilterParser.list("(r'\\d')") == ["\\d"])
        #expect(throws: TrackingError.self) { try SearchFilterParser.list("(a)") }
        #expect(throws: TrackingError.self) { try SearchFilterParser.list("(f'x')") }
        #expect(
            throws: TrackingError.invalidParameter(
                "While parsing a list in the query, expected string value, punctuation, or whitespace, but got different type in list: (1.5, None, 'a', [2])"
            )
        ) { try SearchFilterParser.list("(1.5, None, 'a', [2])") }
    }

    @Test(arguments: [
        (1000.0, "1000.0"), (1e16, "1e+16"), (1.5e-5, "1.5e-05"), (0.0001, "0.0001"), (123456789012345.6, "123456789012345.6"),
        (-2.5, "-2.5"), (9007199254740992.0, "9007199254740992.0"), (1e22, "1e+22"),
    ])
    func floatsPrintAsPython(value: Double, text: String) {
        #expect(PythonRepr.float(value) == text)
    }
}
