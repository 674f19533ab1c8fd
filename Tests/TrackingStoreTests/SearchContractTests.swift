import Foundation
import Testing
import TrackingCore
import TrackingStore

/// Search semantics every backend must share: LIKE case-sensitive and ILIKE not, NaN and missing
/// keys last in both directions, MLflow's tie-breaks, paging, view types, dataset filters.
@Suite("Store contract: search")
struct SearchContractTests {
    /// Runs a, b, c, d (start times 1...4) with metric/param/tag values chosen to exercise ordering.
    private func populate(_ store: SQLTrackingStore) async throws -> (experiment: String, ids: [String: String]) {
        let experiment = try await store.createExperiment(name: "search", artifactLocation: nil, tags: [])
        var ids: [String: String] = [:]
        let specs: [(String, Double?, String?, String?)] = [
            ("a", 1.0, "Alpha", "x"), ("b", .nan, "alpha", nil), ("c", nil, "beta", "y"), ("d", 3.0, nil, "x"),
        ]
        for (n, (name, metric, param, tag)) in specs.enumerated() {
            let run = try await store.createRun(
                CreateRun(experimentId: experiment, userId: "u", startTime: Int64(n + 1), runName: name, tags: []))
            ids[name] = run.info.runId
            try await store.logBatch(
                runId: run.info.runId,
                metrics: metric.map { [Metric(key: "m", value: $0, timestamp: 1, step: 0)] } ?? [],
                params: param.map { [KeyValue(key: "p", value: $0)] } ?? [],
                tags: tag.map { [KeyValue(key: "t", value: $0)] } ?? [])
        }
        return (experiment, ids)
    }

    private func names(
        _ store: SQLTrackingStore, _ experiment: String, filter: String = "", orderBy: [String] = [],
        view: ViewType = .activeOnly, max: Int = 100, token: String? = nil
    ) async throws -> [String] {
        let search = try RunSearch(
            experimentIds: [experiment], filter: filter, orderBy: orderBy, viewType: view, maxResults: max, pageToken: token)
        return try await store.searchRuns(search).items.map(\.info.runName)
    }

    @Test(arguments: StoreBackend.available)
    func filtersAndOrders(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let (e, ids) = try await populate(store)
            #expect(try await names(store, e) == ["d", "c", "b", "a"])
            #expect(try await names(store, e, filter: "params.p LIKE 'a%'") == ["b"])
            #expect(try await names(store, e, filter: "params.p ILIKE 'a%'") == ["b", "a"])
            #expect(try await names(store, e, filter: "metrics.m != 1") == ["d", "b"])
            #expect(try await names(store, e, filter: "metrics.m >= 0") == ["d", "a"])
            #expect(try await names(store, e, filter: "tags.t IS NULL") == ["b"])
            #expect(try await names(store, e, filter: "params.p != 'beta'") == ["b", "a"])
            #expect(try await names(store, e, filter: "attributes.run_name = 'c'") == ["c"])
            #expect(try await names(store, e, filter: "run_id IN ('\(ids["a"]!)', '\(ids["c"]!)')") == ["c", "a"])
            #expect(try await names(store, e, filter: "attributes.run_id NOT IN ('\(ids["a"]!)')") == ["d", "c", "b"])
            #expect(try await names(store, e, filter: "created >= 2 and attributes.status = 'RUNNING'") == ["d", "c", "b"])
            // Numbers first, then NaN, then runs without the metric, in either direction.
            #expect(try await names(store, e, orderBy: ["metrics.m ASC"]) == ["a", "d", "b", "c"])
            #expect(try await names(store, e, orderBy: ["metrics.m DESC"]) == ["d", "a", "b", "c"])
            #expect(try await names(store, e, orderBy: ["params.p DESC"]) == ["c", "b", "a", "d"])
            #expect(try await names(store, e, orderBy: ["tags.t"]) == ["d", "a", "c", "b"])
            #expect(try await names(store, e, orderBy: ["attributes.start_time ASC"]) == ["a", "b", "c", "d"])
        }
    }

    /// Many clauses, some on one key: SQLite joins the first of them and keeps the rest as
    /// subqueries (it joins at most 64 tables); every clause still applies, in every segment.
    @Test(arguments: StoreBackend.available)
    func manyClausesOnTheSameKeys(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let (e, _) = try await populate(store)
            let clauses = (0..<40).map { n in n % 2 == 0 ? "params.p != 'zz\(n)'" : "tags.t != 'zz\(n)'" }
            let many = clauses.joined(separator: " and ")
            #expect(try await names(store, e, filter: many) == ["c", "a"])
            #expect(try await names(store, e, filter: many + " and metrics.m >= 0", orderBy: ["metrics.m ASC"]) == ["a"])
            #expect(try await names(store, e, filter: many + " and params.p = 'Alpha'", orderBy: ["metrics.m DESC"]) == ["a"])
            #expect(try await names(store, e, filter: "metrics.m > 0 and metrics.m < 2 and metrics.m != 5", orderBy: ["metrics.m"]) == ["a"])
            #expect(try await names(store, e, filter: "params.p IS NOT NULL and tags.t IS NOT NULL", orderBy: ["metrics.m DESC"]) == ["a", "c"])
        }
    }

    /// A metric every run logged with the same value (a constant setting): the whole order is
    /// MLflow's tie-break, across pages.
    @Test(arguments: StoreBackend.available)
    func metricOrderWhereEveryValueTies(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let experiment = try await store.createExperiment(name: "constant", artifactLocation: nil, tags: [])
            var expected: [(start: Int64, id: String)] = []
            for n in 0..<120 {
                let run = try await store.createRun(
                    CreateRun(experimentId: experiment, userId: "u", startTime: Int64(n % 9), runName: nil, tags: []))
                try await store.logBatch(
                    runId: run.info.runId, metrics: [Metric(key: "epochs", value: 10, timestamp: 1, step: 0)], params: [], tags: [])
                expected.append((Int64(n % 9), run.info.runId))
            }
            let order = expected.sorted { $0.start != $1.start ? $0.start > $1.start : $0.id < $1.id }.map(\.id)
            for direction in ["ASC", "DESC"] {
                var seen: [String] = []
                var token: String?
                repeat {
                    let page = try await store.searchRuns(
                        RunSearch(
                            experimentIds: [experiment], filter: "metrics.epochs = 10", orderBy: ["metrics.epochs \(direction)"],
                            viewType: .activeOnly, maxResults: 50, pageToken: token))
                    seen += page.items.map(\.info.runId)
                    token = page.nextPageToken
                } while token != nil
                #expect(seen == order)
            }
        }
    }

    @Test(arguments: StoreBackend.available)
    func pagingAndViews(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let (e, ids) = try await populate(store)
            var seen: [String] = []
            var token: String?
            repeat {
                let search = try RunSearch(
                    experimentIds: [e], filter: "", orderBy: [], viewType: .activeOnly, maxResults: 3, pageToken: token)
                let page = try await store.searchRuns(search)
                seen += page.items.map(\.info.runName)
                token = page.nextPageToken
            } while token != nil
            #expect(seen == ["d", "c", "b", "a"])
            // A page exactly full with nothing after it carries no token.
            let full = try await store.searchRuns(
                RunSearch(experimentIds: [e], filter: "", orderBy: [], viewType: .all, maxResults: 4, pageToken: nil))
            #expect(full.items.count == 4 && full.nextPageToken == nil)

            try await store.deleteRun(id: ids["b"]!)
            #expect(try await names(store, e) == ["d", "c", "a"])
            #expect(try await names(store, e, view: .deletedOnly) == ["b"])
            #expect(try await names(store, e, view: .all) == ["d", "c", "b", "a"])

            let run = try await store.searchRuns(
                RunSearch(experimentIds: [e], filter: "params.p = 'Alpha'", orderBy: [], viewType: .all, maxResults: 5, pageToken: nil)
            ).items[0]
            #expect(run.metrics == [Metric(key: "m", value: 1, timestamp: 1, step: 0)])
            #expect(run.params == [KeyValue(key: "p", value: "Alpha")])
            #expect(run.tags.contains(KeyValue(key: "t", value: "x")))
        }
    }

    /// A page of search results carries each run's data exactly as `getRun` reads it (the search
    /// loads a whole page at once, by other statements): NaN and infinite metrics, text needing
    /// escapes, datasets with tags, model outputs, and runs with nothing logged.
    @Test(arguments: StoreBackend.available)
    func searchResultsCarryTheWholeRun(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let experiment = try await store.createExperiment(name: "data", artifactLocation: nil, tags: [])
            var ids: [String] = []
            for n in 0..<4 {
                let run = try await store.createRun(
                    CreateRun(experimentId: experiment, userId: "u", startTime: Int64(n), runName: "r\(n)", tags: []))
                ids.append(run.info.runId)
            }
            try await store.logBatch(
                runId: ids[0],
                metrics: [
                    Metric(key: "nan", value: .nan, timestamp: 1, step: 2), Metric(key: "inf", value: -.infinity, timestamp: 3, step: 4),
                    Metric(key: "x", value: 0.25, timestamp: 5, step: 6),
                    // Keys MLflow's validation rejects, written around it: PostgreSQL's search sends
                    // keys joined by line breaks, so this run must be read again.
                    Metric(key: "two\nlines", value: 2, timestamp: 7, step: 8),
                ],
                params: [KeyValue(key: "p", value: "quote \" and \\ and é"), KeyValue(key: "q", value: ""), KeyValue(key: "a\nb", value: "c")],
                tags: [KeyValue(key: "t", value: "line\nbreak")])
            let input = DatasetInput(
                dataset: Dataset(name: "d", digest: "x", sourceType: "local", source: "/data", schema: "{}", profile: nil),
                tags: [KeyValue(key: "mlflow.data.context", value: "train")])
            try await store.logInputs(runId: ids[1], datasets: [input], modelIds: [])
            // Carriage returns before the line break that joins keys: split by bytes, not characters.
            try await store.logBatch(
                runId: ids[1], metrics: [], params: [KeyValue(key: "p", value: "1")],
                tags: [KeyValue(key: "cr\r", value: "1"), KeyValue(key: "cr2\r", value: "2"), KeyValue(key: "", value: "empty key")])
            let model = try await store.createLoggedModel(
                CreateLoggedModel(experimentId: experiment, name: "m", modelType: nil, sourceRunId: ids[2], params: [], tags: []))
            try await store.logOutputs(runId: ids[2], models: [ModelOutput(modelId: model.modelId, step: 7)])

            // Both ways PostgreSQL loads a page's data: with the page in one statement, and after it
            // (orders by a metric).
            for orderBy in [[], ["metrics.x DESC"]] {
                let page = try await store.searchRuns(
                    RunSearch(experimentIds: [experiment], filter: "", orderBy: orderBy, viewType: .all, maxResults: 10, pageToken: nil))
                #expect(page.items.map(\.info.runName) == (orderBy.isEmpty ? ["r3", "r2", "r1", "r0"] : ["r0", "r3", "r2", "r1"]))
                try await expectWholeRuns(page.items, store: store, input: input, model: model.modelId)
            }
        }
    }

    /// Each run of a search page as `getRun` reads it, with the data logged above.
    private func expectWholeRuns(_ items: [Run], store: SQLTrackingStore, input: DatasetInput, model: String) async throws {
        for found in items {
            let run = try await store.getRun(id: found.info.runId)
            #expect(found.info == run.info)
            #expect(Set(found.metrics.map(\.key)) == Set(run.metrics.map(\.key)))
            for metric in found.metrics {
                let same = run.metrics.first { $0.key == metric.key }
                #expect(same?.timestamp == metric.timestamp && same?.step == metric.step)
                #expect(same?.value == metric.value || (same?.value.isNaN == true && metric.value.isNaN))
            }
            #expect(Set(found.params) == Set(run.params))
            #expect(Set(found.tags) == Set(run.tags))
            #expect(found.datasetInputs == run.datasetInputs)
            #expect(found.modelOutputs == run.modelOutputs)
        }
        let byName = Dictionary(uniqueKeysWithValues: items.map { ($0.info.runName, $0) })
        #expect(byName["r0"]?.metrics.count == 4 && byName["r0"]?.params.count == 3)
        #expect(byName["r1"]?.tags.count == 4)
        #expect(byName["r0"]?.metrics.first { $0.key == "nan" }?.value.isNaN == true)
        // MLflow stores an infinity as the largest finite value of its sign.
        #expect(byName["r0"]?.metrics.first { $0.key == "inf" }?.value == -.greatestFiniteMagnitude)
        #expect(byName["r0"]?.params.contains(KeyValue(key: "p", value: "quote \" and \\ and é")) == true)
        #expect(byName["r1"]?.datasetInputs == [input])
        #expect(byName["r2"]?.modelOutputs == [ModelOutput(modelId: model, step: 7)])
        #expect(byName["r3"]?.metrics.isEmpty == true && byName["r3"]?.params.isEmpty == true)
    }

    @Test(arguments: StoreBackend.available)
    func datasetsAndExperiments(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let (e, ids) = try await populate(store)
            let dataset = Dataset(name: "train-set", digest: "abc", sourceType: "local", source: "{}", schema: nil, profile: nil)
            try await store.logInputs(
                runId: ids["c"]!, datasets: [DatasetInput(dataset: dataset, tags: [KeyValue(key: "mlflow.data.context", value: "training")])],
                modelIds: [])
            #expect(try await names(store, e, filter: "datasets.name = 'train-set'") == ["c"])
            #expect(try await names(store, e, filter: "datasets.context = 'training' and datasets.digest IN ('abc')") == ["c"])
            #expect(try await names(store, e, filter: "datasets.name != 'train-set'") == [])

            _ = try await store.createExperiment(name: "Zeta", artifactLocation: nil, tags: [KeyValue(key: "team", value: "ml")])
            func experiments(_ filter: String, _ orderBy: [String] = ["experiment_id DESC"], max: Int = 10) async throws -> [String] {
                try await store.searchExperiments(
                    ExperimentSearch(filter: filter, orderBy: orderBy, viewType: .all, maxResults: max, pageToken: nil)
                ).items.map(\.name)
            }
            #expect(try await experiments("") == ["Zeta", "search", "Default"])
            #expect(try await experiments("name ILIKE 'z%'") == ["Zeta"])
            #expect(try await experiments("name LIKE 'z%'") == [])
            #expect(try await experiments("tags.team = 'ml'") == ["Zeta"])
            #expect(try await experiments("tags.team IS NULL") == ["search", "Default"])
            #expect(try await experiments("experiment_id IN ('0', '\(e)')", ["experiment_id"]) == ["Default", "search"])
            let page = try await store.searchExperiments(
                ExperimentSearch(filter: "", orderBy: ["experiment_id"], viewType: .all, maxResults: 2, pageToken: nil))
            #expect(page.items.map(\.name) == ["Default", "search"])
            #expect(page.nextPageToken == SearchPageToken.make(offset: 2))
            #expect(page.items.first { $0.name == "Zeta" } == nil)
        }
    }

    /// A metric order over more runs than the first slice of the metric's index that PostgreSQL's
    /// plan reads (800 values for a page of 100), with ties at every value and a filter that keeps half the runs:
    /// every page must match MLflow's order (value, then newest start, then run id); and the same
    /// runs ordered by the metric and then a param.
    @Test(arguments: StoreBackend.available)
    func metricOrderOverManyRunsWithTies(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let experiment = try await store.createExperiment(name: "many", artifactLocation: nil, tags: [])
            var expected: [ScoredRun] = []
            var grouped: [(id: String, value: Double, group: String, start: Int64)] = []
            for n in 0..<1200 {
                let start = Int64(n % 7)  // equal start times too, so the run id decides
                let run = try await store.createRun(
                    CreateRun(experimentId: experiment, userId: "u", startTime: start, runName: "r\(n)", tags: []))
                let value = Double(n % 40)
                let keep = n % 2 == 0
                try await store.logBatch(
                    runId: run.info.runId,
                    metrics: n % 97 == 5 ? [] : [Metric(key: "score", value: n % 89 == 3 ? .nan : value, timestamp: 1, step: 0)],
                    params: [KeyValue(key: "keep", value: keep ? "yes" : "no"), KeyValue(key: "group", value: "g\(n % 3)")],
                    tags: [])
                if keep, n % 97 != 5, n % 89 != 3 { expected.append((run.info.runId, value, start)) }
                if n % 97 != 5, n % 89 != 3 { grouped.append((run.info.runId, value, "g\(n % 3)", start)) }
            }
            for ascending in [false, true] {
                let sorted = inMLflowOrder(expected, ascending: ascending)
                let seen = try await keptRunsPaged(store, experiment, ascending: ascending, pageSize: 150, atMost: 600)
                // Runs with a value in MLflow's order, then the NaN and metric-less ones after them.
                #expect(Array(seen.prefix(sorted.count)) == sorted, "ascending: \(ascending)")
                #expect(seen.count == 600)
            }
            // A second key after the metric (its join's value stands before the metric's in the
            // statement): value descending, then the param descending, then MLflow's tie-breaks.
            let byGroup = grouped.sorted { a, b in
                if a.value != b.value { return a.value > b.value }
                if a.group != b.group { return a.group > b.group }
                if a.start != b.start { return a.start > b.start }
                return a.id < b.id
            }.map(\.id)
            let page = try await store.searchRuns(
                RunSearch(
                    experimentIds: [experiment], filter: "", orderBy: ["metrics.score DESC", "params.group DESC"],
                    viewType: .activeOnly, maxResults: 50, pageToken: nil))
            #expect(page.items.map(\.info.runId) == Array(byGroup.prefix(50)))
        }
    }

    /// A tie on the order metric that straddles the first slice PostgreSQL's plan reads (800
    /// values for a small page), where the page needs runs from inside the tie: only the runs strictly before the
    /// slice's last value may be taken from it; the rest of the tie is ordered by start time.
    @Test(arguments: StoreBackend.available)
    func metricTieAcrossTheFirstSlice(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let experiment = try await store.createExperiment(name: "ties", artifactLocation: nil, tags: [])
            func add(_ value: Double, start: Int64, keep: Bool) async throws -> String {
                let run = try await store.createRun(
                    CreateRun(experimentId: experiment, userId: "u", startTime: start, runName: nil, tags: []))
                try await store.logBatch(
                    runId: run.info.runId, metrics: [Metric(key: "score", value: value, timestamp: 1, step: 0)],
                    params: [KeyValue(key: "keep", value: keep ? "yes" : "no")], tags: [])
                return run.info.runId
            }
            var high: [String] = []
            for n in 0..<790 { let id = try await add(1000 + Double(n), start: 1, keep: n % 158 == 0); if n % 158 == 0 { high.append(id) } }
            // The tie: the newest start first in insertion order, so an index walk that meets the
            // tie from its far end sees the oldest runs first.
            var tie: [String] = []
            for n in 0..<30 { tie.append(try await add(500, start: Int64(100 - n), keep: true)) }
            for n in 0..<780 { _ = try await add(Double(n % 400), start: 1, keep: true) }
            let page = try await store.searchRuns(
                RunSearch(
                    experimentIds: [experiment], filter: "params.keep = 'yes'", orderBy: ["metrics.score DESC"],
                    viewType: .activeOnly, maxResults: 9, pageToken: nil))
            #expect(page.items.map(\.info.runId) == high.reversed() + tie.prefix(4))
        }
    }

    /// A filter keeping few runs: PostgreSQL's plan reads ever larger slices of the metric's index
    /// (800 values, then 3,200, then all), each continuing after the previous one's last value. Ties
    /// straddle every cut in both directions; every page, in MLflow's order.
    @Test(arguments: StoreBackend.available)
    func metricOrderAcrossSlices(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let experiment = try await store.createExperiment(name: "slices", artifactLocation: nil, tags: [])
            // Ties at the 800th and 3,200th value from either end.
            let ties: [(Range<Int>, Double)] = [(2596..<2605, 2600), (196..<205, 200), (795..<805, 800), (3195..<3205, 3200)]
            // Eight writers at a time: the runs are many, and their order of creation does not matter.
            let kept = try await withThrowingTaskGroup(of: ScoredRun?.self) { group in
                var kept: [ScoredRun] = []
                for n in 0..<3400 {
                    if n >= 8, let done = try await group.next(), let run = done { kept.append(run) }
                    group.addTask {
                        let tie = ties.first { $0.0.contains(n) }
                        let value = tie?.1 ?? Double(n)
                        let start = Int64(n % 5)
                        let run = try await store.createRun(
                            CreateRun(experimentId: experiment, userId: "u", startTime: start, runName: nil, tags: []))
                        let keep = n % 97 == 0 || (tie != nil && n % 2 == 0)
                        try await store.logBatch(
                            runId: run.info.runId, metrics: [Metric(key: "score", value: value, timestamp: 1, step: 0)],
                            params: [KeyValue(key: "keep", value: keep ? "yes" : "no")], tags: [])
                        return keep ? (run.info.runId, value, start) : nil
                    }
                }
                for try await done in group { if let run = done { kept.append(run) } }
                return kept
            }
            for ascending in [false, true] {
                let expected = inMLflowOrder(kept, ascending: ascending)
                let found = try await keptRunsPaged(store, experiment, ascending: ascending, pageSize: 9, atMost: kept.count)
                #expect(found == expected, "ascending: \(ascending)")
            }
        }
    }
}

/// A run of the metric-order tests: its id and its `score`, and its start time.
private typealias ScoredRun = (id: String, value: Double, start: Int64)

/// Run ids in MLflow's order for a metric: by value, then newest start, then run id.
private func inMLflowOrder(_ runs: [ScoredRun], ascending: Bool) -> [String] {
    runs.sorted { a, b in
        if a.value != b.value { return ascending ? a.value < b.value : a.value > b.value }
        if a.start != b.start { return a.start > b.start }
        return a.id < b.id
    }.map(\.id)
}

/// The runs of `params.keep = 'yes'` ordered by `metrics.score`, every page of `pageSize` in turn;
/// stops past `atMost` runs should the page tokens never end.
private func keptRunsPaged(
    _ store: SQLTrackingStore, _ experiment: String, ascending: Bool, pageSize: Int, atMost: Int
) async throws -> [String] {
    var found: [String] = []
    var token: String?
    repeat {
        let page = try await store.searchRuns(
            RunSearch(
                experimentIds: [experiment], filter: "params.keep = 'yes'",
                orderBy: ["metrics.score \(ascending ? "ASC" : "DESC")"], viewType: .activeOnly,
                maxResults: pageSize, pageToken: token))
        found += page.items.map(\.info.runId)
        token = page.nextPageToken
    } while token != nil && found.count <= atMost
    return found
}
