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
}
